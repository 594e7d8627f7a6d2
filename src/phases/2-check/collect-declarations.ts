/**
 * Builds each module's scope: its own declarations, then those of the modules it uses.
 * Reports duplicate names (within a module, against a used module, against a builtin).
 */
import type { LoadedModule } from "../1-parse/load-program.js";
import { BUILTINS } from "./builtins.js";
import { BUILTIN_FILE, builtinTypeSymbols } from "./builtin-types.js";
import type { CheckContext } from "./context.js";
import type { Sym } from "./symbols.js";

const RESERVED_TYPES = new Set(["string", "int", "float", "bool", "Ranked", "Prompt"]);

/** The declaration as a symbol, or undefined for `language`, `use` and `test`. */
function symbolOf(file: string, d: LoadedModule["module"]["declarations"][number]): Sym | undefined {
  switch (d.kind) {
    case "clientDecl":
      return { kind: "client", file, decl: d };
    case "typeDecl":
      return { kind: "type", file, decl: d };
    case "enumDecl":
      return { kind: "enum", file, decl: d };
    case "constDecl":
      return { kind: "const", file, decl: d };
    case "promptDecl":
      return { kind: "prompt", file, decl: d };
    case "graphDecl":
      return { kind: "graph", file, decl: d };
    case "externDecl":
      return { kind: "extern", file, decl: d };
    default:
      return undefined;
  }
}

/** A module's own declarations by name, reporting duplicates and clashes with builtins. */
export function ownSymbols(ctx: CheckContext, m: LoadedModule): Map<string, Sym> {
  const own = new Map<string, Sym>();
  for (const d of m.module.declarations) {
    const sym = symbolOf(m.file, d);
    if (!sym) continue;
    const name = sym.decl.name;
    const first = own.get(name.text);
    if (first) {
      ctx.report("FE2001", name.span, [name.text], { labels: [{ span: first.decl.name.span, message: "first declared here" }] });
      continue;
    }
    // A clash with a builtin is reported, but the declaration still takes the name, so its
    // uses resolve to it and are not reported again as unknown.
    if (BUILTINS.has(name.text) || name.text === "env") {
      ctx.report("FE2053", name.span, [name.text, "function"], { help: "choose another name" });
    } else if ((sym.kind === "type" || sym.kind === "enum") && RESERVED_TYPES.has(name.text)) {
      ctx.report("FE2053", name.span, [name.text, "type"], { help: "choose another name" });
    }
    own.set(name.text, sym);
  }
  return own;
}

/** Fills `ctx.scopes` for every module; modules come in dependency order. */
export function collectScopes(ctx: CheckContext, modules: Iterable<LoadedModule>): void {
  const owns = new Map<string, Map<string, Sym>>();
  const builtins = builtinTypeSymbols();
  ctx.scopes.set(BUILTIN_FILE, builtins);
  for (const m of modules) {
    const own = ownSymbols(ctx, m);
    owns.set(m.file, own);
    const scope = new Map(own);
    for (const u of m.uses) {
      const theirs = u.target === undefined ? undefined : owns.get(u.target);
      if (!theirs) continue;
      for (const [name, sym] of theirs) {
        const mine = scope.get(name);
        if (mine === undefined) scope.set(name, sym);
        else if (mine !== sym) {
          const at = mine.file === m.file ? mine.decl.name.span : u.decl.path.span;
          ctx.report("FE2001", at, [name], {
            labels: [{ span: sym.decl.name.span, message: `also declared in ${sym.file}` }],
          });
        }
      }
    }
    // `Role` and `Message` are visible unless the module has its own (or uses one).
    for (const [name, sym] of builtins) if (!scope.has(name)) scope.set(name, sym);
    ctx.scopes.set(m.file, scope);
  }
}
