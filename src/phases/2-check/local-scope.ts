/** Local bindings (parameters, `let`, loop variables) in nested scopes. */
import type * as A from "../1-parse/ast.js";
import type { Type } from "./types.js";

export interface Local {
  readonly name: A.Name;
  readonly type: Type;
  readonly kind: "param" | "let" | "loop";
  used: boolean;
}

export class LocalScope {
  private readonly vars = new Map<string, Local>();

  constructor(readonly parent?: LocalScope) {}

  lookup(name: string): Local | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }

  /** Adds a binding; returns the binding it would shadow, if any (the caller reports it). */
  bind(local: Local): Local | undefined {
    const existing = this.lookup(local.name.text);
    if (existing) return existing;
    this.vars.set(local.name.text, local);
    return undefined;
  }

  /** Binds a name even where an outer scope has it (`loop` in a nested `{% for %}`, as in Jinja). */
  shadow(local: Local): void {
    this.vars.set(local.name.text, local);
  }

  /** Every name visible from here, for did-you-mean hints. */
  names(): string[] {
    return [...this.vars.keys(), ...(this.parent?.names() ?? [])];
  }

  /** Bindings of this scope only (not parents), in binding order. */
  own(): Local[] {
    return [...this.vars.values()];
  }
}
