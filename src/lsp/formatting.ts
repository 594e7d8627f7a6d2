/** Formatting through `feste fmt`'s formatter: one edit replacing the document, or none. */
import type { TextEdit } from "vscode-languageserver";
import { formatSource } from "../format/format.js";
import { TextPositions } from "./text-positions.js";
import type { Workspace } from "./workspace.js";

/** No edits when the text is already formatted, or has syntax errors (`feste fmt` leaves it alone then). */
export function formatDocument(ws: Workspace, file: string): TextEdit[] {
  const text = ws.text(file);
  if (text === undefined) return [];
  const result = formatSource(text, file);
  if (result.text === undefined || result.text === text) return [];
  return [{ range: new TextPositions(text).range({ start: 0, end: text.length }), newText: result.text }];
}
