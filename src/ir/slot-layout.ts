/**
 * Where the compiled closures of `compile-pure.ts` keep values: each scope (a node compiled
 * on its own, a `map` element, a branch, a fused body) runs over one flat array of slots.
 * Names are turned into slot numbers once, at compile time, so a closure reads `s[3]`
 * where the interpreter looks a node up through a chain of frames. A scope copies the few
 * values it reads from around it into its own slots when it starts.
 */
import type { Frame } from "./evaluate-pure.js";
import type { NodeId } from "./nodes.js";
import type { Value } from "./value.js";

/** The slot key of a node's value; bound names get `inputKey`, so the two never meet. */
const nodeKey = (id: NodeId) => `n:${id}`;
/** The slot key of a value bound by name (a graph parameter, a `map` element, a prompt argument). */
export const inputKey = (name: string) => `i:${name}`;

/** A value the outermost scope reads from the interpreter's frame when it starts. */
interface Boundary {
  readonly to: number;
  readonly id?: NodeId;
  readonly name?: string;
}

/** The slots of one scope, filled in while its nodes are compiled. */
export class SlotLayout {
  private readonly slots = new Map<string, number>();
  /** Slots copied from the enclosing scope's slots on entry: [from, to] pairs. */
  private readonly copies: number[] = [];
  private readonly boundary: Boundary[] = [];
  size = 0;

  constructor(private readonly parent?: SlotLayout) {}

  /** Gives each of `ids` (nodes computed in this scope) a slot of its own. */
  own(ids: Iterable<NodeId>): void {
    for (const id of ids) if (!this.slots.has(nodeKey(id))) this.slots.set(nodeKey(id), this.size++);
  }

  /**
   * Makes node `id` read the slot of the value bound by `name`: an `input` node needs no
   * slot or step of its own.
   */
  alias(id: NodeId, name: string): void {
    this.slots.set(nodeKey(id), this.input(name));
  }

  /** Gives each bound name a slot, in order, so element `k` of a binding goes to `bind(k)`. */
  bind(names: readonly string[]): number[] {
    return names.map((name) => {
      const key = inputKey(name);
      const at = this.size++;
      this.slots.set(key, at);
      return at;
    });
  }

  /** The slot of a node's value, read from around this scope if it is not computed here. */
  node(id: NodeId): number {
    return this.resolve(nodeKey(id), { id });
  }

  /** The slot of a value bound by `name` here or around here. */
  input(name: string): number {
    return this.resolve(inputKey(name), { name });
  }

  private resolve(key: string, what: { id?: NodeId; name?: string }): number {
    const known = this.slots.get(key);
    if (known !== undefined) return known;
    const at = this.size++;
    this.slots.set(key, at);
    if (this.parent) this.copies.push(this.parent.resolve(key, what), at);
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
