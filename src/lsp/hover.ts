/** Hover: what the name under the cursor is, or the type of the expression under it. */
import type { Hover } from "vscode-languageserver";
import { showType } from "../phases/2-check/index.js";
import { targetAt } from "./analysis.js";
import { describeMarkdown, describeTarget } from "./describe.js";
import { isExpr, nodesAt } from "./node-at.js";
import { TextPositions } from "./text-positions.js";
import type { Workspace } from "./workspace.js";

export function hover(ws: Workspace, file: string, offset: number): Hover | null {
  const text = ws.text(file);
  if (text === undefined) return null;
  const positions = new TextPositions(text);
  const found = targetAt(ws, file, offset);
  if (found) {
    return {
      contents: { kind: "markdown", value: describeMarkdown(describeTarget(found.occurrence.target, found.checked)) },
      range: positions.range(found.occurrence.span),
    };
  }
  const checked = ws.check(file)?.checked;
  const module = checked?.program.modules.get(file)?.module;
  if (!checked || !module) return null;
  // The innermost expression with a type: `t.summary`, `len(xs) + 1`, a call.
  const chain = nodesAt(module, offset).filter(isExpr);
  for (let i = chain.length - 1; i >= 0; i--) {
    const type = checked.types.get(chain[i]);
    if (!type) continue;
    return { contents: { kind: "markdown", value: "```feste\n(expression): " + showType(type) + "\n```" }, range: positions.range(chain[i].span) };
  }
  return null;
}
