/**
 * Calls: prompts render, graphs and extern functions run, builtins compute, and clients
 * make model calls. Arguments are bound to parameters (positional, then named), checked
 * against their types, and recorded in parameter order for lowering.
 */
import type * as A from "../1-parse/ast.js";
import { suggestName, type Span } from "../../diagnostics/index.js";
import { BUILTINS } from "./builtins.js";
import { checkSettings, clientInfo, declaredClientsHelp } from "./check-clients.js";
import type { ExprChecker } from "./check-expr.js";
import { WHERE_TEXT } from "./check-expr.js";
import { ENDPOINTS, type EndpointSpec } from "./endpoints.js";
import type { LocalScope } from "./local-scope.js";
import { reportPromptAsText } from "./prompt-as-text.js";
import { promptInfo, signature } from "./signatures.js";
import { SYM_WHAT, type ParamInfo, type Sym } from "./symbols.js";
import { checkTools, TOOL_ARGS } from "./check-tools.js";
import { ERROR, FLOAT, RANKED, STRING, assignable, isStringish, list, showType, type Type } from "./types.js";

export function checkCall(c: ExprChecker, e: A.Call, scope: LocalScope): Type {
  const ctx = c.ctx;
  const checkArgs = () => e.args.forEach((a) => c.check(a.value, scope));
  if (e.callee.kind !== "ident") {
    ctx.report("FE2024", e.callee.span, ["this expression"], { help: "call a prompt, graph, client, extern fn or builtin by its name" });
    checkArgs();
    return ERROR;
  }
  const name = e.callee.name;
  const local = scope.lookup(name);
  if (local) {
    local.used = true;
    // A local of the error type was already reported where it was bound.
    if (local.type.kind !== "error") ctx.report("FE2024", e.callee.span, [`\`${name}\`, a \`${showType(local.type)}\` value,`]);
    checkArgs();
    return ERROR;
  }
  if (name === "env") {
    ctx.report("FE2035", e.span, []);
    return ERROR;
  }
  const sym = ctx.scope(c.file).get(name);
  if (sym) return callSymbol(c, e, sym, scope);
  const builtin = BUILTINS.get(name);
  if (builtin) {
    const args = bindArgs(c, name, builtin.params.map((p) => ({ name: p.name, optional: p.optional })), e, e.callee.span);
    if (!args) {
      checkArgs();
      return ERROR;
    }
    const types = args.map((a) => (a ? c.check(a, scope) : undefined));
    ctx.calls.set(e, { kind: "builtin", builtin, args });
    if (types.some((t) => t?.kind === "error")) return ERROR;
    const r = builtin.check(types);
    if ("arg" in r) {
      const found = types[r.arg]!;
      const promptish = found.kind === "prompt" ? STRING : found.kind === "list" && found.element.kind === "prompt" ? list(STRING) : undefined;
      if (promptish) {
        reportPromptAsText(ctx, c.file, args[r.arg]!, found, promptish, showType);
        return ERROR;
      }
      ctx.report("FE2005", args[r.arg]!.span, [r.expected, `\`${showType(found)}\``], {
        help: found.kind === "optional" ? "give it a default first with `?? value`" : undefined,
      });
      return ERROR;
    }
    return r;
  }
  const argTypes = e.args.map((a) => c.check(a.value, scope));
  const visible = [...ctx.scope(c.file)];
  const clients = visible.filter(([, s]) => s.kind === "client").map(([n]) => n);
  if (argTypes.some((t) => t.kind === "prompt")) {
    // A name applied to a prompt is meant as a client: suggest and list only those.
    const near = suggestName(name, clients, e.callee.span);
    const list = declaredClientsHelp(clients);
    ctx.report("FE2047", e.callee.span, [name], { ...near, help: near.help ? `${near.help} ${list}` : `\`${name}\` is not a declared client: ${list}` });
    return ERROR;
  }
  const callables = visible.filter(([, s]) => s.kind !== "type" && s.kind !== "enum" && s.kind !== "const").map(([n]) => n);
  ctx.report("FE2047", e.callee.span, [name], suggestName(name, [...callables, ...BUILTINS.keys()], e.callee.span));
  return ERROR;
}

function callSymbol(c: ExprChecker, e: A.Call, sym: Sym, scope: LocalScope): Type {
  const ctx = c.ctx;
  const calleeSpan = e.callee.span;
  switch (sym.kind) {
    case "prompt": {
      const info = promptInfo(ctx, sym);
      const args = bindAndCheck(c, e, sym.decl.name.text, info.params, scope);
      if (args) ctx.calls.set(e, { kind: "prompt", sym, args });
      return { kind: "prompt", output: info.output, lang: info.lang };
    }
    case "graph":
    case "extern": {
      if (c.where !== "graph" && c.where !== "test") {
        ctx.report("FE2027", e.span, [`the ${sym.kind === "graph" ? "graph" : "extern function"} \`${sym.decl.name.text}\``, WHERE_TEXT[c.where]]);
      }
      const sig = signature(ctx, sym);
      const args = bindAndCheck(c, e, sym.decl.name.text, sig.params, scope);
      if (args) ctx.calls.set(e, { kind: sym.kind, sym, args });
      if (sym.kind === "graph") c.graphCalls.push({ name: sym.decl.name.text, file: sym.file, span: calleeSpan });
      return sig.output;
    }
    case "client":
      return modelCall(c, e, sym, scope);
    default:
      ctx.report("FE2024", calleeSpan, [`\`${sym.decl.name.text}\`, ${SYM_WHAT[sym.kind]},`], {
        help: sym.kind === "type" ? `build a record with \`${sym.decl.name.text} { field: value }\`` : undefined,
      });
      e.args.forEach((a) => c.check(a.value, scope));
      return ERROR;
  }
}

/** Binds arguments to parameters and checks each against its parameter's type. */
function bindAndCheck(c: ExprChecker, e: A.Call, name: string, params: readonly ParamInfo[], scope: LocalScope) {
  const args = bindArgs(c, name, params.map((p) => ({ name: p.name, optional: p.default !== undefined })), e, e.callee.span);
  if (!args) {
    e.args.forEach((a) => c.check(a.value, scope));
    return undefined;
  }
  args.forEach((a, i) => a && c.expect(a, params[i].type, scope));
  return args;
}

/**
 * Places arguments by parameter: positional first, then named. Reports extra, unknown,
 * repeated and missing arguments; returns undefined when any was reported.
 */
export function bindArgs(
  c: ExprChecker,
  name: string,
  params: readonly { name: string; optional?: boolean }[],
  e: A.Call,
  at: Span,
): (A.Expr | undefined)[] | undefined {
  const ctx = c.ctx;
  const out: (A.Expr | undefined)[] = params.map(() => undefined);
  let ok = true;
  let sawNamed = false;
  e.args.forEach((a, i) => {
    if (!a.name) {
      if (sawNamed) {
        ctx.report("FE2051", a.span, [], { help: "put positional arguments first" });
        ok = false;
      } else if (i >= params.length) {
        const n = params.length;
        ctx.report("FE2006", a.span, [name, `${n} argument${n === 1 ? "" : "s"}`, e.args.filter((x) => !x.name).length]);
        ok = false;
      } else out[i] = a.value;
      return;
    }
    sawNamed = true;
    const k = params.findIndex((p) => p.name === a.name!.text);
    if (k < 0) {
      ctx.report("FE2007", a.name.span, [a.name.text, name], suggestName(a.name.text, params.map((p) => p.name), a.name.span));
      ok = false;
    } else if (out[k]) {
      ctx.report("FE2009", a.name.span, [a.name.text]);
      ok = false;
    } else out[k] = a.value;
  });
  if (!ok) return undefined;
  params.forEach((p, i) => {
    if (!out[i] && !p.optional) {
      ctx.report("FE2008", at, [p.name, name], { labels: [{ span: e.span, message: "in this call" }] });
      ok = false;
    }
  });
  return ok ? out : undefined;
}

/** The endpoint a client's calls go to; for a combinator, that of its first member. */
function endpointOf(c: ExprChecker, sym: Extract<Sym, { kind: "client" }>, seen = new Set<string>()): EndpointSpec | undefined {
  const info = clientInfo(c.ctx, sym);
  if (info.endpoint) return info.endpoint;
  for (const m of info.combinator?.members ?? []) {
    const target = c.ctx.scope(sym.file).get(m);
    if (target?.kind === "client" && !seen.has(m)) {
      seen.add(m);
      const ep = endpointOf(c, target, seen);
      if (ep) return ep;
    }
  }
  return undefined;
}

function modelCall(c: ExprChecker, e: A.Call, sym: Extract<Sym, { kind: "client" }>, scope: LocalScope): Type {
  const ctx = c.ctx;
  const name = sym.decl.name.text;
  if (c.where !== "graph" && c.where !== "test") {
    ctx.report("FE2027", e.span, ["a model call", WHERE_TEXT[c.where]], { help: "make the call in a graph and pass its result in as an argument" });
  }
  const endpoint = endpointOf(c, sym);
  const positional = e.args.filter((a) => !a.name);
  const allNamed = e.args.filter((a) => a.name).map((a) => ({ key: a.name!, value: a.value }));
  const named = allNamed.filter((a) => !TOOL_ARGS.has(a.key.text));
  const types = positional.map((a) => c.check(a.value, scope));
  const tools = checkTools(c, e, endpoint, allNamed.filter((a) => TOOL_ARGS.has(a.key.text)));
  if (!endpoint) return ERROR;
  const settings = checkSettings(ctx, named, ENDPOINTS[endpoint.name], /*perCall*/ true);
  ctx.calls.set(e, { kind: "model", client: sym, args: positional.map((a) => a.value), settings, ...(tools ? { tools } : {}) });
  const extra = (n: number): Span => ({ ...positional[n].span, end: positional[positional.length - 1].span.end });
  const fail = (detail: string, at: Span = e.span) => {
    ctx.report("FE2045", at, [detail]);
    return ERROR;
  };
  if (types.some((t) => t.kind === "error")) return ERROR;
  switch (endpoint.kind) {
    case "chat":
    case "completion": {
      if (positional.length !== 1) return fail(`\`${name}\` takes one prompt or string, but ${positional.length} ${positional.length === 1 ? "was" : "were"} given`, positional.length > 1 ? extra(1) : e.span);
      const t = types[0];
      if (t.kind === "prompt") return t.output;
      if (isStringish(t)) return STRING;
      return fail(`\`${name}\` takes a prompt or a string, found \`${showType(t)}\``, positional[0].span);
    }
    case "embedding": {
      if (positional.length !== 1) return fail(`\`${name}\` takes one string or list of strings, but ${positional.length} ${positional.length === 1 ? "was" : "were"} given`, positional.length > 1 ? extra(1) : e.span);
      const t = types[0];
      if (isStringish(t)) return list(FLOAT);
      if (t.kind === "list" && isStringish(t.element)) return list(list(FLOAT));
      return fail(`\`${name}\` embeds a string or a list of strings, found \`${showType(t)}\``, positional[0].span);
    }
    case "rerank": {
      if (positional.length !== 2) return fail(`\`${name}\` takes a query and a list of documents, but ${positional.length} argument${positional.length === 1 ? " was" : "s were"} given`, positional.length > 2 ? extra(2) : e.span);
      if (!isStringish(types[0])) return fail(`the query of \`${name}\` must be a string, found \`${showType(types[0])}\``, positional[0].span);
      if (!assignable(types[1], list(STRING))) return fail(`the documents of \`${name}\` must be a list of strings, found \`${showType(types[1])}\``, positional[1].span);
      return list(RANKED);
    }
  }
}
