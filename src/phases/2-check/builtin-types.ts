/**
 * The types the language itself declares for chat conversations: `enum Role { system, user,
 * assistant }` and `type Message { role: Role, content: string }`. They are written as
 * declarations of a module named `<builtin>`, so records, enum values, field access and
 * schemas treat them like any user type; a module's own `Role` or `Message` shadows them.
 */
import type * as A from "../1-parse/ast.js";
import type { Sym } from "./symbols.js";

/** The file every builtin type is declared in (also `Ranked`'s). */
export const BUILTIN_FILE = "<builtin>";

const at = { file: BUILTIN_FILE, start: 0, end: 0 };
const name = (text: string): A.Name => ({ text, span: at });
const typeRef = (text: string): A.TypeRef => ({ kind: "typeRef", name: name(text), suffixes: [], span: at });

const ROLE: A.EnumDecl = {
  kind: "enumDecl",
  name: name("Role"),
  members: ["system", "user", "assistant"].map((m) => ({ name: name(m) })),
  span: at,
  doc: "Who speaks a chat turn.",
};

const MESSAGE: A.TypeDecl = {
  kind: "typeDecl",
  name: name("Message"),
  fields: [
    { name: name("role"), type: typeRef("Role"), span: at },
    { name: name("content"), type: typeRef("string"), span: at },
  ],
  span: at,
  doc: "One turn of a chat conversation.",
};

/** `Role` and `Message` as symbols, by name. */
export function builtinTypeSymbols(): Map<string, Sym> {
  return new Map<string, Sym>([
    ["Role", { kind: "enum", file: BUILTIN_FILE, decl: ROLE }],
    ["Message", { kind: "type", file: BUILTIN_FILE, decl: MESSAGE }],
  ]);
}

/** The type of a `messages` section: `Message[]`. */
export const MESSAGE_LIST = { kind: "list", element: { kind: "record", name: "Message", file: BUILTIN_FILE } } as const;
