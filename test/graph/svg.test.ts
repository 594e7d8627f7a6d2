/**
 * `feste graph --format svg`: every example's graphs render to well-formed SVG, with one
 * cluster per batch, and model calls filled with their client's colour.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { nodeHost } from "../../src/cli/node-host.js";
import { renderSvg } from "../../src/cli/render-svg.js";
import { compileFile } from "../../src/compile.js";
import { clientColors } from "../../src/ir/client-colors.js";
import { toDot, toMermaid } from "../../src/ir/draw.js";
import { walkNodes } from "../../src/ir/graph.js";
import { feste, root } from "../support/cli.js";
import { parseXml, type XmlElement } from "../support/parse-xml.js";

const examples = readdirSync(join(root, "examples")).filter((f) => f.endsWith(".feste")).sort();

function all(e: XmlElement, keep: (e: XmlElement) => boolean): XmlElement[] {
  return [...(keep(e) ? [e] : []), ...e.children.flatMap((c) => all(c, keep))];
}

const titleOf = (g: XmlElement) => g.children.find((c) => c.name === "title")?.text ?? "";
const fillOf = (g: XmlElement) => g.children.find((c) => c.name === "path" || c.name === "polygon")?.attributes.fill;

describe("graph pictures as SVG", () => {
  for (const file of examples) {
    it(`${file}: every graph is valid SVG with batches as clusters and calls coloured by client`, async () => {
      const r = compileFile(join("examples", file), nodeHost);
      const program = r.optimized!;
      const colors = clientColors(Object.keys(program.clients));
      for (const [name, graph] of Object.entries(program.graphs)) {
        const dot = toDot(graph, undefined, colors);
        const svg = parseXml(await renderSvg(dot));
        expect(svg.name).toBe("svg");
        expect(svg.attributes.xmlns).toBe("http://www.w3.org/2000/svg");
        const groups = all(svg, (e) => e.name === "g");
        const nodes = groups.filter((g) => g.attributes.class === "node");
        const clusters = groups.filter((g) => g.attributes.class === "cluster");
        // One box per node the DOT declares, plus one legend entry per client the graph calls.
        const count = dot.match(/^ +n\d+ \[label=/gm)?.length ?? 0;
        expect(count, name).toBeGreaterThan(0);
        const calls: { client: string }[] = [];
        let batches = 0;
        walkNodes(graph, (n) => {
          if (n.kind === "batch") batches++;
          if (n.kind === "call" || n.kind === "embed" || n.kind === "rerank" || n.kind === "batch") calls.push(n);
        });
        const clients = new Set(calls.map((c) => c.client));
        expect(nodes.filter((g) => !titleOf(g).startsWith("legend_")), name).toHaveLength(count);
        expect(clusters.filter((g) => /^batch /.test(all(g, (e) => e.name === "text").map((t) => t.text).join(""))), name).toHaveLength(batches);
        const legend = nodes.filter((g) => titleOf(g).startsWith("legend_"));
        expect(legend.map((g) => all(g, (e) => e.name === "text")[0].text).sort(), name).toEqual([...clients].sort());
        for (const g of legend) {
          const client = all(g, (e) => e.name === "text")[0].text;
          expect(fillOf(g), client).toBe(colors.get(client)!.fill);
        }
        for (const g of nodes) {
          const label = all(g, (e) => e.name === "text").map((t) => t.text)[0] ?? "";
          const m = /^(?:call|embed|rerank|batch) (\w+)/.exec(label);
          if (m) expect(fillOf(g), label).toBe(colors.get(m[1])!.fill);
        }
      }
    });
  }

  it("gives each client a fixed colour, whatever order the program declares them in", () => {
    expect(clientColors(["writer", "gpt"])).toEqual(clientColors(["gpt", "writer"]));
    expect(clientColors(["gpt", "writer"]).get("gpt")).not.toEqual(clientColors(["gpt", "writer"]).get("writer"));
  });

  it("colours Mermaid's model calls the same way", () => {
    const program = compileFile(join("examples", "seed.feste"), nodeHost).optimized!;
    const colors = clientColors(Object.keys(program.clients));
    const mermaid = toMermaid(program.graphs.main, undefined, colors);
    const batch = /^ {2}(n\d+)\["batch davinci/m.exec(mermaid)![1];
    expect(mermaid).toContain(`classDef client_davinci fill:${colors.get("davinci")!.fill},stroke:${colors.get("davinci")!.line}`);
    expect(mermaid).toContain(`class ${batch} client_davinci`);
    expect(toMermaid(program.graphs.main)).not.toContain("classDef");
  });

  it("reads only well-formed XML", () => {
    expect(() => parseXml('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).toThrow(/not well-formed/);
    expect(() => parseXml("<svg a=1/>")).toThrow(/not well-formed/);
    expect(parseXml('<?xml version="1.0"?><svg><g id="x">a &amp; b</g></svg>').children[0]).toMatchObject({ name: "g", text: "a & b" });
  });

  it("feste graph --format svg prints the SVG, the same every time", () => {
    const a = feste(["graph", "examples/seed.feste", "--format", "svg"]);
    expect(a.code).toBe(0);
    expect(parseXml(a.out).name).toBe("svg");
    expect(feste(["graph", "examples/seed.feste", "--format", "svg"]).out).toBe(a.out);
  });

  it("the README's picture is what feste graph draws today", () => {
    const r = feste(["graph", "examples/support.feste", "--format", "svg"]);
    expect(r.out).toBe(readFileSync(join(root, "docs", "images", "support.svg"), "utf8"));
  });
});
