/**
 * A realistic program of a given size for benchmarks: clients, enums, record types, prompts
 * with role sections and template control flow, and graphs with loops, records and calls.
 * Deterministic: the same size gives the same text.
 */
export function generateProgram(targetLines: number): string {
  const out: string[] = [
    "// generated for benchmarks",
    "language en",
    'client gpt: openai.chat { model: "gpt-4o-mini", temperature: 0 }',
    'client davinci: openai.completion { model: "gpt-3.5-turbo-instruct", max_batch: 20 }',
    'client emb: openai.embedding { model: "text-embedding-3-small" }',
    "",
  ];
  for (let i = 0; out.length < targetLines; i++) {
    out.push(
      `/// Section ${i}.`,
      `enum Kind${i} { alpha, beta, gamma }`,
      `type Item${i} {`,
      `  kind: Kind${i}`,
      `  score: int`,
      `  title: string`,
      `  note: string?`,
      `}`,
      `prompt classify${i}(text: string, tone: string = "plain") -> Item${i} {`,
      `  system """`,
      `    You sort texts into kinds. Be {{ tone }}.`,
      `    """`,
      `  user """`,
      `    Text: {{ text | trim }}`,
      `    {% if len(text) > 100 %}It is long.{% else %}It is short.{% endif %}`,
      `    """`,
      `}`,
      `prompt summarize${i}(items: Item${i}[]) """`,
      `  {% for it in items if it.score > 2 %}`,
      `  - {{ it.title }} ({{ it.kind }}): {{ it.note ?? "no note" }}`,
      `  {% endfor %}`,
      `  """`,
      `graph run${i}(texts: string[], limit: int) -> string {`,
      `  let items = for t in texts {`,
      `    let label = gpt(classify${i}(t, tone: "brief"))`,
      `    Item${i} { kind: label.kind, score: label.score * 2 + len(t) % 7, title: upper(label.title), note: label.note }`,
      `  }`,
      `  let kept = for it in items if it.score >= limit && it.kind == "alpha" { it }`,
      `  let vectors = emb(for it in kept { it.title })`,
      `  let best = if len(vectors) > 0 { top_k(for v in vectors { cosine(v, vectors[0]) }, 3) } else { [] }`,
      `  davinci(summarize${i}(kept)) + " " + str(len(best))`,
      `}`,
      "",
    );
  }
  return out.join("\n");
}
