/**
 * Evaluates a plan formula as printed (`≤ ceil((len(docs) + 1) / 2048) + 2`) on a program's
 * input, so a plan can be checked against the run it describes and tools can show the count
 * for an input without running anything.
 */
import type { Data } from "../ir/value.js";

/** The count a formula gives for an input, and whether it is only an upper bound. */
export interface Evaluated {
  readonly value: number;
  readonly bound: boolean;
}

/**
 * The formula's value with these inputs; undefined when it holds `?` (a size the plan could
 * not tell) or names an input that is not a list.
 */
export function evaluateFormula(text: string, inputs: Readonly<Record<string, Data>>): Evaluated | undefined {
  const bound = text.includes("≤");
  const tokens = text.replace(/≤/g, " ").match(/\d+|[A-Za-z_][A-Za-z0-9_]*|[()+×/?]/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = (t?: string) => {
    if (t !== undefined && tokens[at] !== t) throw new Error(`expected ${t}`);
    return tokens[at++];
  };
  const expr = (): number => {
    let v = term();
    while (peek() === "+") (take(), (v += term()));
    return v;
  };
  const term = (): number => {
    let v = factor();
    while (peek() === "×") (take(), (v *= factor()));
    return v;
  };
  const factor = (): number => {
    const t = take();
    if (t === undefined || t === "?") throw new Error("unknown size");
    if (/^\d+$/.test(t)) return Number(t);
    if (t === "(") {
      const v = expr();
      take(")");
      return v;
    }
    take("(");
    if (t === "len") {
      const list = inputs[take()];
      take(")");
      if (!Array.isArray(list)) throw new Error("not a list");
      return list.length;
    }
    if (t === "ceil") {
      const v = expr();
      take("/");
      const per = Number(take());
      take(")");
      return Math.ceil(v / per);
    }
    throw new Error(`unknown function ${t}`);
  };
  try {
    const value = expr();
    return at === tokens.length ? { value, bound } : undefined;
  } catch {
    return undefined;
  }
}
