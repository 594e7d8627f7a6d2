/**
 * Builds the AST from Chevrotain's CST: one function per grammar rule, named after it.
 * Decodes literals (reporting bad escapes and out-of-range numbers), applies the template
 * text rules and attaches `///` comments. After error recovery the CST may miss parts; those
 * become empty names and `null` literals, never a crash (the checker does not run on a file
 * with syntax errors).
 */
import type { CstNode, IToken } from "chevrotain";
import type * as C from "../../../grammar/cst-types.js";
import * as T from "../../../grammar/tokens.js";
import { tokenEnd } from "./lex.js";
import { makeDiagnostic, type Diagnostic, type Span } from "../../diagnostics/index.js";
import type * as A from "./ast.js";
import { DocComments } from "./doc-comments.js";
import { PRECEDENCE } from "./precedence.js";
import { decodeEscapes } from "./escapes.js";
import { templateTexts } from "./template-text.js";

/** Converts a parsed CST into an AST, collecting literal diagnostics. */
export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];
  private readonly docs: DocComments;

  constructor(
    private readonly file: string,
    comments: readonly IToken[],
    text: string,
  ) {
    this.docs = new DocComments(comments, text);
  }

  private span(start: number, end: number): Span {
    return { file: this.file, start, end };
  }

  private tokSpan(t: IToken): Span {
    return this.span(t.startOffset, tokenEnd(t));
  }

  /** The span of a CST node from its first to its last token. */
  private nodeSpan(n: CstNode | undefined, fallback = 0): Span {
    const loc = n?.location;
    if (!loc || Number.isNaN(loc.startOffset)) return this.span(fallback, fallback);
    return this.span(loc.startOffset, (loc.endOffset ?? loc.startOffset) + 1);
  }

  private name(t: IToken | undefined, at = 0): A.Name {
    return t && !Number.isNaN(t.startOffset) ? { text: t.image, span: this.tokSpan(t) } : { text: "", span: this.span(at, at) };
  }

  module(cst: C.ProgramCstNode, textLength: number): A.Module {
    const declarations = (cst.children.declaration ?? [])
      .map((d) => this.declaration(d))
      .filter((d): d is A.Declaration => d !== undefined);
    return { kind: "module", file: this.file, declarations, span: this.span(0, textLength) };
  }

  private declaration(cst: C.DeclarationCstNode): A.Declaration | undefined {
    const c = cst.children;
    const span = this.nodeSpan(cst);
    const doc = this.docs.before(span.start);
    const base = doc === undefined ? { span } : { span, doc };
    if (c.languageDecl) return { kind: "languageDecl", ...base, code: this.name(c.languageDecl[0].children.Identifier?.[0], span.end) };
    if (c.useDecl) return { kind: "useDecl", ...base, path: this.stringLit(c.useDecl[0].children.StringLiteral?.[0], span.end) };
    if (c.constDecl) {
      const d = c.constDecl[0].children;
      return { kind: "constDecl", ...base, name: this.name(d.Identifier?.[0], span.end), value: this.expression(d.expression?.[0], span.end) };
    }
    if (c.clientDecl) {
      const d = c.clientDecl[0].children;
      return { kind: "clientDecl", ...base, name: this.name(d.Identifier?.[0], span.end), source: this.clientSource(d.clientSource?.[0], span.end) };
    }
    if (c.enumDecl) {
      const d = c.enumDecl[0].children;
      const members = (d.member ?? []).map((t) => {
        const mdoc = this.docs.before(t.startOffset);
        return mdoc === undefined ? { name: this.name(t) } : { name: this.name(t), doc: mdoc };
      });
      return { kind: "enumDecl", ...base, name: this.name(d.Identifier?.[0], span.end), members };
    }
    if (c.typeDecl) {
      const d = c.typeDecl[0].children;
      return { kind: "typeDecl", ...base, name: this.name(d.Identifier?.[0], span.end), fields: (d.field ?? []).map((f) => this.field(f)) };
    }
    if (c.promptDecl) return this.promptDecl(c.promptDecl[0], base);
    if (c.graphDecl) {
      const d = c.graphDecl[0].children;
      return {
        kind: "graphDecl",
        ...base,
        name: this.name(d.Identifier?.[0], span.end),
        params: this.params(d.params?.[0]),
        output: this.typeRef(d.typeRef?.[0], span.end),
        body: this.block(d.block?.[0], span.end),
      };
    }
    if (c.externDecl) {
      const d = c.externDecl[0].children;
      return {
        kind: "externDecl",
        ...base,
        name: this.name(d.Identifier?.[0], span.end),
        params: this.params(d.params?.[0]),
        output: this.typeRef(d.typeRef?.[0], span.end),
        path: this.stringLit(d.StringLiteral?.[0], span.end),
        ...(d.Io ? { io: this.name(d.Io[0]) } : {}),
        ...(d.settings ? { settings: this.settings(d.settings[0], span.end) } : {}),
      };
    }
    if (c.testDecl) {
      const d = c.testDecl[0].children;
      const nameTok = d.Identifier?.[0];
      const strTok = d.StringLiteral?.[0];
      const name = strTok ? { text: this.stringLit(strTok).value, span: this.tokSpan(strTok) } : this.name(nameTok, span.end);
      return { kind: "testDecl", ...base, name, body: this.block(d.block?.[0], span.end) };
    }
    return undefined;
  }

  private clientSource(cst: C.ClientSourceCstNode | undefined, at: number): A.ClientDecl["source"] {
    const span = this.nodeSpan(cst, at);
    const c = cst?.children;
    if (c?.combinator) {
      return { kind: "combinator", combinator: this.name(c.combinator[0]), members: (c.member ?? []).map((t) => this.name(t)), span };
    }
    const settings = this.settings(c?.settings?.[0], at);
    return { kind: "endpoint", provider: this.name(c?.provider?.[0], at), endpoint: this.name(c?.endpoint?.[0], at), settings, span };
  }

  private settings(cst: C.SettingsCstNode | undefined, at: number): A.Setting[] {
    return (cst?.children.setting ?? []).map((s) => ({
      key: this.name(s.children.AnyName?.[0], at),
      value: this.expression(s.children.expression?.[0], at),
      span: this.nodeSpan(s, at),
    }));
  }

  private field(cst: C.FieldCstNode): A.Field {
    const span = this.nodeSpan(cst);
    const doc = this.docs.before(span.start);
    const f = { name: this.name(cst.children.AnyName?.[0], span.start), type: this.typeRef(cst.children.typeRef?.[0], span.end), span };
    return doc === undefined ? f : { ...f, doc };
  }

  private typeRef(cst: C.TypeRefCstNode | undefined, at: number): A.TypeRef {
    const span = this.nodeSpan(cst, at);
    const c = cst?.children;
    const marks = [...(c?.LBracket ?? []).map((t) => ({ o: t.startOffset, s: "list" as const })), ...(c?.Question ?? []).map((t) => ({ o: t.startOffset, s: "optional" as const }))];
    marks.sort((a, b) => a.o - b.o);
    const map = c?.mapType?.[0]?.children;
    if (map) {
      const mapValue = this.typeRef(map.typeRef?.[0], span.end);
      return { kind: "typeRef", name: this.name(map.key?.[0], span.start), mapValue, suffixes: marks.map((m) => m.s), span };
    }
    return { kind: "typeRef", name: this.name(c?.Identifier?.[0], at), suffixes: marks.map((m) => m.s), span };
  }

  private params(cst: C.ParamsCstNode | undefined): A.Param[] {
    return (cst?.children.param ?? []).map((p) => {
      const span = this.nodeSpan(p);
      const c = p.children;
      const param = { name: this.name(c.Identifier?.[0], span.start), type: this.typeRef(c.typeRef?.[0], span.end), span };
      return c.expression ? { ...param, default: this.expression(c.expression[0], span.end) } : param;
    });
  }

  private promptDecl(cst: C.PromptDeclCstNode, base: { span: Span; doc?: string }): A.PromptDecl {
    const c = cst.children;
    const at = base.span.end;
    const bodyCst = c.promptBody?.[0]?.children;
    let body: A.PromptBody;
    if (bodyCst?.template) body = { kind: "templateBody", template: this.template(bodyCst.template[0]) };
    else if (bodyCst?.roleSections) {
      const rs = bodyCst.roleSections[0];
      const sections = (rs.children.roleSection ?? []).map((s): A.PromptSection => {
        const m = s.children.messagesSection?.[0];
        if (m) return { kind: "messagesSection", messages: this.expression(m.children.expression?.[0], at), span: this.nodeSpan(s, at) };
        return { kind: "roleSection", role: this.name(s.children.Identifier?.[0], at), template: this.template(s.children.template?.[0]), span: this.nodeSpan(s, at) };
      });
      body = { kind: "roles", sections, span: this.nodeSpan(rs, at) };
    } else body = { kind: "fromFile", path: this.stringLit(bodyCst?.StringLiteral?.[0], at) };
    const decl: A.PromptDecl = {
      kind: "promptDecl",
      ...base,
      name: this.name(c.Identifier?.[0], at),
      params: this.params(c.params?.[0]),
      body,
      ...(c.typeRef ? { output: this.typeRef(c.typeRef[0], at) } : {}),
      ...(c.language ? { lang: this.name(c.language[0], at) } : {}),
    };
    return decl;
  }

  block(cst: C.BlockCstNode | undefined, at: number): A.Block {
    const span = this.nodeSpan(cst, at);
    const statements = (cst?.children.statement ?? []).map((s): A.Statement => {
      const c = s.children;
      const sspan = this.nodeSpan(s, at);
      if (c.letStmt) {
        const l = c.letStmt[0].children;
        return { kind: "letStmt", name: this.name(l.Identifier?.[0], sspan.start), value: this.expression(l.expression?.[0], sspan.end), span: sspan };
      }
      if (c.assertStmt) return { kind: "assertStmt", condition: this.expression(c.assertStmt[0].children.expression?.[0], sspan.end), span: sspan };
      return { kind: "exprStmt", expr: this.expression(c.expression?.[0], sspan.end), span: sspan };
    });
    return { kind: "block", statements, span };
  }

  /**
   * Builds an expression from the flat `operand (op operand)*` list with precedence climbing
   * (iterative shunting-yard). Loosest first: `||`, `&&`, equality, comparison, `??` (as in
   * Swift, so `a ?? b == c` compares the defaulted value; it groups to the right), additive,
   * multiplicative; all others group to the left.
   */
  expression(cst: C.ExpressionCstNode | undefined, at: number): A.Expr {
    const operands = (cst?.children.unary ?? []).map((u) => this.unary(u, at));
    const ops = cst?.children.BinaryOp ?? [];
    if (operands.length === 0) return { kind: "null", span: this.span(at, at) };
    const values: A.Expr[] = [operands[0]];
    const pending: IToken[] = [];
    const reduce = () => {
      const right = values.pop()!;
      const left = values.pop()!;
      values.push(this.binary(pending.pop()!, left, right));
    };
    for (let i = 0; i < ops.length && i + 1 < operands.length; i++) {
      const op = ops[i];
      const p = PRECEDENCE[op.image as A.BinaryOp];
      while (pending.length > 0) {
        const top = PRECEDENCE[pending[pending.length - 1].image as A.BinaryOp];
        if (top > p || (top === p && p !== PRECEDENCE["??"])) reduce();
        else break;
      }
      pending.push(op);
      values.push(operands[i + 1]);
    }
    while (pending.length > 0) reduce();
    return values[0];
  }

  private binary(op: IToken, left: A.Expr, right: A.Expr): A.Expr {
    return { kind: "binary", op: op.image as A.BinaryOp, opSpan: this.tokSpan(op), left, right, span: this.span(left.span.start, right.span.end) };
  }

  private unary(cst: C.UnaryCstNode, at: number): A.Expr {
    let result = this.postfix(cst.children.postfix?.[0], at);
    const ops = cst.children.UnaryOp ?? [];
    for (let i = ops.length - 1; i >= 0; i--) {
      result = { kind: "unary", op: ops[i].image as "!" | "-", operand: result, span: this.span(ops[i].startOffset, result.span.end) };
    }
    return result;
  }

  private postfix(cst: C.PostfixCstNode | undefined, at: number): A.Expr {
    if (!cst) return { kind: "null", span: this.span(at, at) };
    let result = this.primary(cst.children.primary?.[0], at);
    const c = cst.children;
    // The CST groups suffixes by kind; put them back in source order.
    const suffixes: { offset: number; apply: (e: A.Expr) => A.Expr }[] = [];
    for (const a of c.args ?? []) {
      const span = this.nodeSpan(a, at);
      suffixes.push({ offset: span.start, apply: (e) => ({ kind: "call", callee: e, args: this.args(a, at), span: this.span(e.span.start, span.end) }) });
    }
    (c.Dot ?? []).forEach((dot, i) => {
      const nameTok = c.AnyName?.[i];
      suffixes.push({
        offset: dot.startOffset,
        apply: (e) => {
          const name = this.name(nameTok, tokenEnd(dot));
          return { kind: "field", target: e, name, span: this.span(e.span.start, Math.max(name.span.end, tokenEnd(dot))) };
        },
      });
    });
    (c.LBracket ?? []).forEach((lb, i) => {
      const rb = c.RBracket?.[i];
      suffixes.push({
        offset: lb.startOffset,
        apply: (e) => ({
          kind: "index",
          target: e,
          index: this.expression(c.expression?.[i], tokenEnd(lb)),
          span: this.span(e.span.start, rb && !Number.isNaN(rb.startOffset) ? tokenEnd(rb) : tokenEnd(lb)),
        }),
      });
    });
    suffixes.sort((a, b) => a.offset - b.offset);
    for (const s of suffixes) result = s.apply(result);
    return result;
  }

  args(cst: C.ArgsCstNode, at: number): A.Arg[] {
    return (cst.children.argument ?? []).map((a) => {
      const span = this.nodeSpan(a, at);
      const value = this.expression(a.children.expression?.[0], span.end);
      const nameTok = a.children.AnyName?.[0];
      return nameTok ? { name: this.name(nameTok), value, span } : { value, span };
    });
  }

  private primary(cst: C.PrimaryCstNode | undefined, at: number): A.Expr {
    const c = cst?.children;
    const span = this.nodeSpan(cst, at);
    if (!c) return { kind: "null", span };
    if (c.IntLiteral) return this.intLit(c.IntLiteral[0]);
    if (c.FloatLiteral) return { kind: "float", value: Number(c.FloatLiteral[0].image), span };
    if (c.StringLiteral) return this.stringLit(c.StringLiteral[0], at);
    if (c.True) return { kind: "bool", value: true, span };
    if (c.False) return { kind: "bool", value: false, span };
    if (c.Null) return { kind: "null", span };
    if (c.template) return this.template(c.template[0]);
    if (c.recordLiteral) {
      const r = c.recordLiteral[0].children;
      const fields = (r.fieldInit ?? []).map((f) => {
        const fspan = this.nodeSpan(f, at);
        return { name: this.name(f.children.AnyName?.[0], fspan.start), value: this.expression(f.children.expression?.[0], fspan.end), span: fspan };
      });
      return { kind: "record", type: this.name(r.Identifier?.[0], at), fields, span };
    }
    if (c.Identifier) return { kind: "ident", name: c.Identifier[0].image, span };
    if (c.mapLiteral) {
      const entries = (c.mapLiteral[0].children.mapEntry ?? []).map((m) => {
        const espan = this.nodeSpan(m, at);
        const tok = m.children.key?.[0];
        const key: A.StringLit | A.Ident =
          tok && tok.image.startsWith('"') ? this.stringLit(tok, espan.start) : { kind: "ident", name: tok?.image ?? "", span: tok ? this.tokSpan(tok) : this.span(espan.start, espan.start) };
        return { key, value: this.expression(m.children.expression?.[0], espan.end), span: espan };
      });
      return { kind: "map", entries, span };
    }
    if (c.listLiteral) {
      return { kind: "list", items: (c.listLiteral[0].children.expression ?? []).map((e) => this.expression(e, span.end)), span };
    }
    if (c.parenExpr) return { kind: "paren", expr: this.expression(c.parenExpr[0].children.expression?.[0], span.end), span };
    if (c.ifExpr) return this.ifExpr(c.ifExpr[0], at);
    if (c.forExpr) {
      const f = c.forExpr[0].children;
      const exprs = f.expression ?? [];
      const loop: A.ForExpr = {
        kind: "for",
        binding: this.name(f.Identifier?.[0], span.start),
        iterable: this.expression(exprs[0], span.end),
        body: this.block(f.block?.[0], span.end),
        span,
        ...(f.If ? { filter: this.expression(exprs[1], span.end) } : {}),
      };
      return loop;
    }
    if (c.foldExpr) {
      const f = c.foldExpr[0].children;
      return {
        kind: "fold",
        state: this.name(f.state?.[0], span.start),
        init: this.expression(f.init?.[0], span.end),
        binding: this.name(f.binding?.[0], span.start),
        iterable: this.expression(f.iterable?.[0], span.end),
        body: this.block(f.block?.[0], span.end),
        span,
      };
    }
    if (c.loopExpr) {
      const l = c.loopExpr[0].children;
      const maxTok = l.max?.[0];
      const max: A.IntLit | A.Ident =
        maxTok && maxTok.tokenType === T.IntLiteral ? (this.intLit(maxTok) as A.IntLit) : { kind: "ident", name: maxTok?.image ?? "", span: maxTok ? this.tokSpan(maxTok) : this.span(span.end, span.end) };
      return {
        kind: "loop",
        state: this.name(l.state?.[0], span.start),
        init: this.expression(l.init?.[0], span.end),
        condition: this.expression(l.condition?.[0], span.end),
        max,
        body: this.block(l.block?.[0], span.end),
        span,
      };
    }
    return { kind: "null", span };
  }

  /** Folds `if c1 {} else if c2 {} ... else {}` from the end into nested `if` nodes. */
  private ifExpr(cst: C.IfExprCstNode, at: number): A.IfExpr {
    const c = cst.children;
    const span = this.nodeSpan(cst, at);
    const conditions = c.expression ?? [];
    const blocks = c.block ?? [];
    const ifs = c.If ?? [];
    let alt: A.Block | A.IfExpr | undefined = blocks.length > conditions.length ? this.block(blocks[blocks.length - 1], span.end) : undefined;
    for (let i = conditions.length - 1; i >= 0; i--) {
      const start = ifs[i] && !Number.isNaN(ifs[i].startOffset) ? ifs[i].startOffset : span.start;
      const node: A.IfExpr = {
        kind: "if",
        condition: this.expression(conditions[i], start),
        then: this.block(blocks[i], span.end),
        span: this.span(start, span.end),
        ...(alt ? { else: alt } : {}),
      };
      alt = node;
    }
    return (alt as A.IfExpr | undefined) ?? { kind: "if", condition: { kind: "null", span }, then: this.block(undefined, span.end), span };
  }

  private intLit(t: IToken): A.Expr {
    const value = Number(t.image);
    if (!Number.isSafeInteger(value)) this.diagnostics.push(makeDiagnostic("FE1009", this.tokSpan(t), [t.image]));
    return { kind: "int", value: Number.isSafeInteger(value) ? value : 0, span: this.tokSpan(t) };
  }

  private stringLit(t: IToken | undefined, at = 0): A.StringLit {
    if (!t || Number.isNaN(t.startOffset)) return { kind: "string", value: "", span: this.span(at, at) };
    const closed = t.image.length >= 2 && t.image.endsWith('"') && !t.image.endsWith('\\"');
    const body = t.image.slice(1, closed ? -1 : undefined);
    const { value, errors } = decodeEscapes(body, t.startOffset + 1);
    for (const e of errors) {
      this.diagnostics.push(
        makeDiagnostic("FE1004", this.span(e.offset, e.offset + e.length), [e.text], {
          help: e.text === "\\" ? undefined : "write a backslash as `\\\\`",
        }),
      );
    }
    return { kind: "string", value, span: this.tokSpan(t) };
  }

  // Templates.
  template(cst: C.TemplateCstNode | undefined): A.Template {
    const span = this.nodeSpan(cst);
    return { kind: "template", parts: this.templateParts(cst?.children.templateBody?.[0], false), span };
  }

  /** Builds the parts of a template body; `fromFile` skips the `"""` indentation rules. */
  templateParts(body: C.TemplateBodyCstNode | undefined, fromFile: boolean): A.TemplatePart[] {
    if (!body) return [];
    const own: IToken[] = [];
    collectTemplateTokens(body, own);
    own.sort((a, b) => a.startOffset - b.startOffset);
    const texts = templateTexts(own, fromFile);
    return this.partsOf(body, texts);
  }

  private partsOf(body: C.TemplateBodyCstNode | undefined, texts: Map<IToken, string>): A.TemplatePart[] {
    const parts: A.TemplatePart[] = [];
    for (const p of body?.children.templatePart ?? []) {
      const c = p.children;
      if (c.TemplateText) {
        const t = c.TemplateText[0];
        const value = texts.get(t) ?? t.image;
        const last = parts[parts.length - 1];
        // Text split by a `{# comment #}` is one piece of text.
        if (last?.kind === "text") parts[parts.length - 1] = { kind: "text", value: last.value + value, span: this.span(last.span.start, tokenEnd(t)) };
        else if (value !== "") parts.push({ kind: "text", value, span: this.tokSpan(t) });
      } else if (c.interpolation) {
        const i = c.interpolation[0];
        const span = this.nodeSpan(i);
        const filters = (i.children.filter ?? []).map((f) => ({
          name: this.name(f.children.Identifier?.[0], span.end),
          args: f.children.args ? this.args(f.children.args[0], span.end) : [],
          span: this.nodeSpan(f, span.end),
        }));
        parts.push({ kind: "interpolation", expr: this.expression(i.children.expression?.[0], span.start), filters, span });
      } else if (c.templateIf) {
        const n = c.templateIf[0].children;
        const branches: A.TemplateBranch[] = [
          { condition: this.expression(n.expression?.[0], 0), body: this.partsOf(n.templateBody?.[0], texts) },
          ...(n.templateElif ?? []).map((e) => ({
            condition: this.expression(e.children.expression?.[0], 0),
            body: this.partsOf(e.children.templateBody?.[0], texts),
          })),
        ];
        const elseBody = n.templateElse?.[0];
        parts.push({
          kind: "templateIf",
          branches,
          span: this.nodeSpan(c.templateIf[0]),
          ...(elseBody ? { else: this.partsOf(elseBody.children.templateBody?.[0], texts) } : {}),
        });
      } else if (c.templateFor) {
        const n = c.templateFor[0].children;
        const span = this.nodeSpan(c.templateFor[0]);
        const exprs = n.expression ?? [];
        parts.push({
          kind: "templateFor",
          binding: this.name(n.Identifier?.[0], span.start),
          iterable: this.expression(exprs[0], span.start),
          body: this.partsOf(n.templateBody?.[0], texts),
          span,
          ...(n.If ? { filter: this.expression(exprs[1], span.start) } : {}),
        });
      }
    }
    return parts;
  }
}

const TEMPLATE_TOKENS = new Set([T.TemplateText, T.ExprOpen, T.ExprClose, T.TagOpen, T.TagClose]);

/** Collects a template's own text and tag tokens, not those of templates nested in code. */
function collectTemplateTokens(node: CstNode, out: IToken[]): void {
  for (const [key, children] of Object.entries(node.children)) {
    if (key === "expression" || key === "args") continue;
    for (const child of children) {
      if ("tokenType" in child) {
        if (TEMPLATE_TOKENS.has(child.tokenType) && !Number.isNaN(child.startOffset)) out.push(child);
      } else collectTemplateTokens(child, out);
    }
  }
}
