/**
 * A checked root with its occurrence index, and the lookups the features share: what is
 * under the cursor, and every occurrence of a target across the workspace's programs.
 */
import type { CheckedProgram } from "../phases/2-check/index.js";
import { occurrenceAt, occurrencesOf } from "./occurrences.js";
import type { Occurrence, Target } from "./targets.js";
import { targetKey, targetName } from "./targets.js";
import type { Workspace } from "./workspace.js";

const indexes = new WeakMap<CheckedProgram, Occurrence[]>();

/** The occurrence index of a checked program, built once per check. */
export function indexOf(checked: CheckedProgram): Occurrence[] {
  let list = indexes.get(checked);
  if (!list) {
    list = occurrencesOf(checked);
    indexes.set(checked, list);
  }
  return list;
}

/** The target under the cursor in `file`, with the checked program it was found in. */
export function targetAt(ws: Workspace, file: string, offset: number): { occurrence: Occurrence; checked: CheckedProgram } | undefined {
  const checked = ws.check(file)?.checked;
  if (!checked) return undefined;
  const occurrence = occurrenceAt(indexOf(checked), file, offset);
  return occurrence && { occurrence, checked };
}

/**
 * Every occurrence of `target` in the programs of every root that reads its file (open
 * documents and the workspace's `.feste` files), each place once.
 */
export function occurrencesEverywhere(ws: Workspace, target: Target, declaredIn: string): Occurrence[] {
  const key = targetKey(target);
  const name = targetName(target);
  const seen = new Set<string>();
  const out: Occurrence[] = [];
  for (const root of ws.roots()) {
    // A file that never writes the name holds no occurrence of it; the files that do are roots too.
    if (root !== declaredIn && !ws.text(root)?.includes(name)) continue;
    const checked = ws.check(root)?.checked;
    if (!checked || !checked.program.sources.has(declaredIn)) continue;
    for (const o of indexOf(checked)) {
      if (targetKey(o.target) !== key) continue;
      const at = `${o.span.file}:${o.span.start}`;
      if (seen.has(at)) continue;
      seen.add(at);
      out.push(o);
    }
  }
  return out.sort((a, b) => (a.span.file < b.span.file ? -1 : a.span.file > b.span.file ? 1 : a.span.start - b.span.start));
}
