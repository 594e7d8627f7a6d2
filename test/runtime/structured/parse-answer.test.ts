/** Reading answers: lenient about how JSON is written, strict about what it says, and never partial. */
import { describe, expect, it } from "vitest";
import type { IrTypeDef } from "../../../src/ir/nodes.js";
import { list, optional, type Type } from "../../../src/ir/types.js";
import type { Data } from "../../../src/ir/value.js";
import { AnswerError, outputFormat, parseAnswer } from "../../../src/runtime/structured/index.js";

const F = "main.feste";
const CATEGORY: Type = { kind: "enum", name: "Category", file: F };
const TICKET: Type = { kind: "record", name: "Ticket", file: F };
const TYPES: Record<string, IrTypeDef> = {
  "main.feste:Category": { kind: "enum", name: "Category", members: ["billing", "bug", "other"] },
  "main.feste:Ticket": {
    kind: "record",
    name: "Ticket",
    fields: [
      { name: "category", type: CATEGORY, optional: false },
      { name: "urgency", type: { kind: "int" }, optional: false },
      { name: "note", type: { kind: "string" }, optional: true },
      { name: "due_date", type: optional({ kind: "string" }), optional: false },
    ],
  },
};
const INT: Type = { kind: "int" };

function read(text: string, type: Type = TICKET, finishReason?: string | null): Data {
  return parseAnswer(text, type, TYPES, outputFormat(type, TYPES), finishReason);
}

/** The message of the AnswerError that reading `text` throws. */
function failure(text: string, type: Type = TICKET, finishReason?: string | null): string {
  try {
    read(text, type, finishReason);
  } catch (e) {
    expect(e).toBeInstanceOf(AnswerError);
    return (e as Error).message;
  }
  throw new Error(`read ${JSON.stringify(text)} without an error`);
}

const TICKET_VALUE = { category: "bug", urgency: 3, note: null, due_date: null };

describe("plain text outputs", () => {
  it("are returned as they come, even cut off", () => {
    expect(read("  Sure, {here} it is  ", { kind: "string" })).toBe("  Sure, {here} it is  ");
    expect(read("Half a sente", { kind: "string" }, "length")).toBe("Half a sente");
    expect(read("", { kind: "string" })).toBe("");
  });
});

describe("lenient reading", () => {
  it("reads plain JSON", () => {
    expect(read('{"category": "bug", "urgency": 3, "note": "n", "due_date": "2025-01-01"}')).toEqual({ category: "bug", urgency: 3, note: "n", due_date: "2025-01-01" });
  });

  it("reads JSON inside a ```json fence", () => {
    expect(read('Here you go:\n```json\n{"category": "bug", "urgency": 3}\n```\nAnything else?')).toEqual(TICKET_VALUE);
  });

  it("reads JSON surrounded by prose", () => {
    expect(read('Sure! The ticket is {"category": "bug", "urgency": 3}. Hope this helps.')).toEqual(TICKET_VALUE);
  });

  it("takes the first value that fits the type", () => {
    expect(read('The format is {a: 1}. The ticket: {"category": "bug", "urgency": 3}')).toEqual(TICKET_VALUE);
    expect(read('[see below] {"category": "bug", "urgency": 3}')).toEqual(TICKET_VALUE);
  });

  it("allows trailing commas", () => {
    expect(read('{"category": "bug", "urgency": 3,}')).toEqual(TICKET_VALUE);
    expect(read("[1, 2, 3,]", list(INT))).toEqual([1, 2, 3]);
  });

  it("allows unquoted keys, single quotes, bare words and comments", () => {
    expect(read("{category: 'bug', urgency: 3}")).toEqual(TICKET_VALUE);
    expect(read("{category: bug, urgency: 3 // very urgent\n}")).toEqual(TICKET_VALUE);
    expect(read("{'category': 'bug', urgency: 3, note: 'it\\'s \"fine\"'}")).toEqual({ ...TICKET_VALUE, note: 'it\'s "fine"' });
  });

  it("matches keys in another case or spelling", () => {
    expect(read('{"Category": "bug", "URGENCY": 3, "Due-Date": "today"}')).toEqual({ ...TICKET_VALUE, due_date: "today" });
  });

  it("matches enum values in another case", () => {
    expect(read('{"category": "BUG", "urgency": 3}')).toEqual(TICKET_VALUE);
    expect(read("Billing", CATEGORY)).toBe("billing");
  });

  it("reads numbers given as strings", () => {
    expect(read('{"category": "bug", "urgency": "3"}')).toEqual(TICKET_VALUE);
    expect(read('"2.5"', { kind: "float" })).toBe(2.5);
  });

  it("takes an integral float for an int", () => {
    expect(read('{"category": "bug", "urgency": 3.0}')).toEqual(TICKET_VALUE);
    expect(read("3e2", INT)).toBe(300);
  });

  it("gives null for a null or missing optional field", () => {
    expect(read('{"category": "bug", "urgency": 3, "note": null}')).toEqual(TICKET_VALUE);
    expect(read('{"category": "bug", "urgency": 3}')).toEqual(TICKET_VALUE);
  });

  it("drops extra keys", () => {
    expect(read('{"category": "bug", "urgency": 3, "reason": "it crashed", "confidence": 0.9}')).toEqual(TICKET_VALUE);
  });

  it("keeps field declaration order", () => {
    expect(Object.keys(read('{"urgency": 3, "due_date": null, "category": "bug"}') as object)).toEqual(["category", "urgency", "note", "due_date"]);
  });

  it("takes a wrapped value with or without its wrapper", () => {
    expect(read('{"value": 3}', INT)).toBe(3);
    expect(read("3", INT)).toBe(3);
    expect(read('{"Value": ["a", "b"]}', list({ kind: "string" }))).toEqual(["a", "b"]);
    expect(read('["a", "b"]', list({ kind: "string" }))).toEqual(["a", "b"]);
    expect(read('{"value": null}', optional(TICKET))).toBeNull();
    expect(read('{"category": "bug", "urgency": 3}', optional(TICKET))).toEqual(TICKET_VALUE);
    expect(read('{"value": {"category": "bug", "urgency": 3}}', optional(TICKET))).toEqual(TICKET_VALUE);
  });

  it("reads a bare value in a fence, and a lone word as an enum member or number", () => {
    expect(read("```\n5\n```", INT)).toBe(5);
    expect(read("```json\n\"bug\"\n```", CATEGORY)).toBe("bug");
    expect(read("`BUG`.", CATEGORY)).toBe("bug");
    expect(read("7.", INT)).toBe(7);
  });

  it("reads booleans and null in other spellings", () => {
    expect(read("True", { kind: "bool" })).toBe(true);
    expect(read('{"value": "false"}', { kind: "bool" })).toBe(false);
    expect(read("None", optional(INT))).toBeNull();
  });

  it("reads strings with escapes, and string fields given a number", () => {
    expect(read('["a\\n\\"b\\" \\u00e9\\ud83d\\ude00"]', list({ kind: "string" }))).toEqual(['a\n"b" é😀']);
    expect(read('{"category": "bug", "urgency": 3, "note": 42}')).toEqual({ ...TICKET_VALUE, note: "42" });
  });

  it("keeps keys like __proto__ as plain data", () => {
    const [kept] = read('[{"__proto__": {"x": 1}}]', list({ kind: "unknown" })) as Record<string, unknown>[];
    expect(Object.keys(kept!)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
    const v = read('{"category": "bug", "urgency": 3, "__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(v.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("answers that are errors", () => {
  it("a cut-off answer, by its finish reason", () => {
    expect(failure('{"category": "bug", "urgency": 3}', TICKET, "length")).toBe("the answer was cut off at max_tokens (finish reason `length`) before its JSON ended");
    expect(failure('{"value": 3', INT, "MAX_TOKENS")).toBe("the answer was cut off at max_tokens (finish reason `MAX_TOKENS`) before its JSON ended");
  });

  it("a cut-off answer, by its JSON", () => {
    expect(failure('{"category": "bug", "urgency": 3, "note": "The customer wrote that the app')).toBe(
      'the answer was cut off before its JSON ended: it ends with `…note": "The customer wrote that the app`',
    );
    expect(failure('```json\n{"category": "bug", "urgency": 3, "note": {')).toMatch(/^the answer was cut off before its JSON ended/);
    expect(failure('{"value": [1, 2', list(INT))).toMatch(/^the answer was cut off before its JSON ended/);
    expect(failure('{"value": [1, -', list(INT))).toMatch(/^the answer was cut off before its JSON ended/);
    expect(failure('["\\u00', list({ kind: "string" }))).toMatch(/^the answer was cut off before its JSON ended/);
  });

  it("a cut-off answer is never a partial value, even when an inner value is whole", () => {
    expect(failure('{"ticket": {"category": "bug", "urgency": 3}, "more": ')).toMatch(/^the answer was cut off/);
  });

  it("no JSON at all", () => {
    expect(failure("Sure, here is the ticket you asked for:\n(none)")).toBe("the answer is not JSON: it starts with `Sure, here is the ticket you asked for:…`");
    expect(failure("The answer is 3", INT)).toBe("the answer is not JSON: it starts with `The answer is 3`");
    expect(failure("  \n ")).toBe("the answer is empty");
    expect(failure("Sure.")).toBe("the answer is not JSON: it starts with `Sure.`");
    expect(failure("Sure.", list(INT))).toBe("the answer is not JSON: it starts with `Sure.`");
  });

  it("JSON that does not read", () => {
    expect(failure('{"category" "bug"}')).toBe('the answer is not valid JSON: expected `:` before `"bug"}`');
    expect(failure('```json\n{"category": "bug" "urgency": 3}\n```')).toBe('the answer is not valid JSON: expected `,` or `}` before `"urgency": 3}\\n\\`\\`\\``');
  });

  it("a value of the wrong type", () => {
    expect(failure('{"category": "bug", "urgency": "high"}')).toBe('`urgency` should be an int, got "high"');
    expect(failure('{"category": "bug", "urgency": 3.5}')).toBe("`urgency` should be an int, got 3.5");
    expect(failure('{"category": "bug", "urgency": [3]}')).toBe("`urgency` should be an int, got a list");
    expect(failure('{"value": "three"}', INT)).toBe('the answer should be an int, got "three"');
    expect(failure('["a", 1]', list(TICKET))).toBe('`[0]` should be a `Ticket` object, got "a"');
    expect(failure('{"value": 1}', list(INT))).toBe("the answer should be a list, got 1");
    expect(failure('{"value": {"a": 1}}', { kind: "bool" })).toBe("the answer should be true or false, got an object");
  });

  it("a missing required field", () => {
    expect(failure('{"category": "bug"}')).toBe("the answer is missing the field `urgency` of `Ticket`");
    expect(failure('[{"category": "bug", "urgency": 1}, {"category": "bug"}]', list(TICKET))).toBe("the answer is missing the field `urgency` of `Ticket` at `[1]`");
  });

  it("an enum value that is not a member, listing the members", () => {
    expect(failure('{"category": "refund", "urgency": 3}')).toBe('`category` should be one of `billing`, `bug`, `other`, got "refund"');
    expect(failure("refund", CATEGORY)).toBe('the answer should be one of `billing`, `bug`, `other`, got "refund"');
  });

  it("quotes at most 60 characters of a wrong value, escaped", () => {
    const long = "x".repeat(100);
    const message = failure(`{"category": "bug", "urgency": "${long}\\n"}`);
    expect(message).toBe(`\`urgency\` should be an int, got "${"x".repeat(58)}…`);
  });

  it("escapes control characters and backticks in quotes of the answer", () => {
    expect(failure("Here:\n\t`code`")).toBe("the answer is not JSON: it starts with `Here:\\n\\t\\`code\\``");
  });
});
