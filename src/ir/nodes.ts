/**
 * The graph IR: what lowering produces, the optimizer rewrites, `feste plan` describes and the
 * runtime executes. A graph is a table of nodes keyed by stable ids (a hash of each node's
 * kind, arguments and dependencies, so equal nodes get equal ids) and an output id. `map`
 * and `cond` hold subgraphs that run per element or per branch; a subgraph's nodes may
 * refer to the enclosing graph's nodes by id, and to the element bindings by `input` nodes.
 */
import type { Span } from "../diagnostics/diagnostic.js";
import type { Type } from "./types.js";
import type { Data, Value } from "./value.js";

export type NodeId = string;

/** A client setting's value; `env` is read from the environment when the program runs. */
export type SettingValue = string | number | boolean | readonly string[] | { readonly env: string };
export type Settings = Readonly<Record<string, SettingValue>>;

interface Base {
  readonly id: NodeId;
  readonly type: Type;
  /** Where in a `.feste` file the node comes from, for errors at run time. */
  readonly span?: Span;
}

/** A value bound from outside: a graph parameter, or the element a `map` is at. */
export interface InputNode extends Base {
  readonly kind: "input";
  readonly name: string;
}
/** A value known at compile time; a prompt rendered from constants is folded into one. */
export interface ConstNode extends Base {
  readonly kind: "const";
  readonly value: Value;
}
/** Renders a prompt with its arguments, in parameter order. */
export interface RenderNode extends Base {
  readonly kind: "render";
  readonly prompt: string;
  readonly args: readonly NodeId[];
}
/**
 * A chat or completion model call. `site` tells apart calls that must not be merged (the
 * call site of a call whose effective temperature is above 0, or every call before dedupe).
 */
export interface CallNode extends Base {
  readonly kind: "call";
  readonly client: string;
  readonly prompt: NodeId;
  /** Effective settings: the client's, overridden by the call's own. */
  readonly settings: Settings;
  readonly site?: string;
  /**
   * `tools: [f, g]`: the call is a conversation of up to `maxSteps` model turns, the runtime
   * running the tools the model asks for in between. Such a call is never merged or batched
   * into a `batch` node (it keeps its site); its turns are batched dynamically.
   */
  readonly tools?: readonly IrTool[];
  readonly maxSteps?: number;
}

/** A tool of a chat call: an extern function the model may call, with its signature. */
export interface IrTool {
  readonly name: string;
  readonly module: string;
  readonly params: readonly IrParam[];
  readonly output: Type;
  /** The function's `///` comment, sent as the tool's description. */
  readonly description?: string;
  /** Set for an `extern io fn`. */
  readonly io?: IoSettings;
  /** The extern's declaration, for errors naming the tool's `.feste` line. */
  readonly span?: Span;
}
/** An embedding call on one text or a list of texts. */
export interface EmbedNode extends Base {
  readonly kind: "embed";
  readonly client: string;
  readonly input: NodeId;
  readonly settings: Settings;
  readonly site?: string;
}
export interface RerankNode extends Base {
  readonly kind: "rerank";
  readonly client: string;
  readonly query: NodeId;
  readonly documents: NodeId;
  readonly settings: Settings;
  readonly site?: string;
}
/** A pure operation: a builtin function or an operator, on already computed values. */
export interface OpNode extends Base {
  readonly kind: "op";
  readonly op: string;
  readonly args: readonly NodeId[];
}
export interface ExternNode extends Base {
  readonly kind: "extern";
  readonly fn: string;
  /** The module's path, resolved against the `.feste` file that declares the function. */
  readonly module: string;
  readonly args: readonly NodeId[];
  /**
   * Set for an `extern io fn`: effectful, run on the main event loop with these settings
   * (`timeout` in seconds, `retries` after the first try), never folded, merged or cached.
   */
  readonly io?: IoSettings;
  /** An io call's call site: two io calls with equal arguments stay two nodes, two calls. */
  readonly site?: string;
}

/** How an `extern io fn` runs: `timeout` in seconds for one try, `retries` after the first. */
export interface IoSettings {
  readonly timeout?: number;
  readonly retries?: number;
}
export interface RecordNode extends Base {
  readonly kind: "record";
  readonly fields: readonly (readonly [string, NodeId])[];
}
export interface ListNode extends Base {
  readonly kind: "list";
  readonly items: readonly NodeId[];
}
/** A field of a record, or an element of a list at a computed index. */
export interface GetNode extends Base {
  readonly kind: "get";
  readonly target: NodeId;
  readonly field?: string;
  readonly index?: NodeId;
}
/**
 * Runs `body` once per position of the lists (in lockstep, so fission can add result lists),
 * binding each list's element to the `input` node of the same position's name. With a
 * `filter`, only the positions where it holds are kept. The result keeps input order.
 */
export interface MapNode extends Base {
  readonly kind: "map";
  readonly lists: readonly NodeId[];
  readonly bindings: readonly string[];
  readonly body: Subgraph;
  readonly filter?: Subgraph;
}
/**
 * `fold`: starts with `init` and runs `body` once per element of `list`, in order, binding
 * the state so far to the `input` named `state` and the element to the one named `binding`;
 * the body's value is the next state, and the last state is the node's value.
 */
export interface FoldNode extends Base {
  readonly kind: "fold";
  readonly init: NodeId;
  readonly list: NodeId;
  readonly state: string;
  readonly binding: string;
  readonly body: Subgraph;
}
/**
 * `loop`: the state starts as `init`; while `until` (over the `input` named `state`) is false
 * and fewer than `max` rounds have run, the state becomes `body`'s value. Its value is the
 * last state. Inside a `map`, round k of every element still looping is sent together.
 */
export interface LoopNode extends Base {
  readonly kind: "loop";
  readonly init: NodeId;
  readonly state: string;
  readonly until: Subgraph;
  readonly body: Subgraph;
  readonly max: number;
}
/** Runs one branch: nothing in the other branch is computed (it may hold model calls). */
export interface CondNode extends Base {
  readonly kind: "cond";
  readonly condition: NodeId;
  readonly then: Subgraph;
  readonly else: Subgraph;
}
/**
 * Model calls grouped by the optimizer: the same client and settings, sent together. Either
 * a fixed group (`items`, one prompt or text per call, read back with `pick`) or a call per
 * element of a list (`list`), whose result is the list of answers in order.
 */
export interface BatchNode extends Base {
  readonly kind: "batch";
  readonly endpoint: "call" | "embed";
  readonly client: string;
  readonly settings: Settings;
  readonly items?: readonly NodeId[];
  readonly list?: NodeId;
  /** For `embed` batches over a list: whether each element is a list of texts, not one text. */
  readonly itemIsList?: boolean;
  /** For `embed` batches of fixed items: which items are lists of texts (the rest are one text). */
  readonly listItems?: readonly boolean[];
  /** The type of one answer. */
  readonly element: Type;
  /** Call sites of calls that must not merge (see `CallNode.site`), so such batches stay apart. */
  readonly sites?: readonly string[];
}
export interface PickNode extends Base {
  readonly kind: "pick";
  readonly batch: NodeId;
  readonly index: number;
}
/**
 * Local pure nodes merged by the `fuse` pass into one task, so the scheduler handles one
 * node where there were many. Its value is its body's output.
 */
export interface FuseNode extends Base {
  readonly kind: "fuse";
  readonly body: Subgraph;
}

export type IrNode =
  | InputNode
  | ConstNode
  | RenderNode
  | CallNode
  | EmbedNode
  | RerankNode
  | OpNode
  | ExternNode
  | RecordNode
  | ListNode
  | GetNode
  | MapNode
  | FoldNode
  | LoopNode
  | CondNode
  | BatchNode
  | PickNode
  | FuseNode;

export type NodeKind = IrNode["kind"];

/** Nodes computed in a scope (the graph, a map body, a branch) and the one that is its value. */
export interface Subgraph {
  readonly nodes: Readonly<Record<NodeId, IrNode>>;
  readonly output: NodeId;
}

export interface IrParam {
  readonly name: string;
  readonly type: Type;
  /** A prompt parameter's default (`max_words: int = 10`), evaluated once when lowering. */
  readonly default?: Data;
}

export interface IrGraph extends Subgraph {
  readonly name: string;
  readonly params: readonly IrParam[];
  readonly type: Type;
  readonly span?: Span;
}

/**
 * A prompt: each role section is a subgraph over the parameters' `input` nodes giving text;
 * a `messages` section's subgraph gives a `Message[]` whose turns are inserted in its place.
 */
export interface IrPrompt {
  readonly name: string;
  readonly params: readonly IrParam[];
  readonly output: Type;
  readonly lang: string;
  readonly sections: readonly IrPromptSection[];
  readonly span?: Span;
}

export interface IrPromptSection {
  readonly role: "system" | "user" | "assistant" | "messages";
  readonly text: Subgraph;
}

export interface IrClient {
  readonly name: string;
  readonly provider?: "openai" | "cohere";
  readonly endpoint?: string;
  readonly kind?: "chat" | "completion" | "embedding" | "rerank";
  readonly settings: Settings;
  readonly combinator?: { readonly name: "fallback" | "round_robin"; readonly members: readonly string[] };
}

export type IrTypeDef =
  | {
      readonly kind: "record";
      readonly name: string;
      /** `description`: the field's `///` comment, sent as the JSON schema's `description`. */
      readonly fields: readonly { readonly name: string; readonly type: Type; readonly optional: boolean; readonly description?: string }[];
    }
  | {
      readonly kind: "enum";
      readonly name: string;
      readonly members: readonly string[];
      /** Members' `///` comments by member name (only those that have one). */
      readonly descriptions?: Readonly<Record<string, string>>;
    };

/** Everything one `.feste` program needs to run: graphs, prompts, clients and types by name. */
export interface IrProgram {
  readonly graphs: Readonly<Record<string, IrGraph>>;
  readonly prompts: Readonly<Record<string, IrPrompt>>;
  readonly clients: Readonly<Record<string, IrClient>>;
  readonly types: Readonly<Record<string, IrTypeDef>>;
}

export const MODEL_KINDS: ReadonlySet<NodeKind> = new Set(["call", "embed", "rerank", "batch"]);

/** Kinds computed locally from their inputs, with no model, no extern and no side effect. */
export const PURE_KINDS: ReadonlySet<NodeKind> = new Set(["input", "const", "render", "op", "record", "list", "get", "map", "fold", "loop", "cond", "pick", "fuse"]);

/** Whether a node talks to a model (and so costs money and time). */
export function isModelNode(n: IrNode): boolean {
  return MODEL_KINDS.has(n.kind);
}
