/**
 * Generators for the emit safety property: small `.feste` programs whose names, template
 * text, string literals and `///` comments are drawn from what is hostile to generated
 * TypeScript (reserved words, names JavaScript gives a meaning to, names the generated
 * module uses itself, quotes, backticks, `${`, `*\/`, backslashes, line separators, lone
 * surrogates). Each program comes with a description of what it declares, so the test can
 * say which exports it expects and which arguments each prompt takes.
 */
import fc from "fast-check";
import { HARD_KEYWORDS } from "../property/gen-lexical.js";

/**
 * Names for declarations and parameters: TS/JS keywords, `Object.prototype` members, the
 * generated module's own names (`feste`, `plan`, `externs`, `clients`, `input`, `options`,
 * renderer locals) and names that collide with them once mangled or derived (`class_`,
 * `parseA`, `aSchema`, `A` beside `a`), `then` (a module namespace with `then` is thenable).
 */
export const HOSTILE_NAMES = [
  "__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty", "__defineGetter__",
  "class", "class_", "delete", "await", "async", "yield", "function", "var", "new", "this", "super", "return", "typeof",
  "void", "with", "interface", "implements", "package", "private", "public", "static", "default", "export", "import",
  "any", "unknown", "never", "string", "number", "boolean", "symbol", "object", "undefined", "NaN", "Infinity",
  "arguments", "eval", "then", "Object", "Promise", "JSON", "Array",
  "feste", "feste_", "plan", "externs", "clients", "input", "options", "v0", "v1", "e0_0",
  "a", "A", "parseA", "aSchema", "language", "from", "endif",
];

/** Names where any word is accepted (fields, enum members): the hostile names and Feste's own keywords. */
export const MEMBER_NAMES = [...HOSTILE_NAMES, ...HARD_KEYWORDS];

/** Declaration and parameter names: everything but Feste's hard keywords, which the grammar refuses there. */
const DECL_NAMES = HOSTILE_NAMES.filter((n) => !HARD_KEYWORDS.includes(n) && n !== "string");

/**
 * Pieces of template text. Templates are raw, so a backslash is a backslash. No lone
 * surrogates: a file holding one is not UTF-8 (FE1020); string escapes and arguments still make them.
 */
const TEXT_UNITS = [
  "a", " ", "\n", "'", '"', "`", "${", "${x}", "*/", "/*", "</script>", "<!--", "\\", "\\\\", "\\u2028", "\\n",
  "\u2028", "\u2029", "😀", "\uFEFF", "\r\n", "\r", "\t", "}", "}}", "%}", "#}", "{ x }", "-", "é",
  "\u0085", "\u200B", "\u007F", "\u0001", "$", "%", "#", "\"'`",
];

/**
 * Template text: never `"""`, `{{`, `{%` or `{#` (they would open something) and never
 * ending in `{` or `"` (the next tag or the closing quotes would join it).
 */
export const templateText: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...TEXT_UNITS), { minLength: 1, maxLength: 6 })
  .map((u) => u.join(""))
  .filter((t) => !/"""|\{\{|\{%|\{#/.test(t) && !/[{"]$/.test(t));

/** `"..."` literals in source form, with the escapes Feste reads, and the strings they denote. */
const STRING_LITERALS: readonly (readonly [string, string])[] = [
  ['"plain"', "plain"],
  ['"q\\"uote"', 'q"uote'],
  ['"back\\\\slash"', "back\\slash"],
  ['"${x} */ `t`"', "${x} */ `t`"],
  ['"ls\\u{2028}ps\\u{2029}"', "ls\u2028ps\u2029"],
  ['"lone\\u{D800}"', "lone\uD800"],
  ['"emoji\\u{1F600}😀"', "emoji😀😀"],
  ['"nl\\n\\r\\t"', "nl\n\r\t"],
];
export const stringLiteral = fc.constantFrom(...STRING_LITERALS.map(([src]) => src));

/**
 * One line of `///` text: anything but a newline, NUL, U+FFFD and lone surrogates (a file
 * holding one is not UTF-8: FE1020).
 */
const docLine = fc.oneof(
  fc.constantFrom(" */", " ${x}", " /* nested */ */", " */ export const pwned = 1; /*", " @param x `code`", " \u2028 ls", " \\ back", " <!-- x", "*", " \r"),
  fc.string({ unit: "binary", maxLength: 8 }).map((s) => s.replace(/[\n\u0000\uFFFD]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "")),
);
export const doc: fc.Arbitrary<string> = fc.option(fc.array(docLine, { minLength: 1, maxLength: 2 }).map((ls) => ls.map((l) => `///${l}\n`).join("")), { freq: 2 }).map((d) => d ?? "");

/** A parameter's or field's type, as the program describes it. */
export type Ty = { kind: "string" } | { kind: "int" } | { kind: "optString" } | { kind: "list" } | { kind: "enum"; name: string } | { kind: "record"; name: string };

export interface EnumInfo { name: string; members: string[] }
export interface RecordInfo { name: string; fields: { name: string; ty: Ty }[] }
/** A parameter; `default` is its default's source and value (for strings and ints, sometimes). */
export interface ParamInfo { name: string; ty: Ty; default?: { source: string; value: string | number } }
export interface PromptInfo { name: string; params: ParamInfo[]; output?: Ty }
export interface GraphInfo { name: string; params: { name: string; ty: Ty }[] }

/** A program's text and what it declares. */
export interface Program {
  readonly source: string;
  readonly enums: EnumInfo[];
  readonly records: RecordInfo[];
  readonly prompts: PromptInfo[];
  readonly graphs: GraphInfo[];
}

function tySource(t: Ty): string {
  switch (t.kind) {
    case "string": return "string";
    case "int": return "int";
    case "optString": return "string?";
    case "list": return "string[]";
    case "enum":
    case "record": return t.name;
  }
}

/** A Feste expression of type `t`, for record literals inside templates. */
function valueOf(t: Ty, enums: EnumInfo[], records: RecordInfo[], pick: number, depth = 0): string {
  switch (t.kind) {
    case "string": return STRING_LITERALS[pick % STRING_LITERALS.length][0];
    case "int": return String(pick);
    case "optString": return pick % 2 === 0 ? "null" : STRING_LITERALS[pick % STRING_LITERALS.length][0];
    case "list": return `[${STRING_LITERALS[pick % STRING_LITERALS.length][0]}]`;
    case "enum": {
      const e = enums.find((x) => x.name === t.name)!;
      return `${e.name}.${e.members[pick % e.members.length]}`;
    }
    case "record": {
      const r = records.find((x) => x.name === t.name)!;
      if (depth > 1) return "null";
      return `${r.name} { ${r.fields.map((f, i) => `${f.name}: ${valueOf(f.ty, enums, records, pick + i, depth + 1)}`).join(", ")} }`;
    }
  }
}

/** Whether `{{ x }}` takes a value of this type as it is (records and lists need a filter). */
const isScalar = (t: Ty) => t.kind === "string" || t.kind === "int" || t.kind === "enum";

/** Template parts over a prompt's parameters: text, interpolations, `if` on enums, `for` on lists, record literals. */
function templateBody(p: PromptInfo, enums: EnumInfo[], records: RecordInfo[]): fc.Arbitrary<string> {
  const parts: fc.Arbitrary<string>[] = [templateText, templateText];
  for (const param of p.params) {
    const t = param.ty;
    parts.push(fc.constant(`{{ ${param.name} | json }}`));
    if (isScalar(t)) parts.push(fc.constant(`{{ ${param.name} }}`));
    if (t.kind === "optString") parts.push(stringLiteral.map((s) => `{{ ${param.name} ?? ${s} }}`));
    if (t.kind === "record") {
      const r = records.find((x) => x.name === t.name)!;
      parts.push(fc.constantFrom(...r.fields.map((f) => (isScalar(f.ty) ? `{{ ${param.name}.${f.name} }}` : `{{ ${param.name}.${f.name} | json }}`))));
    }
    if (t.kind === "enum") {
      const e = enums.find((x) => x.name === t.name)!;
      parts.push(
        fc.tuple(fc.constantFrom(...e.members), templateText, templateText).map(([m, a, b]) => `{% if ${param.name} == ${e.name}.${m} %}${a}{% else %}${b}{% endif %}`),
      );
    }
    if (t.kind === "list") {
      parts.push(templateText.map((x) => `{% for item in ${param.name} %}[{{ item }}]${x}{% endfor %}`));
      parts.push(fc.tuple(stringLiteral, templateText).map(([s, x]) => `{% for item in ${param.name} if item != ${s} %}({{ item | upper }})${x}{% endfor %}`));
      parts.push(fc.constant(`{{ len(${param.name}) }}`));
    }
    // Operators the generated renderers write as TypeScript operators: they must mean what the interpreter means.
    if (t.kind === "int") {
      parts.push(fc.tuple(fc.integer({ min: -5, max: 5 }), templateText, templateText).map(([k, a, b]) => `{% if ${param.name} > ${k} %}${a}{% else %}${b}{% endif %}`));
      parts.push(fc.nat({ max: 9 }).map((k) => `{{ ${param.name} * ${k} + 1 }}:{{ ${param.name} - ${k} }}:{{ -${param.name} }}`));
    }
    if (t.kind === "string") {
      parts.push(fc.tuple(stringLiteral, templateText, templateText).map(([s, a, b]) => `{% if ${param.name} == ${s} %}${a}{% else %}${b}{% endif %}`));
      parts.push(fc.constant(`{{ ${param.name} | upper }}{{ len(${param.name}) }}{% if ${param.name} < "m" %}<{% endif %}`));
    }
    if (t.kind === "optString") parts.push(fc.tuple(templateText, templateText).map(([a, b]) => `{% if ${param.name} == null %}${a}{% else %}${b}{% endif %}`));
  }
  for (const r of records) parts.push(fc.nat({ max: 20 }).map((k) => `{{ ${valueOf({ kind: "record", name: r.name }, enums, records, k)} | json }}`));
  return fc.array(fc.oneof(...parts), { minLength: 1, maxLength: 6 }).map((xs) => xs.join(""));
}

/** Sometimes a default for a string or int parameter, which the generated renderer keeps in its signature. */
function defaultOf(ty: Ty): fc.Arbitrary<ParamInfo["default"] | undefined> {
  if (ty.kind === "string") return fc.option(fc.constantFrom(...STRING_LITERALS).map(([source, value]) => ({ source, value })), { nil: undefined, freq: 2 });
  if (ty.kind === "int") return fc.option(fc.integer({ min: -9, max: 99 }).map((n) => ({ source: String(n), value: n })), { nil: undefined, freq: 2 });
  return fc.constant(undefined);
}

const tyOf = (enums: EnumInfo[], records: RecordInfo[], allowRecord: boolean): fc.Arbitrary<Ty> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant<Ty>({ kind: "string" }) },
    { weight: 1, arbitrary: fc.constant<Ty>({ kind: "int" }) },
    { weight: 1, arbitrary: fc.constant<Ty>({ kind: "optString" }) },
    { weight: 1, arbitrary: fc.constant<Ty>({ kind: "list" }) },
    ...(enums.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...enums).map((e): Ty => ({ kind: "enum", name: e.name })) }] : []),
    ...(allowRecord && records.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...records).map((r): Ty => ({ kind: "record", name: r.name })) }] : []),
  );

/** A whole program: a client, enums, records, prompts and graphs with pairwise distinct names. */
export const program: fc.Arbitrary<Program> = fc
  .record({ enums: fc.nat({ max: 2 }), records: fc.nat({ max: 2 }), prompts: fc.integer({ min: 1, max: 3 }), graphs: fc.nat({ max: 2 }) })
  .chain((n) =>
    fc
      .uniqueArray(fc.constantFrom(...DECL_NAMES), { minLength: 1 + n.enums + n.records + n.prompts + n.graphs, maxLength: 1 + n.enums + n.records + n.prompts + n.graphs })
      .chain((names) => {
        const [client, ...rest] = names;
        const enumNames = rest.slice(0, n.enums);
        const recordNames = rest.slice(n.enums, n.enums + n.records);
        const promptNames = rest.slice(n.enums + n.records, n.enums + n.records + n.prompts);
        const graphNames = rest.slice(n.enums + n.records + n.prompts);
        const enumsArb = fc.tuple(...enumNames.map((name) => fc.uniqueArray(fc.constantFrom(...MEMBER_NAMES), { minLength: 1, maxLength: 5 }).map((members): EnumInfo => ({ name, members }))));
        return enumsArb.chain((enums) => {
          // A record's fields use enums and earlier records only, so types are never cyclic.
          const recordsArb = recordNames.reduce<fc.Arbitrary<RecordInfo[]>>(
            (acc, name) =>
              acc.chain((done) =>
                fc
                  .uniqueArray(fc.tuple(fc.constantFrom(...MEMBER_NAMES), tyOf(enums, done, true)), { minLength: 1, maxLength: 4, selector: ([f]) => f })
                  .map((fs) => [...done, { name, fields: fs.map(([f, ty]) => ({ name: f, ty })) }]),
              ),
            fc.constant([]),
          );
          return recordsArb.chain((records) => {
            const promptsArb = fc.tuple(
              ...promptNames.map((name) =>
                fc
                  .record({
                    params: fc.uniqueArray(fc.tuple(fc.constantFrom(...DECL_NAMES), tyOf(enums, records, true)), { minLength: 1, maxLength: 3, selector: ([p]) => p }),
                    output: fc.option(tyOf(enums, records, true).filter((t) => t.kind !== "optString"), { freq: 2 }),
                  })
                  .chain((x) =>
                    fc.tuple(...x.params.map(([, ty]) => defaultOf(ty))).map((defaults): PromptInfo => ({
                      name,
                      // Defaults only on trailing parameters, as the checker requires.
                      params: x.params.map(([p, ty], i) => ({ name: p, ty, ...(defaults.slice(i).every((d) => d) ? { default: defaults[i] } : {}) })),
                      ...(x.output ? { output: x.output } : {}),
                    })),
                  ),
              ),
            );
            return promptsArb.chain((prompts) => {
              const graphsArb = fc.tuple(...graphNames.map((name) => fc.constantFrom(...prompts).map((p) => ({ name, prompt: p }))));
              const bodiesArb = fc.tuple(...prompts.map((p) => fc.tuple(fc.boolean(), templateBody(p, enums, records), templateBody(p, enums, records))));
              const docsArb = fc.array(doc, { minLength: 64, maxLength: 64 });
              return fc.tuple(graphsArb, bodiesArb, docsArb, fc.constantFrom(...DECL_NAMES)).map(([gs, bodies, docs, graphParam]) =>
                render(client, enums, records, prompts, gs, bodies, docs, graphParam),
              );
            });
          });
        });
      }),
  );

function render(
  client: string,
  enums: EnumInfo[],
  records: RecordInfo[],
  prompts: PromptInfo[],
  gs: { name: string; prompt: PromptInfo }[],
  bodies: [boolean, string, string][],
  docs: string[],
  graphParam: string,
): Program {
  const declared = new Set([client, ...enums.map((x) => x.name), ...records.map((x) => x.name), ...prompts.map((x) => x.name), ...gs.map((x) => x.name)]);
  let d = 0;
  const nextDoc = () => docs[d++ % docs.length];
  const out = ["language en", "", `${nextDoc()}client ${client}: openai.chat { model: "m" }`, ""];
  for (const e of enums) out.push(`${nextDoc()}enum ${e.name} { ${e.members.join(", ")} }`, "");
  for (const r of records) {
    out.push(`${nextDoc()}type ${r.name} {`);
    for (const f of r.fields) out.push(`${nextDoc().replace(/^/gm, "  ").replace(/ {2}$/, "")}  ${f.name}: ${tySource(f.ty)}`);
    out.push("}", "");
  }
  prompts.forEach((p, i) => {
    const [sections, a, b] = bodies[i];
    const head = `${nextDoc()}prompt ${p.name}(${p.params.map((x) => `${x.name}: ${tySource(x.ty)}${x.default ? ` = ${x.default.source}` : ""}`).join(", ")})${p.output ? ` -> ${tySource(p.output)}` : ""}`;
    out.push(sections ? `${head} {\n  system """${a}"""\n  user """${b}"""\n}` : `${head} """${a}"""`, "");
  });
  const graphs: GraphInfo[] = [];
  for (const g of gs) {
    // The graph's parameters are the prompt's, renamed where one would shadow a declaration.
    const params = g.prompt.params.map((x, i) => ({ name: i === 0 ? graphParam : x.name, ty: x.ty }));
    const names = new Set(params.map((x) => x.name));
    if (names.size < params.length || params.some((x) => declared.has(x.name))) params.forEach((x, i) => (x.name = `p${i}`));
    const output = g.prompt.output ? tySource(g.prompt.output) : "string";
    out.push(`${nextDoc()}graph ${g.name}(${params.map((x) => `${x.name}: ${tySource(x.ty)}`).join(", ")}) -> ${output} {`, `  ${client}(${g.prompt.name}(${params.map((x) => x.name).join(", ")}))`, "}", "");
    graphs.push({ name: g.name, params });
  }
  return { source: out.join("\n"), enums, records, prompts, graphs };
}

/** An argument of type `t` for a prompt, as both the interpreter and the generated renderer take it. */
export function argument(t: Ty, enums: EnumInfo[], records: RecordInfo[], depth = 0): fc.Arbitrary<unknown> {
  const text = fc.oneof(
    fc.constantFrom("", "'", '"', "`", "${x}", "*/", "\\", "\u2028", "\u2029", "\uD800", "😀", "</script>", "{{ x }}", "__proto__", "\r\n"),
    fc.string({ unit: "binary", maxLength: 12 }),
  );
  switch (t.kind) {
    case "string": return text;
    case "int": return fc.integer({ min: -1000, max: 1000 });
    case "optString": return fc.option(text);
    case "list": return fc.array(text, { maxLength: 3 });
    case "enum": return fc.constantFrom(...enums.find((x) => x.name === t.name)!.members);
    case "record": {
      const r = records.find((x) => x.name === t.name)!;
      // Own properties, `__proto__` included: built with `fromEntries`, never a literal.
      return fc
        .tuple(...r.fields.map((f) => (f.ty.kind === "optString" ? fc.option(argument(f.ty, enums, records, depth + 1), { nil: undefined }) : argument(f.ty, enums, records, depth + 1))))
        .map((vs) => Object.fromEntries(r.fields.flatMap((f, i) => (vs[i] === undefined ? [] : [[f.name, vs[i]]]))));
    }
  }
}
