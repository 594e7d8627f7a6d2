/**
 * Every diagnostic Feste can report, with a stable code, its headline and a longer
 * explanation (`feste explain CODE`). FE1xxx: syntax. FE2xxx: names and types.
 * FE3xxx: graphs. FE4xxx: runtime. Headlines are lowercase, talk to the user and end
 * without a period; a test holds every entry to that voice.
 */
export interface CatalogueEntry<A extends unknown[] = never[]> {
  readonly severity: "error" | "warning";
  readonly title: string;
  readonly message: (...args: A) => string;
  readonly explanation: string;
}

function entry<A extends unknown[]>(e: CatalogueEntry<A>): CatalogueEntry<A> {
  return e;
}

const q = (s: string) => `\`${s}\``;

export const catalogue = {
  FE1001: entry({
    severity: "error",
    title: "unexpected character",
    message: (text: string) => `unexpected character ${q(text)}`,
    explanation:
      "The lexer met a character that starts no token of the language, such as the `@` in " +
      "`let x = @y`. Outside strings and templates Feste uses ASCII punctuation only; put other " +
      'text inside a string: `"@y"`.',
  }),
  FE1002: entry({
    severity: "error",
    title: "unterminated string",
    message: () => "this string is never closed",
    explanation:
      'A string literal starts with `"` and must end with `"` on the same line. For text ' +
      'over several lines use a template string: `"""` ... `"""`.',
  }),
  FE1003: entry({
    severity: "error",
    title: "unterminated template",
    message: () => "this template string is never closed",
    explanation:
      'A template string opened with `"""` runs until the next `"""`. The file ended before ' +
      "one was found.",
  }),
  FE1004: entry({
    severity: "error",
    title: "unknown escape",
    message: (esc: string) => `unknown escape sequence ${q(esc)}`,
    explanation:
      "Strings accept the escapes `\\n`, `\\r`, `\\t`, `\\\\`, `\\\"`, `\\0` and `\\u{XXXX}` (1 to 6 " +
      "hex digits), so `\"50\\% off\"` is an error. Write a backslash as `\\\\`: `\"a\\\\b\"` is the text a\\b.",
  }),
  FE1005: entry({
    severity: "error",
    title: "unexpected token",
    message: (expected: string, found: string) => `expected ${expected}, found ${found}`,
    explanation:
      "The parser expected a particular token here, and the message names it. Usually something " +
      "is missing just before this point, such as the second `)` in `gpt(classify(t)`, a comma " +
      "or a keyword.",
  }),
  FE1006: entry({
    severity: "error",
    title: "expected a construct",
    message: (expected: string, found: string) => `expected ${expected}, found ${found}`,
    explanation:
      "Nothing that can start the construct the parser was reading begins with this token. The " +
      "message names what was expected, such as an expression, a type or a declaration: in " +
      "`let x = )` an expression must follow `=`.",
  }),
  FE1007: entry({
    severity: "error",
    title: "expected a declaration",
    message: (found: string) => `expected a declaration, found ${found}`,
    explanation:
      "At the top level a file holds declarations, each starting with a keyword: `language`, " +
      "`use`, `const`, `client`, `enum`, `type`, `prompt`, `graph`, `extern fn` or `test`. " +
      "Statements and expressions go inside a graph's or test's block.",
  }),
  FE1008: entry({
    severity: "error",
    title: "nesting too deep",
    message: () => "this is nested too deeply to compile",
    explanation:
      "Feste limits how deeply brackets, blocks and template tags nest (64 levels) and how " +
      "deep an expression may grow through long operator or `else if` chains (500 levels), " +
      "so that the compiler never runs out of stack. Split the expression into steps with " +
      "`let` bindings.",
  }),
  FE1009: entry({
    severity: "error",
    title: "number out of range",
    message: (text: string) => `the number ${q(text)} is too large to represent exactly`,
    explanation:
      "Integers must lie between -(2^53 - 1) and 2^53 - 1 (`9007199254740991`) so that every " +
      "mode of execution (interpreter and generated TypeScript) reads them the same way. Write " +
      "larger numbers as floats, e.g. `1e20`.",
  }),
  FE1010: entry({
    severity: "warning",
    title: "empty file",
    message: () => "this file declares nothing",
    explanation:
      "The file is empty or holds only comments. A Feste file declares clients, types, " +
      "prompts and graphs; see `feste --help` for a starter.",
  }),
  FE1011: entry({
    severity: "error",
    title: "not a text file",
    message: () => "this file is not text",
    explanation:
      "The file contains NUL bytes or invalid UTF-8, so it is probably binary. Feste reads UTF-8 " +
      "text only: check that the path names a `.feste` file and that your editor saves it as UTF-8.",
  }),
  FE1012: entry({
    severity: "error",
    title: "unclosed template tag",
    message: (open: string) => `${q(open)} is not closed before the template ends`,
    explanation:
      "Inside a template, `{{` must be closed by `}}` and `{%` by `%}` before the closing " +
      '`"""`.',
  }),
  FE1013: entry({
    severity: "error",
    title: "too many errors",
    message: (count: number) => `too many errors; stopped after ${count}`,
    explanation:
      "The file has so many syntax errors that further reports would not help; often one early " +
      "mistake, such as a `{` never closed, makes everything after it misread. Fix the first " +
      "ones and check again.",
  }),

  FE1014: entry({
    severity: "error",
    title: "number without a leading digit",
    message: (text: string) => `the number \`${text}\` needs a digit before the point`,
    explanation: "Write numbers with a digit before the decimal point: `0.7`, not `.7`.",
  }),
  FE1015: entry({
    severity: "error",
    title: "curly quotes",
    message: () => "this string is written with curly quotes",
    explanation:
      "Strings use straight double quotes `\"`. Curly quotes usually come from text pasted out " +
      "of a word processor.",
  }),
  FE1016: entry({
    severity: "error",
    title: "unclosed template block",
    message: (kind: string) => `this \`{% ${kind} %}\` is never closed`,
    explanation:
      "Inside a template, `{% if %}` ends with `{% endif %}` and `{% for %}` with " +
      "`{% endfor %}`, before the template's closing `\"\"\"`.",
  }),
  FE1017: entry({
    severity: "error",
    title: "cannot format this file",
    message: () => "`feste fmt` cannot format this file safely",
    explanation:
      "`feste fmt` checks its own output before writing it: the formatted text must parse to " +
      "the same program and keep every comment. This file failed that check, so it was left " +
      "as it is. That is a bug in the formatter; please report it with the file.",
  }),
  FE1018: entry({
    severity: "error",
    title: "comment cannot be placed",
    message: () => "`feste fmt` cannot keep this comment where it is",
    explanation:
      "The formatter puts each comment above the declaration, statement or item it belongs " +
      "to, or at the end of its line. This comment, kept there, would change meaning (a plain " +
      "`///` comment that would become the doc comment of what follows) or could not be placed " +
      "at all. Rather than drop or change it, `feste fmt` leaves the file as it is: move the " +
      "comment, or write it with `//`.",
  }),
  FE1019: entry({
    severity: "error",
    title: "file too large",
    message: (size: string, limit: string) => `this file is ${size}, over the limit of ${limit}`,
    explanation:
      "Feste reads source and template files of up to 32 MiB of text (33,554,432 characters). " +
      "A larger file is almost always data, not a program: read it at run time instead, for " +
      "example as an input (`--input @data.json`) or from an extern function.",
  }),
  FE1020: entry({
    severity: "error",
    title: "invalid UTF-8",
    message: (byte: string) => `the byte ${byte} here is not valid UTF-8`,
    explanation:
      "Feste reads source and template files as UTF-8. This byte does not start or continue a " +
      "well-formed UTF-8 sequence, so the file was probably saved in another encoding (Latin-1, " +
      "Windows-1252) or is cut off mid-character. Save it as UTF-8 in your editor, or convert " +
      "it, e.g. `iconv -f latin1 -t utf-8`.",
  }),

  FE2001: entry({
    severity: "error",
    title: "duplicate name",
    message: (name: string) => `the name ${q(name)} is declared more than once`,
    explanation:
      "Every top-level declaration (client, type, enum, const, prompt, graph, extern fn) needs a " +
      "name of its own within the module and the modules it uses, and may not take a builtin's " +
      "name: declaring `prompt ask(...)` twice is an error. Rename one of them.",
  }),
  FE2002: entry({
    severity: "error",
    title: "unknown type",
    message: (name: string) => `unknown type ${q(name)}`,
    explanation:
      "Types are `string`, `int`, `float`, `bool`, `T[]`, `T?`, `Ranked`, and " +
      "the `type` and `enum` declarations of this module and the modules it uses.",
  }),
  FE2003: entry({
    severity: "error",
    title: "unknown variable",
    message: (name: string) => `unknown variable ${q(name)}`,
    explanation:
      "No parameter, `let`, loop variable, constant or declaration of this name is in scope " +
      "here. Inside a prompt template only the prompt's parameters, the module's constants " +
      "and declarations are visible.",
  }),
  FE2004: entry({
    severity: "error",
    title: "unknown field",
    message: (field: string, type: string) => `${q(type)} has no field ${q(field)}`,
    explanation:
      "A field access names a field that the record type does not declare: with " +
      "`type Ticket { summary: string }`, `t.sumary` is an error. Check the spelling against " +
      "the type, or add the field to it.",
  }),
  FE2005: entry({
    severity: "error",
    title: "mismatched types",
    message: (expected: string, found: string) => `expected ${expected}, found ${found}`,
    explanation:
      "A value of one type is used where another is required. `int` widens to `float`, a " +
      "value `T` fits `T?`, a prompt fits `string`, and an enum value fits `string`; nothing " +
      "else converts implicitly. Use `str(x)` to make text of a number.",
  }),
  FE2006: entry({
    severity: "error",
    title: "wrong number of arguments",
    message: (name: string, expected: string, found: number) =>
      `${q(name)} takes ${expected}, but ${found} ${found === 1 ? "was" : "were"} given`,
    explanation:
      "A call passes more arguments than the callee declares parameters: " +
      "`prompt ask(q: string)` called as `ask(a, b)`. The message says how many it takes.",
  }),
  FE2007: entry({
    severity: "error",
    title: "unknown named argument",
    message: (arg: string, name: string) => `${q(name)} has no parameter ${q(arg)}`,
    explanation:
      "A named argument does not match any parameter of the callee: `ask(question: q)` when " +
      "the parameter is declared as `q`. Named arguments use the names of the declaration.",
  }),
  FE2008: entry({
    severity: "error",
    title: "missing argument",
    message: (param: string, name: string) => `missing argument ${q(param)} in call to ${q(name)}`,
    explanation:
      "A parameter without a default value received no argument: " +
      "`prompt ask(q: string, style: string)` called as `ask(q)`. Pass it, or give the " +
      'parameter a default: `style: string = "short"`.',
  }),
  FE2009: entry({
    severity: "error",
    title: "argument given twice",
    message: (param: string) => `argument ${q(param)} is given more than once`,
    explanation:
      "Each parameter takes one argument: positional arguments fill parameters in order, and a " +
      "named argument may not name a parameter already filled, as `q` is twice in `ask(x, q: y)`.",
  }),
  FE2010: entry({
    severity: "error",
    title: "unknown setting",
    message: (key: string, endpoint: string) => `${q(endpoint)} has no setting ${q(key)}`,
    explanation:
      "Client settings are checked against the endpoint's schema. Run `feste explain FE2010` " +
      "for the list: every endpoint takes `model`, `base_url`, `api_key`, `max_batch`, " +
      "`max_concurrency`, `rpm`, `tpm`, `timeout`, `retries` and `dedupe`; chat and " +
      "completion endpoints add `temperature`, `top_p`, `max_tokens`, `stop`, `seed`, " +
      "`presence_penalty` and `frequency_penalty`; `openai.chat` adds `batch_endpoint`; " +
      "embeddings add `dimensions` (OpenAI) or `input_type` (Cohere); rerank adds `top_n`.",
  }),
  FE2011: entry({
    severity: "error",
    title: "setting of the wrong type",
    message: (key: string, expected: string, found: string) =>
      `setting ${q(key)} expects ${expected}, found ${found}`,
    explanation:
      "A client setting has a value of the wrong type for its key, such as " +
      "`temperature: \"0.2\"` where a number is expected. The message names the type the " +
      "setting takes.",
  }),
  FE2012: entry({
    severity: "error",
    title: "setting out of range",
    message: (key: string, range: string) => `setting ${q(key)} must be ${range}`,
    explanation:
      "A client setting is outside the range the provider accepts, e.g. an OpenAI " +
      "temperature above 2 or a `max_batch` of 0.",
  }),
  FE2013: entry({
    severity: "error",
    title: "unknown endpoint",
    message: (name: string) => `unknown endpoint ${q(name)}`,
    explanation:
      "Endpoints are `openai.chat`, `openai.completion`, `openai.embedding`, `cohere.chat`, " +
      "`cohere.generate`, `cohere.embedding` and `cohere.rerank`; combinators are " +
      "`fallback(a, b, ...)` and `round_robin(a, b, ...)`.",
  }),
  FE2014: entry({
    severity: "error",
    title: "missing field",
    message: (fields: string, type: string) => `missing ${fields} in ${q(type)}`,
    explanation: "A record literal must give every field of its type that is not optional (`T?`).",
  }),
  FE2015: entry({
    severity: "error",
    title: "no such field in a record literal",
    message: (field: string, type: string) => `${q(type)} has no field ${q(field)}`,
    explanation:
      "A record literal gives a field that its type does not declare: " +
      "`Draft { ticket: t, reply: r, score: 1 }` when `Draft` has no `score`. Add the field to " +
      "the type, or leave it out of the literal.",
  }),
  FE2016: entry({
    severity: "error",
    title: "duplicate field or member",
    message: (name: string) => `${q(name)} is given more than once`,
    explanation:
      "A type's fields, an enum's members, a client's settings, a record literal's fields and a " +
      "declaration's parameters must each be named once: `type T { a: int, a: string }` is an error.",
  }),
  FE2017: entry({
    severity: "error",
    title: "shadowed name",
    message: (name: string) => `${q(name)} is already bound in this scope`,
    explanation:
      "Names bind once: a `let`, a loop variable or a parameter may not reuse a name that an " +
      "enclosing block, loop or parameter list already binds. Choose another name.",
  }),
  FE2018: entry({
    severity: "warning",
    title: "unused binding",
    message: (name: string) => `${q(name)} is never used`,
    explanation:
      "A `let` binding is never read, so the optimizer will drop it and any model call it " +
      "would have made. Remove it or prefix its name with `_` to keep it quiet.",
  }),
  FE2019: entry({
    severity: "warning",
    title: "language mismatch",
    message: (left: string, right: string) =>
      `joins prompt text in ${q(left)} with prompt text in ${q(right)}`,
    explanation:
      "Each prompt carries a language tag (`language` for the module, `lang` per prompt). " +
      "Concatenating prompts of two languages usually means one of them will be answered in " +
      "the wrong language.",
  }),
  FE2020: entry({
    severity: "error",
    title: "extern module not found",
    message: (path: string) => `cannot find the module ${q(path)}`,
    explanation:
      "`extern fn NAME(...) -> T from \"./module.ts\"` names a TypeScript or JavaScript file " +
      "relative to the `.feste` file. The file must exist and the path must start with `./` " +
      "or `../`.",
  }),
  FE2021: entry({
    severity: "error",
    title: "module not found",
    message: (path: string) => `cannot find the module ${q(path)}`,
    explanation:
      "`use \"./other.feste\"` names another Feste file relative to this one. The path must " +
      "start with `./` or `../` and end in `.feste`.",
  }),
  FE2022: entry({
    severity: "error",
    title: "module cycle",
    message: (cycle: string) => `modules use each other in a cycle: ${cycle}`,
    explanation:
      "Modules brought in with `use` may not form a cycle. Move what both need into a third " +
      "module that both use.",
  }),
  FE2023: entry({
    severity: "error",
    title: "template file not found",
    message: (path: string) => `cannot read the template file ${q(path)}`,
    explanation:
      "`prompt p(...) from \"./p.txt\"` reads a template from a file relative to the `.feste` " +
      "file at compile time. The file must exist and the path must start with `./` or `../`.",
  }),
  FE2024: entry({
    severity: "error",
    title: "not callable",
    message: (what: string) => `${what} cannot be called`,
    explanation:
      "Only prompts, graphs, clients, `extern fn`s and builtins can be called. Types and " +
      "enums are not functions: build a record with `Name { field: value }`.",
  }),
  FE2025: entry({
    severity: "error",
    title: "unknown enum member",
    message: (member: string, name: string) => `enum ${q(name)} has no member ${q(member)}`,
    explanation:
      "An enum value names a member that the enum does not declare: with " +
      "`enum Category { billing, bug }`, both `Category.refund` and `\"refund\"` where a " +
      "`Category` is expected are errors.",
  }),
  FE2026: entry({
    severity: "error",
    title: "unknown language",
    message: (code: string) => `unknown language code ${q(code)}`,
    explanation:
      "Languages are given as ISO 639-1 codes of two lowercase letters, such as `en`, `pt`, " +
      "`es` or `ja`.",
  }),
  FE2027: entry({
    severity: "error",
    title: "call that cannot run here",
    message: (what: string, where: string) => `${what} cannot run in ${where}`,
    explanation:
      "Templates, constants and defaults are pure: they are evaluated while rendering or " +
      "compiling, never by calling a model, a graph or an extern function, so `{{ gpt(x) }}` " +
      "in a template is an error. Make the call in a graph and pass its result in as an argument.",
  }),
  FE2028: entry({
    severity: "error",
    title: "if without else",
    message: () => "this `if` has no `else`, so it has no value when the condition is false",
    explanation:
      "`if` is an expression: both branches give a value. Add an `else` branch, or filter a " +
      "list with `for x in xs if cond { ... }`.",
  }),
  FE2029: entry({
    severity: "error",
    title: "invalid operands",
    message: (op: string, left: string, right: string) =>
      `cannot apply ${q(op)} to ${left} and ${right}`,
    explanation:
      "Arithmetic works on `int` and `float` (and `+` on strings), comparisons on numbers and " +
      "strings, `==` and `!=` on two values of one type, `&&` and `||` on `bool`, and `??` on " +
      "an optional `T?` with a `T`.",
  }),
  FE2030: entry({
    severity: "error",
    title: "recursive graph",
    message: (cycle: string) => `graphs call each other in a cycle: ${cycle}`,
    explanation:
      "Graphs are inlined into their callers so the optimizer can see across calls, which " +
      "needs the call structure to be finite. Recursion is not supported; use `for` over a " +
      "list instead.",
  }),
  FE2031: entry({
    severity: "error",
    title: "not a constant",
    message: (where: string) => `${where} must be a literal value`,
    explanation:
      "Constants, parameter defaults and client settings are known at compile time: a string, " +
      "number, boolean, `null`, an enum value, or a list of those.",
  }),
  FE2032: entry({
    severity: "error",
    title: "unknown role",
    message: (role: string) => `unknown role ${q(role)}`,
    explanation:
      "A prompt's role sections are `system`, `user` and `assistant`, each followed by a " +
      "template string.",
  }),
  FE2033: entry({
    severity: "error",
    title: "unknown filter",
    message: (name: string) => `unknown filter ${q(name)}`,
    explanation:
      "Template filters are `join(sep)`, `upper`, `lower`, `trim` and `json`, written " +
      "`{{ value | filter }}`.",
  }),
  FE2034: entry({
    severity: "error",
    title: "assert outside a test",
    message: () => "`assert` can only appear in a `test` block",
    explanation: "Assertions belong to `test NAME { ... }` blocks, which `feste test` runs.",
  }),
  FE2035: entry({
    severity: "error",
    title: "env() outside client settings",
    message: () => "`env(...)` can only give a client setting",
    explanation:
      "`env(\"NAME\")` reads an environment variable when the program runs, and only for " +
      "client settings such as `api_key` and `base_url`. It is never read at compile time.",
  }),
  FE2036: entry({
    severity: "error",
    title: "incompatible clients",
    message: (name: string) => `the clients combined in ${q(name)} serve different kinds of endpoint`,
    explanation:
      "`fallback(...)` and `round_robin(...)` hand the same call to any of their clients, so " +
      "all of them must be clients of one kind of endpoint (all chat, all embedding, ...).",
  }),
  FE2037: entry({
    severity: "error",
    title: "missing model",
    message: (name: string) => `client ${q(name)} does not say which \`model\` to use`,
    explanation:
      "Every client names the model its requests ask for, since providers have no default: " +
      "`client gpt: openai.chat { model: \"gpt-4o-mini\" }`.",
  }),
  FE2038: entry({
    severity: "warning",
    title: "key written in the source",
    message: () => "an API key written in the source ends up in version control",
    explanation:
      "Write `api_key: env(\"MY_KEY\")` instead: the variable is read at run time and the key " +
      "never appears in the program, its plan or generated code. Without `api_key` the " +
      "client reads `OPENAI_API_KEY` or `CO_API_KEY`.",
  }),
  FE2039: entry({
    severity: "warning",
    title: "unused value",
    message: () => "this value is computed and then dropped",
    explanation:
      "Only the last expression of a block is its value; an expression before it is never " +
      "used. Bind it with `let` or remove it.",
  }),
  FE2040: entry({
    severity: "error",
    title: "optional value used directly",
    message: (type: string) => `this value has type ${q(type)} and may be null`,
    explanation:
      "An optional `T?` must be given a default before its fields or elements are used: " +
      "`(x ?? fallback).field`. Templates render a null optional as empty text.",
  }),
  FE2041: entry({
    severity: "error",
    title: "parameter order",
    message: (name: string) => `parameter ${q(name)} has no default but follows one that has`,
    explanation:
      "Parameters with defaults come after all parameters without them, so positional calls " +
      "stay unambiguous: `prompt ask(q: string, style: string = \"short\")`, not the other way round.",
  }),
  FE2042: entry({
    severity: "error",
    title: "not indexable",
    message: (type: string) => `cannot index into a value of type ${q(type)}`,
    explanation:
      "`x[i]` works on lists (`T[]`) with an `int` index and on maps (`{string: T}`) with a " +
      "`string` key. A record's fields are read with a dot " +
      "(`t.summary`), and text is split into a list first: `split(s, \",\")[0]`.",
  }),
  FE2043: entry({
    severity: "error",
    title: "not a value",
    message: (name: string, what: string) => `${q(name)} is ${what}, not a value`,
    explanation:
      "Types, enums, clients and prompts are names for the compiler. Use an enum's member " +
      "(`Category.bug`), build a record (`Ticket { ... }`), call a prompt (`ask(q)`) or apply a " +
      "client to a prompt (`gpt(ask(q))`).",
  }),
  FE2044: entry({
    severity: "error",
    title: "cannot infer a type",
    message: () => "cannot tell the element type of this empty list",
    explanation:
      "An empty list `[]` needs its type from where it is used, e.g. a parameter, a field or " +
      "a declared return type.",
  }),
  FE2045: entry({
    severity: "error",
    title: "invalid model call",
    message: (detail: string) => detail,
    explanation:
      "A chat or completion client takes one prompt or string; an embedding client takes a " +
      "string or a list of strings; a rerank client takes a query, a list of documents and an " +
      "optional `top_n`. Per-call settings are named arguments such as `temperature: 0.7`.",
  }),
  FE2047: entry({
    severity: "error",
    title: "unknown function",
    message: (name: string) => `unknown function \`${name}\``,
    explanation:
      "No prompt, graph, client, extern fn or builtin of this name is visible here, as with " +
      "`lenght(xs)` for `len(xs)`. A name applied to a prompt is meant as a client: declare it " +
      "with `client`. `feste explain builtins` lists every builtin function with its signature " +
      "and an example.",
  }),
  FE2048: entry({
    severity: "error",
    title: "block without a value",
    message: () => "this block ends without a value",
    explanation:
      "A block's value is its last expression; a graph body, an `if` branch or a `for` body " +
      "that ends with `let` or `assert` (or is empty) has none.",
  }),
  FE2049: entry({
    severity: "error",
    title: "unknown client",
    message: (name: string) => `unknown client \`${name}\``,
    explanation: "`fallback(...)` and `round_robin(...)` combine clients declared with `client`.",
  }),
  FE2050: entry({
    severity: "error",
    title: "client combines itself",
    message: (name: string) => `client \`${name}\` is part of itself`,
    explanation:
      "A `fallback(...)` or `round_robin(...)` client may not name itself, directly or through " +
      "another combinator.",
  }),
  FE2051: entry({
    severity: "error",
    title: "positional argument after a named one",
    message: () => "a positional argument cannot follow a named one",
    explanation: "Write positional arguments first, then named ones: `ask(q, style: \"short\")`.",
  }),

  FE2052: entry({
    severity: "error",
    title: "empty enum",
    message: (name: string) => `enum \`${name}\` has no members`,
    explanation: "An enum lists at least one member: `enum Category { billing, bug }`.",
  }),
  FE2053: entry({
    severity: "error",
    title: "name of a builtin",
    message: (name: string, what: string) => `${q(name)} is the name of a builtin ${what}`,
    explanation:
      "Declarations may not take the name of a builtin function (`len`, `max`, `env`, ...) or " +
      "type (`string`, `int`, `float`, `bool`, `Ranked`, `Prompt`), so that every use of those " +
      "names means one thing.",
  }),
  FE2054: entry({
    severity: "error",
    title: "assert inside a nested block",
    message: () => "`assert` must stand at the top of the test, not inside an `if` or `for`",
    explanation:
      "`feste test` checks each `assert` of a test once, in order, and reports the ones that " +
      "fail with both sides of the comparison. An assert inside an `if` or a `for` would run " +
      "once per element or not at all. Compute what you want to check with `let` (for example " +
      "`let ok = for x in xs { x > 0 }`) and assert it at the top of the test " +
      "(`assert !contains(ok, false)`).",
  }),
  FE2060: entry({
    severity: "error",
    title: "extern function not exported",
    message: (fn: string, module: string) => `${q(module)} does not export \`${fn}\``,
    explanation:
      "An `extern fn` names a function its module does not export, so every call of it would " +
      "fail at run time. `feste check` reads the module's exports without running it (with " +
      "esbuild, following the relative modules it re-exports from). Export the function " +
      "(`export function summarize(text: string): string { ... }`), or rename the extern to " +
      "a name the module exports. A module that re-exports a whole package is checked when it runs.",
  }),
  FE2070: entry({
    severity: "error",
    title: "prompt used as its answer",
    message: (expected: string, found: string) => `a prompt is not an answer: expected ${expected}, found ${found}`,
    explanation:
      "Calling a prompt (`summarise(r)`) only renders its text; nothing is asked of a model until " +
      "a client is applied to it (`gpt(summarise(r))`). A prompt becomes text only inside another " +
      "template (`{{ p }}`, composing prompts) or explicitly with `str(p)`. Anywhere else, a prompt " +
      "where a string (or the prompt's output type) is expected is almost always a call with its " +
      "client left off, which would return the prompt's own text as the \"answer\". The help names " +
      "a declared client whose endpoint can answer the prompt.",
  }),
  FE2071: entry({
    severity: "warning",
    title: "client never called",
    message: (name: string) => `client ${q(name)} is never called`,
    explanation:
      "No model call in this program applies the client, directly or through a `fallback(...)` or " +
      "`round_robin(...)` client, so its settings are never used. Often a prompt was used where " +
      "its answer was meant (`summarise(r)` for `gpt(summarise(r))`). Call it, or remove it.",
  }),
  FE2090: entry({
    severity: "error",
    title: "state changes type",
    message: (form: string, state: string, stateType: string, found: string) =>
      `the body of ${q(form)} gives ${q(found)}, but its state ${q(state)} is ${q(stateType)}`,
    explanation:
      "In `fold acc = INIT for x in xs { BODY }` and `loop s = INIT until COND max N { BODY }` " +
      "the state has the type of INIT, and BODY's value becomes the next state, so it must fit " +
      "that type. Start the state with a value of the type BODY gives, or make BODY give the " +
      "state's type. State that must travel between rounds goes in a record.",
  }),
  FE2091: entry({
    severity: "error",
    title: "`until` needs a condition",
    message: (found: string) => `the condition after \`until\` must be a \`bool\`, found ${q(found)}`,
    explanation:
      "A bounded loop `loop s = INIT until COND max N { BODY }` stops as soon as COND holds, so " +
      "COND is a `bool` computed from the state, such as `s.verdict.pass` or `len(s) > 200`.",
  }),
  FE2092: entry({
    severity: "error",
    title: "bad loop bound",
    message: (found: string) => `\`max\` must be a positive whole number, found ${found}`,
    explanation:
      "`max N` bounds how many rounds a loop may run, so the compiler and `feste plan` know the " +
      "most requests it can send. N is a whole number above 0, written as a number or as the " +
      "name of a `const` holding one: `const rounds = 4` ... `max rounds`.",
  }),
  FE2093: entry({
    severity: "error",
    title: "unknown loop bound",
    message: (name: string) => `no constant named ${q(name)} to bound the loop`,
    explanation:
      "The bound after `max` is a number or the name of a module `const` holding a positive " +
      "whole number. Local names (`let`, parameters) are not known at compile time, so they " +
      "cannot bound a loop.",
  }),
  FE2100: entry({
    severity: "error",
    title: "map key not a string",
    message: (found: string) => `a map is looked up with a \`string\` key, found ${q(found)}`,
    explanation:
      "The keys of a map `{string: T}` are text, so `m[k]` takes a `string` (or an enum value, " +
      "which is its member's name). Turn a number into a key with `str(n)`. The lookup gives " +
      "`T?`: null when the key is missing.",
  }),
  FE2101: entry({
    severity: "error",
    title: "map key not in quotes",
    message: (name: string) => `the map key ${q(name)} must be a string literal`,
    explanation:
      "Map literals write their keys in quotes, `{ \"billing\": \"refunds team\", \"bug\": \"eng\" }`: " +
      "a string followed by `:` is what tells a map from a block. A record literal names its type " +
      "instead: `Draft { reply: r }`.",
  }),
  FE2102: entry({
    severity: "error",
    title: "duplicate map key",
    message: (key: string) => `the key ${q(JSON.stringify(key))} is given twice in this map`,
    explanation:
      "A map literal holds each key once; a second entry for the same key would silently replace " +
      "the first. Remove one of them or give it another key: `{ \"bug\": \"eng\", \"crash\": \"eng\" }`.",
  }),
  FE2103: entry({
    severity: "error",
    title: "map values of different types",
    message: (expected: string, found: string) => `this map's values are ${expected}, but this one is ${q(found)}`,
    explanation:
      "All values of a map `{string: T}` have one type T, joined over the literal's entries as " +
      "for list elements (`int` and `float` make `float`, `null` makes `T?`). Convert the odd one " +
      "(`str(x)`), or use a record type when the entries have different shapes.",
  }),
  FE2104: entry({
    severity: "error",
    title: "cannot infer a map type",
    message: () => "cannot tell the value type of this empty map",
    explanation:
      "An empty map `{}` needs its type from where it is used: a parameter, a field, a declared " +
      "return type.",
  }),
  FE2105: entry({
    severity: "error",
    title: "map key type not string",
    message: (found: string) => `map keys are strings, not ${q(found)}`,
    explanation:
      "A map type is written `{string: T}`: its keys are always text (they become JSON object keys " +
      "in structured answers and inputs). Make other keys text with `str(k)`.",
  }),
  FE2106: entry({
    severity: "error",
    title: "field of a map",
    message: (name: string) => `a map has no fields; ${q(name)} would be one of its keys`,
    explanation:
      "A map's entries are looked up by key with brackets, `m[\"bug\"]`, which gives `T?` (null " +
      "for a missing key), or tested with `has(m, \"bug\")`. Dots read the fields of records, " +
      "whose names are fixed by their type.",
  }),
  FE2120: entry({
    severity: "error",
    title: "unknown extern setting",
    message: (key: string) => `unknown setting ${q(key)} for an \`extern io fn\``,
    explanation:
      "An `extern io fn` takes the settings `timeout` (seconds for one call, a positive number) " +
      "and `retries` (how many times a failed call is tried again, a whole number of at least 0) " +
      "in a block after its path: `extern io fn search(q: string) -> Doc[] from \"./search.ts\" { timeout: 10, retries: 2 }`.",
  }),
  FE2121: entry({
    severity: "error",
    title: "bad extern setting",
    message: (key: string, wanted: string) => `${q(key)} must be ${wanted}`,
    explanation:
      "`timeout` is a positive number of seconds and `retries` a whole number of at least 0, " +
      "each written as a literal or a constant.",
  }),
  FE2122: entry({
    severity: "error",
    title: "settings on a pure extern",
    message: (name: string) => `${q(name)} is a pure \`extern fn\` and takes no settings`,
    explanation:
      "A plain `extern fn` is pure: it runs on the worker pool and its results may be merged and " +
      "cached, so a timeout or retries would mean nothing. A function that touches the outside " +
      "world (a search API, a database, a file that changes) is an `extern io fn`, which takes " +
      "`timeout` and `retries` and is never merged, cached or folded.",
  }),
  FE2123: entry({
    severity: "error",
    title: "unknown tool",
    message: (name: string) => `there is no extern function named ${q(name)} to use as a tool`,
    explanation:
      "`tools: [f, g]` on a chat call names `extern fn` or `extern io fn` declarations, whose " +
      "signatures become the tools' JSON schemas and whose `///` comments their descriptions.",
  }),
  FE2124: entry({
    severity: "error",
    title: "not a tool",
    message: (name: string, what: string) => `${q(name)} is ${what}, not an extern function, so it cannot be a tool`,
    explanation:
      "A tool is an `extern fn` or an `extern io fn`: the runtime calls it with the arguments " +
      "the model chose. To let the model run a prompt or a graph, wrap the work in an extern " +
      "function, or call it from the graph before or after the model call.",
  }),
  FE2126: entry({
    severity: "error",
    title: "tools on a call that cannot use them",
    message: (what: string) => `${what} cannot call tools`,
    explanation:
      "`tools:` and `max_steps:` belong to calls of `openai.chat` and `cohere.chat` clients (and " +
      "combinators of those): chat endpoints are the ones with native tool calling. Completion, " +
      "embedding and rerank calls take neither.",
  }),
  FE2127: entry({
    severity: "error",
    title: "tools must be a list of names",
    message: () => "`tools` takes a list of extern function names, such as `tools: [search, fetch]`",
    explanation:
      "The tools of a chat call are fixed at compile time: their schemas are part of the " +
      "request. Write them as a list literal of `extern fn` / `extern io fn` names.",
  }),
  FE2128: entry({
    severity: "error",
    title: "bad max_steps",
    message: () => "`max_steps` must be a positive whole number written as a literal or a constant",
    explanation:
      "`max_steps: N` bounds the model turns of a tool-calling conversation (default 8). The " +
      "bound is fixed at compile time, so it is a literal such as `4` or a `const`.",
  }),
  FE2129: entry({
    severity: "error",
    title: "max_steps without tools",
    message: () => "`max_steps` only has a meaning with `tools`",
    explanation:
      "Without tools a chat call is one model turn. Add `tools: [...]`, or drop `max_steps`.",
  }),
  FE3001: entry({
    severity: "error",
    title: "no graph to run",
    message: (name: string) => `there is no graph named ${q(name)}`,
    explanation:
      "The graph named with `--graph` is not declared in the file, or the file has several " +
      "graphs and none is called `main`. Name one of those the help lists: " +
      "`feste exec app.feste --graph triage`.",
  }),
  FE4001: entry({
    severity: "error",
    title: "builtin failed",
    message: (detail: string) => detail,
    explanation:
      "A builtin function was given values it cannot work on at run time, such as `min` of an " +
      "empty list, `cosine` of vectors of different lengths or `chunk` with a size below 1.",
  }),
  FE4002: entry({
    severity: "error",
    title: "division by zero",
    message: (detail: string) => detail,
    explanation:
      "`/` and `%` were given a zero divisor while the program ran. Check the divisor first, " +
      "e.g. `if n == 0 { 0.0 } else { total / n }`.",
  }),
  FE4003: entry({
    severity: "error",
    title: "index out of range",
    message: (detail: string) => detail,
    explanation:
      "`xs[i]` was evaluated with an index below 0 or at least the list's length. Check the " +
      "length first: `if i < len(xs) { xs[i] } else { \"\" }`.",
  }),
  FE4004: entry({
    severity: "error",
    title: "model call failed",
    message: (detail: string) => detail,
    explanation:
      "A model call failed or its answer could not be used. The message names the client, " +
      "the `.feste` line of the call and what the provider or the validator said.",
  }),
  FE4005: entry({
    severity: "error",
    title: "extern function failed",
    message: (detail: string) => detail,
    explanation: "An `extern fn` threw an error or returned a value that does not fit its declared type.",
  }),
  FE4006: entry({
    severity: "error",
    title: "missing API key",
    message: (detail: string) => detail,
    explanation:
      "A client needs an API key and none was found. Set the variable the message names " +
      "(`OPENAI_API_KEY` for OpenAI, `CO_API_KEY` for Cohere, or the one the client's " +
      "`api_key: env(\"NAME\")` setting reads), or run with `--fake` to answer every call from " +
      "the offline stand-in server. Keys are never printed.",
  }),
  FE4007: entry({
    severity: "error",
    title: "input does not fit the graph",
    message: (graph: string, problem: string) => `the input does not fit ${q(graph)}: ${problem}`,
    explanation:
      "A graph was called from TypeScript with an input that is not what its parameters declare: " +
      "a field is missing, has another type, or is not a parameter at all. The message gives the " +
      "path of the first such field (such as `tickets[2]`) and the type expected there. The " +
      "generated function's types catch most of these when the input is written in TypeScript; " +
      "this check catches the rest, such as JSON read at run time.",
  }),
  FE4008: entry({
    severity: "error",
    title: "run options do not fit the program",
    message: (detail: string) => detail,
    explanation:
      "The options given to a generated graph function name a client the program does not " +
      "declare (in `clients` or `maxConcurrency`), or give a concurrency that is not a whole " +
      "number of at least 1. Client names are the ones in the `.feste` file.",
  }),
  FE4009: entry({
    severity: "error",
    title: "unusable cache file",
    message: (path: string, problem: string) => `the cache file ${q(path)} ${problem}; delete it, or run with --no-cache`,
    explanation:
      "Model answers are kept in an SQLite file (`.feste/cache.sqlite` unless `--cache PATH` " +
      "names another) so a run again, or a run after a crash, does not pay twice. The file named " +
      "cannot serve as that cache: it is not an SQLite database, it belongs to another program, " +
      "it is damaged, or a newer version of Feste wrote it. Feste never guesses answers from " +
      "such a file and never changes it. Delete it (it holds only answers that can be asked " +
      "again), point `--cache` at another file, or run with `--no-cache`.",
  }),
  FE4010: entry({
    severity: "error",
    title: "cannot start a project here",
    message: (dir: string, problem: string) => `cannot start a project in ${q(dir)}: ${problem}`,
    explanation:
      "`feste init DIR` writes a starter project (a program, its input, a package.json, a " +
      "tsconfig.json, a README and a .gitignore) into a folder that does not exist yet or is " +
      "empty, so it never overwrites your files. A folder holding only `.git` counts as empty. " +
      "Choose a new folder, e.g. `feste init my-project`, or empty this one first.",
  }),
  FE4011: entry({
    severity: "error",
    title: "distributed job failed",
    message: (detail: string) => detail,
    explanation:
      "A job of a distributed run was given up by the queue rather than answered: its worker " +
      "died more often than the queue allows a job to be re-delivered, or the worker could not " +
      "load the program (a version of Feste that does not know it). Check the workers' logs, " +
      "start workers of the same Feste version (`feste worker --redis redis://HOST:6379`), and run " +
      "the same `feste exec ... --scheduler bullmq` again: finished calls are not sent twice.",
  }),
  FE4012: entry({
    severity: "error",
    title: "redis unreachable",
    message: (detail: string) => detail,
    explanation:
      "A distributed run (`--scheduler bullmq`) or a `feste worker` keeps its queues, programs " +
      "and answers in Redis, and could not reach the server at the URL given with `--redis` " +
      "(`redis://HOST:PORT`), or lost it mid-run. Start Redis (`redis-server --port 6379`), check " +
      "the host, port and password in the URL, and that a firewall lets this machine in. Answers " +
      "stored before the loss stay in Redis: the same run started again does not pay for them twice.",
  }),
  FE4020: entry({
    severity: "error",
    title: "no recorded answer",
    message: (detail: string) => detail,
    explanation:
      "`feste test --replay DIR` answers every model call from the fixtures in DIR and sends " +
      "nothing anywhere. This call has no fixture: the program or its prompts changed since " +
      "the answers were recorded, or they were never recorded. Record them again with " +
      "`feste test --record DIR` (against the real API, or with --fake against the stand-in " +
      "server). Fixtures are named by a hash of everything that decides an answer (never the " +
      "API key or the base URL), one JSON file per call.",
  }),
  FE4021: entry({
    severity: "error",
    title: "assertion failed",
    message: (condition: string) => `assertion failed: ${q(condition)}`,
    explanation:
      "An `assert` in a `test` block was false when `feste test` ran it. For a comparison " +
      "(`==`, `!=`, `<`, `<=`, `>`, `>=`) the notes show the value of each side.",
  }),
  FE4030: entry({
    severity: "error",
    title: "cache file cannot be written",
    message: (path: string, reason: string) => `the cache file ${q(path)} cannot be written: ${reason}; nothing was sent`,
    explanation:
      "Before a run sends anything, Feste writes and removes a row in its answer cache " +
      "(`.feste/cache.sqlite` unless `--cache PATH` names another), so that answers paid for " +
      "are sure to be kept. This file could not be created or written: the file or its folder " +
      "is read-only, the disk is full, or another program held its write lock for 30 seconds. " +
      "The run stops there, having paid for nothing. Make the file and its folder writable, " +
      "free some space, point `--cache` at another file, or run with `--no-cache`. A write " +
      "that fails later in a run only warns: the run goes on and returns every answer.",
  }),
  FE4031: entry({
    severity: "error",
    title: "extern result does not fit its type",
    message: (detail: string) => detail,
    explanation:
      "An `extern fn` returned JSON data that is not a value of the output type its declaration " +
      "gives (`extern fn upper(s: string) -> string from \"./text.ts\"` returning a number, a " +
      "record missing a field). The value is not passed on: the call fails at its `.feste` line, " +
      "naming the function and its module. Fix the function, or declare the type it returns.",
  }),
  FE4070: entry({
    severity: "error",
    title: "tool loop did not finish",
    message: (detail: string) => detail,
    explanation:
      "A chat call with `tools` asked for tool calls in every one of its `max_steps` model turns " +
      "(8 unless the call sets `max_steps: N`), so it never gave an answer. Raise `max_steps`, " +
      "or tell the model in the prompt when to stop calling tools.",
  }),
  FE4071: entry({
    severity: "error",
    title: "tool failed",
    message: (detail: string) => detail,
    explanation:
      "A tool the model called threw an error or returned a value that does not fit its declared " +
      "result type. The message names the tool, the `.feste` line of its declaration and the chat " +
      "call that used it.",
  }),
  FE4072: entry({
    severity: "error",
    title: "model asked for an unknown tool",
    message: (detail: string) => detail,
    explanation:
      "The model answered with a call to a tool that the chat call does not offer. Only the " +
      "functions listed in `tools: [...]` can be called; a model that invents others usually needs " +
      "a clearer prompt or tool descriptions (`///` comments on the extern functions).",
  }),
  FE4073: entry({
    severity: "error",
    title: "tool arguments do not fit",
    message: (detail: string) => detail,
    explanation:
      "The model called a tool with arguments that are not JSON or do not fit the tool's " +
      "parameters (a missing parameter, a wrong type). The message names the tool and the first " +
      "problem found. The tool's parameters are those of its `extern fn` or `extern io fn`, sent " +
      "to the model as a JSON schema; a model that keeps sending bad arguments often needs a " +
      "clearer `///` comment on the function.",
  }),
  FE4074: entry({
    severity: "error",
    title: "io extern failed",
    message: (detail: string) => detail,
    explanation:
      "An `extern io fn` threw, timed out (its `timeout` setting, in seconds) or returned a value " +
      "that does not fit its declared type, on its last try (`retries` more tries are made after a " +
      "failure). The message names the function and the `.feste` line of the call.",
  }),
} as const;

/** A stable diagnostic code such as `FE2003`. */
export type Code = keyof typeof catalogue;

/** The arguments a code's message takes. */
export type MessageArgs<C extends Code> = Parameters<(typeof catalogue)[C]["message"]>;

/** Looks up an entry by a code given as text (for `feste explain`). */
export function lookupCode(code: string): (CatalogueEntry<unknown[]> & { code: Code }) | undefined {
  const key = code.toUpperCase() as Code;
  const e = (catalogue as Record<string, CatalogueEntry<unknown[]>>)[key];
  return e ? { ...e, code: key } : undefined;
}
