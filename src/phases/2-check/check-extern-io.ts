/**
 * The settings block of an `extern io fn` (`{ timeout: 10, retries: 2 }`): known keys only
 * (did-you-mean for the rest), each a literal or a constant of the right range. A pure
 * `extern fn` takes no settings: it may be merged and cached, so they would mean nothing.
 */
import type * as A from "../1-parse/ast.js";
import { didYouMean } from "../../diagnostics/index.js";
import type { CheckContext } from "./context.js";
import { literalValue, NOT_LITERAL, type LiteralValue } from "./literal-value.js";
import type { Sym } from "./symbols.js";

/** What an `extern io fn` runs with: `timeout` in seconds, `retries` after the first try. */
export interface IoSettings {
  readonly timeout?: number;
  readonly retries?: number;
}

const KEYS: Record<keyof IoSettings, { wanted: string; fits: (v: number) => boolean }> = {
  timeout: { wanted: "a positive number of seconds", fits: (v) => v > 0 && Number.isFinite(v) },
  retries: { wanted: "a whole number of at least 0", fits: (v) => Number.isInteger(v) && v >= 0 },
};

/** A setting's value written as a literal or as the name of a constant. */
export function constantValue(ctx: CheckContext, file: string, e: A.Expr): LiteralValue | typeof NOT_LITERAL {
  if (e.kind === "ident") {
    const sym = ctx.scope(file).get(e.name);
    return sym?.kind === "const" ? literalValue(sym.decl.value) : NOT_LITERAL;
  }
  return literalValue(e);
}

/** Checks the settings of `sym`, recording those of an io extern in `ctx.externIo`. */
export function checkExternSettings(ctx: CheckContext, sym: Extract<Sym, { kind: "extern" }>): void {
  const d = sym.decl;
  if (!d.io) {
    if (d.settings) ctx.report("FE2122", d.name.span, [d.name.text], { help: `write \`extern io fn ${d.name.text}\` if it has effects, or drop the settings` });
    return;
  }
  const out: { timeout?: number; retries?: number } = {};
  for (const s of d.settings ?? []) {
    const key = s.key.text;
    if (!Object.hasOwn(KEYS, key)) {
      ctx.report("FE2120", s.key.span, [key], { help: didYouMean(key, Object.keys(KEYS)) ?? "the settings are `timeout` and `retries`" });
      continue;
    }
    const spec = KEYS[key as keyof IoSettings];
    const v = constantValue(ctx, sym.file, s.value);
    if (typeof v !== "number" || !spec.fits(v)) {
      ctx.report("FE2121", s.value.span, [key, spec.wanted]);
      continue;
    }
    out[key as keyof IoSettings] = v;
  }
  ctx.externIo.set(d, out);
}
