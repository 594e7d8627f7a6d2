/**
 * Where the compiled closures of `compile-pure.ts` keep values: each scope (a node compiled
 * on its own, a `map` element, a branch, a fused body) runs over one flat array of slots.
 * Names are turned into slot numbers once, at compile time, so a closure reads `s[3]`
 * where the interpreter looks a node up through a chain of frames. A scope copies the few
 * values it reads from around it into its own slots when it starts.
 */
import type { Frame } from "./evaluate-pure.js";
import type { NodeId } from "./nodes.js";
import type { Type } from "./types.js";
import type { Value } from "./value.js";

/** A value the outermost scope reads from the interpreter's frame when it starts. */
interface Boundary {
  readonly to: number;
  readonly id?: NodeId;
  readonly name?: string;
}

/** The slots of one scope, filled in while its nodes are compiled. */
export class SlotLayout {
  /** Slots of node values, by id, and of values bound by name (parameters, `map` elements, prompt arguments). */
  private readonly nodes = new Map<NodeId, number>();
  private readonly names = new Map<string, number>();
  /** Slots copied from the enclosing scope's slots on entry: [from, to] pairs. */
  private readonly copies: number[] = [];
  private readonly boundary: Boundary[] = [];
  /** The types of the nodes computed here. */
  private readonly types = new Map<NodeId, Type>();
  size = 0;

  constructor(private readonly parent?: SlotLayout) {}

  /** Gives a node computed in this scope a slot of its own. */
  own(id: NodeId, type: Type): void {
    this.types.set(id, type);
    if (!this.nodes.has(id)) this.nodes.set(id, this.size++);
  }

  /**
   * A node's type, when it is computed in this scope or one around it that is compiled too;
   * undefined for what the outermost scope reads from the interpreter's frame.
   */
  typeOf(id: NodeId): Type | undefined {
    for (let l: SlotLayout | undefined = this; l; l = l.parent) {
      const t = l.types.get(id);
      if (t) return t;
    }
    return undefined;
  }

  /**
   * Makes node `id` read the slot of the value bound by `name`: an `input` node needs no
   * slot or step of its own.
   */
  alias(id: NodeId, name: string, type: Type): void {
    this.types.set(id, type);
    this.nodes.set(id, this.input(name));
  }

  /** Gives each bound name a slot, in order, so element `k` of a binding goes to `bind(k)`. */
  bind(names: readonly string[]): number[] {
    return names.map((name) => {
      const at = this.size++;
      this.names.set(name, at);
      return at;
    });
  }

  /** The slot of a node's value, read from around this scope if it is not computed here. */
  node(id: NodeId): number {
    return this.nodes.get(id) ?? this.resolve(this.nodes, id, { id });
  }

  /** The slot of a value bound by `name` here or around here. */
  input(name: string): number {
    return this.names.get(name) ?? this.resolve(this.names, name, { name });
  }

  /** A slot for a value from around this scope: copied from the enclosing scope's, or read from the frame. */
  private resolve(table: Map<string, number>, key: string, what: { id?: NodeId; name?: string }): number {
    const at = this.size++;
    table.set(key, at);
    if (this.parent) this.copies.push(what.id !== undefined ? this.parent.node(what.id) : this.parent.input(what.name!), at);
    else this.boundary.push({ to: at, ...what });
    return at;
  }

  /** A new scope's slots, with what it reads from the enclosing scope's slots `outer` copied in. */
  enter(outer: readonly Value[]): Value[] {
    const s: Value[] = new Array(this.size);
    const c = this.copies;
    for (let k = 0; k < c.length; k += 2) s[c[k + 1]] = outer[c[k]];
    return s;
  }

  /** The outermost scope's slots, with what it reads from the interpreter's frame filled in. */
  start(frame: Frame): Value[] {
    const s: Value[] = new Array(this.size);
    for (const b of this.boundary) s[b.to] = b.id !== undefined ? frame.get(b.id) : frame.input(b.name!);
    return s;
  }
}
