/**
 * A BAML project equivalent to a program of `generateProgram` (as many units as it has), for comparing `feste compile` with
 * `baml-cli generate`: the same clients, and per unit the same enum, record (a class), the
 * structured prompt with its defaulted parameter and role sections, and the text prompt with
 * its filtered loop. Feste's graphs have no BAML equivalent (BAML has no graphs), so the BAML
 * project is the smaller one. Deterministic: the same size gives the same files.
 */
export function generateBamlProject(festeProgram: string, version: string): Record<string, string> {
  const units = (festeProgram.match(/^enum Kind\d+ /gm) ?? []).length;
  const files: Record<string, string> = {
    "baml_src/generators.baml": [
      "generator target {",
      '  output_type "typescript"',
      '  output_dir "../"',
      `  version "${version}"`,
      "  default_client_mode async",
      "}",
      "",
    ].join("\n"),
    "baml_src/clients.baml": [
      "client<llm> Gpt {",
      "  provider openai",
      "  options {",
      '    model "gpt-4o-mini"',
      "    temperature 0",
      "  }",
      "}",
      "",
      "client<llm> Davinci {",
      "  provider openai",
      "  options {",
      '    model "gpt-3.5-turbo-instruct"',
      "  }",
      "}",
      "",
    ].join("\n"),
  };
  const out: string[] = [];
  for (let i = 0; i < units; i++) {
    out.push(
      `/// Section ${i}.`,
      `enum Kind${i} {`,
      '  ALPHA @alias("alpha")',
      '  BETA @alias("beta")',
      '  GAMMA @alias("gamma")',
      "}",
      `class Item${i} {`,
      `  kind Kind${i}`,
      "  score int",
      "  title string",
      "  note string?",
      "}",
      `function Classify${i}(text: string, tone: string?) -> Item${i} {`,
      "  client Gpt",
      '  prompt #"',
      '    {{ _.role("system") }}',
      '    You sort texts into kinds. Be {{ tone or "plain" }}.',
      '    {{ _.role("user") }}',
      "    Text: {{ text | trim }}",
      "    {% if text|length > 100 %}It is long.{% else %}It is short.{% endif %}",
      "    {{ ctx.output_format }}",
      '  "#',
      "}",
      `function Summarize${i}(items: Item${i}[]) -> string {`,
      "  client Davinci",
      '  prompt #"',
      "    {% for it in items %}{% if it.score > 2 %}",
      '    - {{ it.title }} ({{ it.kind }}): {{ it.note or "no note" }}',
      "    {% endif %}{% endfor %}",
      '  "#',
      "}",
      "",
    );
  }
  files["baml_src/units.baml"] = out.join("\n");
  return files;
}
