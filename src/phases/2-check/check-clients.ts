/**
 * Checks client declarations: the endpoint exists, every setting is known, of the right
 * type and in range, `model` is given, keys are not written in the source; combinators
 * combine clients of one kind. Also checks per-call settings of model calls.
 */
import type * as A from "../1-parse/ast.js";
import { didYouMean, suggestName, type Span } from "../../diagnostics/index.js";
import type { CheckContext } from "./context.js";
import { COMBINATORS, ENDPOINTS, type EndpointKind, type EndpointSpec, type SettingSpec } from "./endpoints.js";
import { literalValue, NOT_LITERAL } from "./literal-value.js";
import type { ClientInfo, SettingValue, Sym } from "./symbols.js";

const describe = (v: unknown): string =>
  typeof v === "string" ? "a string" : typeof v === "boolean" ? "a bool" : typeof v === "number" ? (Number.isInteger(v) ? "an int" : "a float") : Array.isArray(v) ? "a list" : v === null ? "`null`" : "a value";

const EXPECTS: Record<SettingSpec["type"], string> = {
  string: "a string",
  int: "an int",
  float: "a number",
  bool: "a bool",
  "string[]": "a string or a list of strings",
  secret: '`env("NAME")`',
};

/** `env("NAME")` as written in a setting, or undefined. */
function envCall(e: A.Expr): { name: string } | undefined {
  if (e.kind !== "call" || e.callee.kind !== "ident" || e.callee.name !== "env") return undefined;
  const arg = e.args[0]?.value;
  return e.args.length === 1 && !e.args[0].name && arg?.kind === "string" ? { name: arg.value } : undefined;
}

function range(spec: SettingSpec): string {
  if (spec.min !== undefined && spec.max !== undefined) return `between ${spec.min} and ${spec.max}`;
  if (spec.min !== undefined) return `at least ${spec.min}`;
  return `at most ${spec.max}`;
}

/**
 * Checks one setting value against its spec; returns the value, or undefined after
 * reporting. `perCall` is true for a named argument of a model call.
 */
export function checkSetting(ctx: CheckContext, key: A.Name, value: A.Expr, spec: SettingSpec, perCall: boolean): SettingValue | undefined {
  const env = envCall(value);
  if (env) {
    if (perCall || (spec.type !== "secret" && spec.type !== "string")) {
      ctx.report("FE2035", value.span, [], { help: perCall ? "set it on the client declaration" : undefined });
      return undefined;
    }
    return { env: env.name };
  }
  const v = literalValue(value);
  if (v === NOT_LITERAL || (typeof v === "object" && v !== null && !Array.isArray(v))) {
    ctx.report("FE2031", value.span, [perCall ? `the per-call setting \`${key.text}\`` : `the setting \`${key.text}\``], {
      help: "settings are part of the batch key, so they must be known when the program is compiled",
    });
    return undefined;
  }
  const ok =
    spec.type === "secret" || spec.type === "string"
      ? typeof v === "string"
      : spec.type === "int"
        ? typeof v === "number" && Number.isInteger(v)
        : spec.type === "float"
          ? typeof v === "number"
          : spec.type === "bool"
            ? typeof v === "boolean"
            : typeof v === "string" || (Array.isArray(v) && v.every((x) => typeof x === "string"));
  if (!ok) {
    ctx.report("FE2011", value.span, [key.text, EXPECTS[spec.type], describe(v)]);
    return undefined;
  }
  if (spec.type === "secret") {
    ctx.report("FE2038", value.span, [], { help: `write \`${key.text}: env("MY_API_KEY")\` and set the variable when you run` });
    return undefined;
  }
  if (typeof v === "number" && ((spec.min !== undefined && v < spec.min) || (spec.max !== undefined && v > spec.max))) {
    ctx.report("FE2012", value.span, [key.text, range(spec)]);
    return undefined;
  }
  if (spec.oneOf && typeof v === "string" && !spec.oneOf.includes(v)) {
    ctx.report("FE2012", value.span, [key.text, `one of ${spec.oneOf.map((o) => `"${o}"`).join(", ")}`], {
      help: didYouMean(v, spec.oneOf)?.replace(/`/g, '"'),
    });
    return undefined;
  }
  // A single stop string is a list of one, as the providers read it.
  return (spec.type === "string[]" && typeof v === "string" ? [v] : v) as SettingValue;
}

/** Checks a settings list against an endpoint; reports unknown and repeated keys. */
export function checkSettings(
  ctx: CheckContext,
  entries: readonly { key: A.Name; value: A.Expr }[],
  endpoint: EndpointSpec,
  perCall: boolean,
): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  const seen = new Map<string, Span>();
  const keys = Object.keys(endpoint.settings).filter((k) => !perCall || endpoint.settings[k].perCall);
  for (const { key, value } of entries) {
    const spec = endpoint.settings[key.text];
    if (!spec || (perCall && !spec.perCall)) {
      const extras = spec ? { help: "this setting belongs on the client declaration, not on one call" } : suggestName(key.text, keys, key.span);
      ctx.report("FE2010", key.span, [key.text, endpoint.name], extras);
      continue;
    }
    const first = seen.get(key.text);
    if (first) {
      ctx.report("FE2016", key.span, [key.text], { labels: [{ span: first, message: "first given here" }] });
      continue;
    }
    seen.set(key.text, key.span);
    const v = checkSetting(ctx, key, value, spec, perCall);
    if (v !== undefined) out[key.text] = v;
  }
  return out;
}

/** Checks a client declaration (memoised), following combinators to their members. */
export function clientInfo(ctx: CheckContext, sym: Extract<Sym, { kind: "client" }>, resolving: Set<A.ClientDecl> = new Set()): ClientInfo {
  const cached = ctx.clients.get(sym.decl);
  if (cached) return cached;
  const src = sym.decl.source;
  let info: ClientInfo;
  if (src.kind === "endpoint") {
    const name = `${src.provider.text}.${src.endpoint.text}`;
    const endpoint = ENDPOINTS[name];
    if (!endpoint) {
      ctx.report("FE2013", { ...src.provider.span, end: src.endpoint.span.end }, [name], {
        help: didYouMean(name, Object.keys(ENDPOINTS)) ?? `endpoints are ${Object.keys(ENDPOINTS).map((k) => `\`${k}\``).join(", ")}`,
      });
      info = { settings: {} };
    } else {
      const settings = checkSettings(ctx, src.settings, endpoint, /*perCall*/ false);
      if (!src.settings.some((s) => s.key.text === "model")) {
        ctx.report("FE2037", sym.decl.name.span, [sym.decl.name.text], { help: 'add a setting such as `model: "gpt-4o-mini"`' });
      }
      info = { kind: endpoint.kind, endpoint, settings };
    }
  } else {
    info = combinatorInfo(ctx, sym, src, resolving);
  }
  ctx.clients.set(sym.decl, info);
  return info;
}

function combinatorInfo(ctx: CheckContext, sym: Extract<Sym, { kind: "client" }>, src: A.CombinatorSource, resolving: Set<A.ClientDecl>): ClientInfo {
  if (!(COMBINATORS as readonly string[]).includes(src.combinator.text)) {
    ctx.report("FE2013", src.combinator.span, [src.combinator.text], suggestName(src.combinator.text, COMBINATORS, src.combinator.span));
    return { settings: {} };
  }
  resolving.add(sym.decl);
  const kinds = new Map<EndpointKind, A.Name>();
  const members: string[] = [];
  const scope = ctx.scope(sym.file);
  for (const m of src.members) {
    const target = scope.get(m.text);
    if (target?.kind !== "client") {
      const clients = [...scope].filter(([, s]) => s.kind === "client").map(([n]) => n);
      const near = suggestName(m.text, clients, m.span);
      ctx.report("FE2049", m.span, [m.text], { ...near, help: near.help ?? declaredClientsHelp(clients) });
      continue;
    }
    if (resolving.has(target.decl)) {
      ctx.report("FE2050", m.span, [sym.decl.name.text]);
      continue;
    }
    const info = clientInfo(ctx, target, resolving);
    if (info.kind && !kinds.has(info.kind)) kinds.set(info.kind, m);
    members.push(m.text);
  }
  resolving.delete(sym.decl);
  const [first, ...others] = [...kinds];
  if (others.length > 0) {
    const [kind, member] = others[0];
    ctx.report("FE2036", member.span, [sym.decl.name.text], {
      labels: [{ span: first[1].span, message: `a ${first[0]} client` }],
      help: `\`${member.text}\` is ${/^[aeiou]/.test(kind) ? "an" : "a"} ${kind} client; combine clients of one kind`,
    });
  }
  const kind = others.length === 0 && first ? first[0] : undefined;
  return { ...(kind ? { kind } : {}), settings: {}, combinator: { name: src.combinator.text, members } };
}

/** The help for a name that is not a declared client: what the clients are, or how to declare one. */
export function declaredClientsHelp(clients: readonly string[]): string {
  if (clients.length === 0) return 'declare a client first, e.g. `client gpt: openai.chat { model: "gpt-4o-mini" }`';
  const names = [...clients].sort().map((n) => `\`${n}\``);
  return clients.length === 1 ? `the declared client is ${names[0]}` : `the declared clients are ${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
