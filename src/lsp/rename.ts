/**
 * Rename across files: every occurrence of the target in every program that reads its
 * file. Refused, with a message saying why, when the new name is not a name or collides
 * with one already visible where the target is.
 */
import { LSPErrorCodes, ResponseError, type TextEdit, type WorkspaceEdit } from "vscode-languageserver";
import type * as A from "../phases/1-parse/ast.js";
import { parse } from "../phases/1-parse/index.js";
import { SYM_WHAT, type CheckedProgram } from "../phases/2-check/index.js";
import { indexOf, occurrencesEverywhere, targetAt } from "./analysis.js";
import { declarationAt } from "./node-at.js";
import { declarationSpan, targetKey, targetName, type Target } from "./targets.js";
import { TextPositions } from "./text-positions.js";
import type { Workspace } from "./workspace.js";

function refuse(message: string): never {
  throw new ResponseError(LSPErrorCodes.RequestFailed, message);
}

/** The range of the name under the cursor, for the editor's rename box; refused on what cannot be renamed. */
export function prepareRename(ws: Workspace, file: string, offset: number) {
  const found = targetAt(ws, file, offset);
  if (!found) return null;
  const t = found.occurrence.target;
  if (t.kind === "builtin" || t.kind === "setting") refuse(`\`${targetName(t)}\` is built into Feste and cannot be renamed`);
  const text = ws.text(file) ?? "";
  return { range: new TextPositions(text).range(found.occurrence.span), placeholder: targetName(t) };
}

export function rename(ws: Workspace, file: string, offset: number, newName: string): WorkspaceEdit | null {
  const found = targetAt(ws, file, offset);
  if (!found) return null;
  const target = found.occurrence.target;
  if (target.kind === "builtin" || target.kind === "setting") refuse(`\`${targetName(target)}\` is built into Feste and cannot be renamed`);
  if (!isName(newName)) refuse(`\`${newName}\` is not a name: use letters, digits and \`_\`, not starting with a digit, and not a keyword`);
  if (newName === targetName(target)) return { changes: {} };
  const declared = declarationSpan(target)!;
  const occurrences = occurrencesEverywhere(ws, target, declared.file);
  for (const root of ws.roots()) {
    const checked = ws.check(root)?.checked;
    if (checked?.program.sources.has(declared.file)) {
      const clash = collision(checked, target, newName);
      if (clash) refuse(clash);
    }
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const o of occurrences) {
    const text = ws.text(o.span.file);
    if (text === undefined) continue;
    (changes[ws.uri(o.span.file)] ??= []).push({ range: new TextPositions(text).range(o.span), newText: newName });
  }
  return { changes };
}

function isName(s: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(s)) return false;
  const probe = parse(`const ${s} = 1\n`, "<rename>");
  const d = probe.module.declarations[0];
  return probe.diagnostics.length === 0 && d?.kind === "constDecl" && d.name.text === s;
}

/** Why `newName` cannot replace the target's name in this program, if it cannot. */
function collision(checked: CheckedProgram, target: Target, newName: string): string | undefined {
  switch (target.kind) {
    case "decl": {
      const key = targetKey(target);
      for (const [file, scope] of checked.scopes) {
        const visible = [...scope.values()].some((s) => targetKey({ kind: "decl", sym: s }) === key);
        const other = scope.get(newName);
        if (visible && other) return `\`${newName}\` is already ${SYM_WHAT[other.kind]} in ${file}`;
        if (visible && localsNamed(checked, file, newName)) return `\`${newName}\` is already a local name in ${file}, which uses \`${targetName(target)}\``;
      }
      return undefined;
    }
    case "local": {
      const module = checked.program.modules.get(target.file)?.module;
      const decl = module && declarationAt(module, target.binding.span.start);
      const clash = decl && [...checked.bindings.keys()].find((n) => n.text === newName && n.span.file === target.file && n.span.start >= decl.span.start && n.span.end <= decl.span.end);
      if (clash) return `\`${newName}\` is already bound in this declaration`;
      const sym = checked.scopes.get(target.file)?.get(newName);
      if (sym?.kind === "const") return `\`${newName}\` is a constant of this module; a local of that name would hide it`;
      return undefined;
    }
    case "field":
      return target.type.decl.fields.some((f) => f.name.text === newName) ? `\`${target.type.decl.name.text}\` already has a field \`${newName}\`` : undefined;
    case "member":
      return target.enum.decl.members.some((m) => m.name.text === newName) ? `\`${target.enum.decl.name.text}\` already has a member \`${newName}\`` : undefined;
    default:
      return undefined;
  }
}

function localsNamed(checked: CheckedProgram, file: string, name: string): boolean {
  return indexOf(checked).some((o) => o.declaration && o.target.kind === "local" && o.span.file === file && (o.target.binding as A.Name).text === name);
}
