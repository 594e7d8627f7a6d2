/**
 * The grammar passes Chevrotain's validations (the shared parser skips them to start faster),
 * and the files derived from the parser are current (`npm run grammar` regenerates them).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderCstTypes, renderSyntaxDiagrams } from "../grammar/derived.js";
import { FesteParser } from "../grammar/parser.js";

const dir = join(__dirname, "..", "grammar");

describe("grammar/", () => {
  it("has no ambiguity, left recursion or other error Chevrotain's validations find", () => {
    // With validations on, performSelfAnalysis throws on any definition error it finds.
    expect(() => new FesteParser({ validate: true })).not.toThrow();
  });
  it("cst-types.ts matches the parser", () => {
    expect(readFileSync(join(dir, "cst-types.ts"), "utf8")).toBe(renderCstTypes());
  });
  it("syntax-diagrams.html matches the parser", () => {
    expect(readFileSync(join(dir, "syntax-diagrams.html"), "utf8")).toBe(renderSyntaxDiagrams());
  });
});
