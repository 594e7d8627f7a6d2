/** Go to definition and find references, across the files a program `use`s. */
import type { Location } from "vscode-languageserver";
import { occurrencesEverywhere, targetAt } from "./analysis.js";
import { declarationSpan } from "./targets.js";
import { TextPositions } from "./text-positions.js";
import type { Workspace } from "./workspace.js";
import type { Span } from "../diagnostics/index.js";

export function locationOf(ws: Workspace, span: Span): Location | undefined {
  const text = ws.text(span.file);
  return text === undefined ? undefined : { uri: ws.uri(span.file), range: new TextPositions(text).range(span) };
}

export function definition(ws: Workspace, file: string, offset: number): Location | null {
  const found = targetAt(ws, file, offset);
  const span = found && declarationSpan(found.occurrence.target);
  if (span) return locationOf(ws, span) ?? null;
  // On the path of a `use`: the module itself.
  const loaded = ws.check(file)?.program.modules.get(file);
  const use = loaded?.uses.find((u) => offset >= u.decl.path.span.start && offset <= u.decl.path.span.end);
  return use?.target ? (locationOf(ws, { file: use.target, start: 0, end: 0 }) ?? null) : null;
}

export function references(ws: Workspace, file: string, offset: number, includeDeclaration: boolean): Location[] {
  const found = targetAt(ws, file, offset);
  if (!found) return [];
  const declared = declarationSpan(found.occurrence.target);
  const list = occurrencesEverywhere(ws, found.occurrence.target, declared?.file ?? file);
  return list.filter((o) => includeDeclaration || !o.declaration).flatMap((o) => locationOf(ws, o.span) ?? []);
}
