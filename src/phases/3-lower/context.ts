/**
 * What lowering shares across a program: the checker's facts, the id table, a counter for
 * unique binding names, and the program tables (prompts, clients, types) filled on demand as
 * graphs use them. Declarations get a key: their name, qualified by file when two modules
 * declare the same name.
 */
import type * as A from "../1-parse/ast.js";
import type { CheckedProgram, Sym } from "../2-check/index.js";
import { IdTable } from "../../ir/ids.js";
import type { IrClient, IrPrompt, IrTypeDef } from "../../ir/nodes.js";

export class LowerContext {
  readonly ids = new IdTable();
  // No prototype: a declaration may be called `constructor` or `toString`.
  readonly prompts: Record<string, IrPrompt> = Object.create(null) as Record<string, IrPrompt>;
  readonly clients: Record<string, IrClient> = Object.create(null) as Record<string, IrClient>;
  readonly types: Record<string, IrTypeDef> = Object.create(null) as Record<string, IrTypeDef>;
  private bindingCount = 0;
  private readonly keys = new Map<object, string>();
  private readonly typeKeys = new Map<string, string>();

  constructor(readonly checked: CheckedProgram) {
    const byName = new Map<string, { decl: object; file: string }[]>();
    for (const [file, m] of checked.program.modules) {
      for (const d of m.module.declarations) {
        if (!("name" in d) || d.kind === "testDecl") continue;
        const name = (d.name as A.Name).text;
        byName.set(name, [...(byName.get(name) ?? []), { decl: d, file }]);
      }
    }
    for (const [name, decls] of byName) {
      for (const { decl, file } of decls) {
        const key = decls.length === 1 ? name : `${file}:${name}`;
        this.keys.set(decl, key);
        const kind = (decl as A.Declaration).kind;
        if (kind === "typeDecl" || kind === "enumDecl") this.typeKeys.set(`${file}#${name}`, key);
      }
    }
  }

  /** The program-wide key of a declaration. */
  key(sym: Sym | { decl: object }): string {
    return this.keys.get(sym.decl)!;
  }

  /** The key of a record or enum type, by its declaring file and name. */
  typeKey(name: string, file: string): string {
    return this.typeKeys.get(`${file}#${name}`) ?? name;
  }

  /** A name for a loop binding that no other binding in the program has. */
  uniqueBinding(name: string): string {
    return `${name}#${++this.bindingCount}`;
  }
}
