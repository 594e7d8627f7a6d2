import { describe, expect, it } from "vitest";
import {
  catalogue, closestNames, didYouMean, diagnosticsToJson, editDistance, makeDiagnostic, renderDiagnostics,
} from "../../src/diagnostics/index.js";
import { checkSources } from "../../src/testing/index.js";

describe("did you mean", () => {
  it("ranks by edit distance and keeps at most three", () => {
    // Swapping two neighbours is one slip: `gtp` is one edit from `gpt`.
    expect(editDistance("questoin", "question")).toBe(1);
    expect(editDistance("gtp", "gpt")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(didYouMean("gtp", ["gpt", "writer"])).toBe("did you mean `gpt`?");
    expect(closestNames("tempreature", ["temperature", "top_p", "tpm", "timeout"])).toEqual(["temperature"]);
    expect(closestNames("ab", ["ac", "ad", "ae", "af", "zz"])).toEqual(["ac", "ad", "ae"]);
    expect(didYouMean("Tiket", ["Ticket", "Draft"])).toBe("did you mean `Ticket`?");
    expect(didYouMean("zzzz", ["Ticket", "Draft"])).toBeUndefined();
  });

  it("treats a difference in case as close", () => {
    expect(closestNames("category", ["Category"])).toEqual(["Category"]);
  });
});

describe("suggestions as data", () => {
  const header = `client gpt: openai.chat { model: "gpt-4o-mini" }\nclient writer: cohere.chat { model: "command-r-plus" }\nprompt summarise(r: string) """Summarise {{ r }}"""\n`;
  const first = (body: string) => {
    const src = `${header}graph main(r: string) -> string {\n  ${body}\n}\n`;
    const d = checkSources("main.feste", { "main.feste": src }).diagnostics[0];
    return { code: d.code, fixes: (d.suggestions ?? []).map((s) => ({ at: src.slice(s.span.start, s.span.end), text: s.text })) };
  };

  it("carry each did-you-mean name with the span it replaces, for code actions", () => {
    expect(first("gtp(summarise(r))")).toEqual({ code: "FE2047", fixes: [{ at: "gtp", text: "gpt" }] });
    expect(first("gpt(sumarise(r))").fixes[0]).toEqual({ at: "sumarise", text: "summarise" });
    expect(first("gpt(summarise(rr))")).toEqual({ code: "FE2003", fixes: [{ at: "rr", text: "r" }] });
  });

  it("carry the model call for a prompt used as its answer, then the str() form", () => {
    expect(first("summarise(r)")).toEqual({
      code: "FE2070",
      fixes: [
        { at: "summarise(r)", text: "gpt(summarise(r))" },
        { at: "summarise(r)", text: "str(summarise(r))" },
      ],
    });
  });

  it("appear in JSON output only when there are some", () => {
    const src = `${header}graph main(r: string) -> string {\n  gtp(summarise(r))\n}\n`;
    const r = checkSources("main.feste", { "main.feste": src });
    const [json] = diagnosticsToJson(r.diagnostics, () => src) as { suggestions?: { text: string; span: { line: number; column: number } }[] }[];
    expect(json.suggestions).toEqual([{ text: "gpt", span: expect.objectContaining({ line: 5, column: 3 }) }]);
    const plain = makeDiagnostic("FE2048", { file: "a", start: 0, end: 1 }, []);
    expect("suggestions" in plain).toBe(false);
  });
});

describe("rendering", () => {
  const text = "graph g() -> int {\n\tlet questoin = 1\n  questoin + x\n}\n";
  const at = (needle: string) => {
    const start = text.indexOf(needle);
    return { file: "a.feste", start, end: start + needle.length };
  };

  it("renders headline, location, frame with an underline as wide as the span, and help", () => {
    const d = makeDiagnostic("FE2003", at("x\n}"), ["x"], { help: "did you mean `questoin`?" });
    const fixed = { ...d, span: { ...d.span, end: d.span.start + 1 } };
    expect(renderDiagnostics([fixed], () => text)).toBe(
      [
        "error[FE2003]: unknown variable `x`",
        " --> a.feste:3:14",
        "  |",
        "3 |   questoin + x",
        "  |              ^",
        "  |",
        "  = help: did you mean `questoin`?",
        "",
      ].join("\n"),
    );
  });

  it("expands tabs in the frame and keeps the caret under the token", () => {
    const d = makeDiagnostic("FE2018", at("questoin"), ["questoin"]);
    const out = renderDiagnostics([d], () => text).split("\n");
    expect(out[3]).toBe("2 |     let questoin = 1");
    expect(out[4]).toBe("  |         ^^^^^^^^");
  });

  it("draws secondary labels and widens the gutter for long line numbers", () => {
    const long = "\n".repeat(120) + "let a = 1\nlet a = 2\n";
    const first = long.indexOf("a");
    const second = long.lastIndexOf("a =");
    const d = makeDiagnostic("FE2017", { file: "f", start: second, end: second + 1 }, ["a"], {
      labels: [{ span: { file: "f", start: first, end: first + 1 }, message: "first bound here" }],
    });
    expect(renderDiagnostics([d], () => long)).toBe(
      [
        "error[FE2017]: `a` is already bound in this scope",
        "   --> f:122:5",
        "    |",
        "121 | let a = 1",
        "    |     - first bound here",
        "    |",
        "122 | let a = 2",
        "    |     ^",
        "    |",
        "",
      ].join("\n"),
    );
  });

  it("draws labels on the primary's line in the same frame", () => {
    const src = "let s = ask(x) + ola(x)";
    const at = (needle: string, from = 0) => ({ file: "f", start: src.indexOf(needle, from), end: src.indexOf(needle, from) + needle.length });
    const d = makeDiagnostic("FE2019", at("+"), ["en", "pt"], {
      labels: [
        { span: at("ask(x)"), message: "in `en`" },
        { span: at("ola(x)"), message: "in `pt`" },
      ],
    });
    expect(renderDiagnostics([d], () => src)).toBe(
      [
        "warning[FE2019]: joins prompt text in `en` with prompt text in `pt`",
        " --> f:1:16",
        "  |",
        "1 | let s = ask(x) + ola(x)",
        "  |         ------ ^ ------ in `pt`",
        "  |         in `en`",
        "  |",
        "",
      ].join("\n"),
    );
  });

  it("shows control characters as symbols and cuts long lines around the caret", () => {
    const bin = "a\u0001b\u0000c";
    const d = makeDiagnostic("FE1011", { file: "f", start: 3, end: 4 }, []);
    expect(renderDiagnostics([d], () => bin)).toContain("1 | a\u2401b\u2400c\n  |    ^");
    const long = "x".repeat(5000) + " oops " + "y".repeat(5000);
    const start = long.indexOf("oops");
    const out = renderDiagnostics([makeDiagnostic("FE2003", { file: "f", start, end: start + 4 }, ["oops"])], () => long);
    const lines = out.split("\n");
    expect(lines[3].length).toBeLessThan(120);
    expect(lines[3]).toMatch(/^1 \| \.\.\.x+ oops y+\.\.\.$/);
    expect(lines[4].indexOf("^")).toBe(lines[3].indexOf("oops"));
  });

  it("marks a zero-width span at the end of the file with one caret", () => {
    const src = "graph g() -> int {";
    const d = makeDiagnostic("FE1005", { file: "f", start: src.length, end: src.length }, ["`}`", "the end of the file"]);
    expect(renderDiagnostics([d], () => src)).toContain("1 | graph g() -> int {\n  |                   ^");
  });

  it("gives JSON with offsets and 1-based positions", () => {
    const d = makeDiagnostic("FE2003", at("x\n}"), ["x"]);
    const [j] = diagnosticsToJson([{ ...d, span: { ...d.span, end: d.span.start + 1 } }], () => text) as any[];
    expect(j).toMatchObject({ code: "FE2003", severity: "error", message: "unknown variable `x`", span: { line: 3, column: 14, endLine: 3, endColumn: 15 } });
  });
});

describe("the catalogue speaks in one voice", () => {
  for (const [code, entry] of Object.entries(catalogue)) {
    it(code, () => {
      expect(code).toMatch(/^FE[1-4]\d{3}$/);
      const sample = (entry.message as (...a: unknown[]) => string)("x", "y", 1);
      for (const headline of [entry.title, sample]) {
        expect(headline, "starts lowercase or with code").toMatch(/^[a-z`(]/);
        expect(headline, "no trailing period").not.toMatch(/\.$/);
      }
      expect(entry.explanation.length).toBeGreaterThan(40);
      expect(entry.explanation).toMatch(/\.$/);
    });
  }
});
