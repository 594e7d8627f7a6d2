/** The outline: each declaration, with fields, members, settings and parameters as children. */
import { SymbolKind, type DocumentSymbol } from "vscode-languageserver";
import type * as A from "../phases/1-parse/ast.js";
import { parse } from "../phases/1-parse/index.js";
import { TextPositions } from "./text-positions.js";
import type { Workspace } from "./workspace.js";

/** Built from the parse alone, so the outline stays while a body does not type-check. */
export function documentSymbols(ws: Workspace, file: string): DocumentSymbol[] {
  const text = ws.text(file);
  if (text === undefined) return [];
  const positions = new TextPositions(text);
  const { module } = parse(text, file);
  const symbol = (name: A.Name, whole: A.Name["span"], kind: SymbolKind, detail: string, children: DocumentSymbol[] = []): DocumentSymbol => ({
    name: name.text || "?",
    detail,
    kind,
    range: positions.range(whole.end >= name.span.end ? whole : name.span),
    selectionRange: positions.range(name.span),
    ...(children.length > 0 ? { children } : {}),
  });
  const params = (ps: readonly A.Param[]) => ps.map((p) => symbol(p.name, p.span, SymbolKind.Variable, text.slice(p.type.span.start, p.type.span.end)));
  const out: DocumentSymbol[] = [];
  for (const d of module.declarations) {
    switch (d.kind) {
      case "clientDecl": {
        const src = d.source;
        const detail = src.kind === "endpoint" ? `${src.provider.text}.${src.endpoint.text}` : `${src.combinator.text}(${src.members.map((m) => m.text).join(", ")})`;
        const settings = src.kind === "endpoint" ? src.settings.map((s) => symbol(s.key, s.span, SymbolKind.Property, text.slice(s.value.span.start, s.value.span.end))) : [];
        out.push(symbol(d.name, d.span, SymbolKind.Module, detail, settings));
        break;
      }
      case "typeDecl":
        out.push(symbol(d.name, d.span, SymbolKind.Struct, "type", d.fields.map((f) => symbol(f.name, f.span, SymbolKind.Field, text.slice(f.type.span.start, f.type.span.end)))));
        break;
      case "enumDecl":
        out.push(symbol(d.name, d.span, SymbolKind.Enum, "enum", d.members.map((m) => symbol(m.name, m.name.span, SymbolKind.EnumMember, ""))));
        break;
      case "constDecl":
        out.push(symbol(d.name, d.span, SymbolKind.Constant, "const"));
        break;
      case "promptDecl":
        out.push(symbol(d.name, d.span, SymbolKind.Function, "prompt", params(d.params)));
        break;
      case "graphDecl":
        out.push(symbol(d.name, d.span, SymbolKind.Function, "graph", params(d.params)));
        break;
      case "externDecl":
        out.push(symbol(d.name, d.span, SymbolKind.Function, d.io ? "extern io fn" : "extern fn", params(d.params)));
        break;
      case "testDecl":
        out.push(symbol(d.name, d.span, SymbolKind.Method, "test"));
        break;
      default:
        break;
    }
  }
  return out;
}
