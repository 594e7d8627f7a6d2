/** The files derived from the parser are current (`npm run grammar` regenerates them). */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderCstTypes, renderSyntaxDiagrams } from "../grammar/derived.js";

const dir = join(__dirname, "..", "grammar");

describe("grammar/", () => {
  it("cst-types.ts matches the parser", () => {
    expect(readFileSync(join(dir, "cst-types.ts"), "utf8")).toBe(renderCstTypes());
  });
  it("syntax-diagrams.html matches the parser", () => {
    expect(readFileSync(join(dir, "syntax-diagrams.html"), "utf8")).toBe(renderSyntaxDiagrams());
  });
});
