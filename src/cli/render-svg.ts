/**
 * DOT to SVG in process, with the Graphviz build that ships as WebAssembly in
 * `@hpcc-js/wasm-graphviz`: no `dot` binary needed, and the same picture on every machine.
 */
import type { Graphviz } from "@hpcc-js/wasm-graphviz";

let loading: Promise<Graphviz> | undefined;

/** Lays out `dot` with Graphviz's `dot` engine and returns the SVG text. The WebAssembly module loads once. */
export async function renderSvg(dot: string): Promise<string> {
  // Loaded on the first SVG: the other commands never pay for the WebAssembly package.
  loading ??= import("@hpcc-js/wasm-graphviz").then(({ Graphviz }) => Graphviz.load());
  const graphviz = await loading;
  return graphviz.dot(dot, "svg");
}
