/**
 * Binding strength of each binary operator, higher binds tighter: the one table the AST
 * builder parses with and the printer prints with. `??` sits between comparison and `+`,
 * as in Swift; `??` groups to the right, every other operator to the left.
 */
import type { BinaryOp } from "./ast.js";

export const PRECEDENCE: Readonly<Record<BinaryOp, number>> = {
  "||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4, "??": 5,
  "+": 6, "-": 6, "*": 7, "/": 7, "%": 7,
};
