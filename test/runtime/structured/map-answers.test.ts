/**
 * Maps in structured answers and inputs: the schema is an object whose `additionalProperties`
 * is the value schema (sent non-strict to OpenAI, whose strict mode forbids such objects),
 * answers are read keeping their key order and checking every value, and `validate` (what
 * `--input` and generated modules use) names the key of a value that does not fit.
 */
import { describe, expect, it } from "vitest";
import type { IrTypeDef } from "../../../src/ir/nodes.js";
import { list, map, type Type } from "../../../src/ir/types.js";
import { validate } from "../../../src/ir/validate.js";
import { responseFormat } from "../../../src/providers/openai.js";
import { outputFormat, parseAnswer } from "../../../src/runtime/structured/index.js";

const F = "main.feste";
const ROUTED: Type = { kind: "record", name: "Routed", file: F };
const TYPES: Record<string, IrTypeDef> = {
  "main.feste:Routed": { kind: "record", name: "Routed", fields: [{ name: "teams", type: map({ kind: "string" }), optional: false }] },
};

describe("map answers", () => {
  it("a map is an object schema with additionalProperties, and the request is not strict", () => {
    const format = outputFormat(map(list({ kind: "int" })), TYPES)!;
    expect(format.schema).toEqual({
      type: "object",
      properties: { value: { type: "object", additionalProperties: { type: "array", items: { type: "integer" } } } },
      required: ["value"],
      additionalProperties: false,
    });
    expect(format.open).toBe(true);
    expect(responseFormat(format).response_format?.json_schema.strict).toBe(false);
    // A record holding a map is open too; one without stays strict.
    expect(outputFormat(ROUTED, TYPES)!.open).toBe(true);
    expect(responseFormat(outputFormat(list({ kind: "int" }), TYPES)).response_format?.json_schema.strict).toBe(true);
  });

  it("reads an answer in its key order, own keys only, each value checked", () => {
    const t = map({ kind: "int" });
    const value = parseAnswer('{"value": {"b": 2, "a": "1", "__proto__": 3}}', t, TYPES, outputFormat(t, TYPES)) as Record<string, number>;
    expect(Object.keys(value)).toEqual(["b", "a", "__proto__"]);
    expect(value.a).toBe(1);
    expect(Object.hasOwn(value, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(() => parseAnswer('{"value": {"a": "many"}}', t, TYPES, outputFormat(t, TYPES))).toThrow(/\["a"\]/);
    expect(() => parseAnswer('{"value": [1, 2]}', t, TYPES, outputFormat(t, TYPES))).toThrow(/a map/);
  });

  it("validates inputs: an object of fitting values, the key of one that does not fit named", () => {
    const t = map({ kind: "int" });
    expect(validate({ a: 1, b: 2 }, t, TYPES, "limits")).toBeUndefined();
    expect(validate({}, t, TYPES, "limits")).toBeUndefined();
    expect(validate({ a: 1, "c d": "x" }, t, TYPES, "limits")).toBe('limits["c d"] should be int, found a string');
    expect(validate([1], t, TYPES, "limits")).toBe("limits should be {string: int}, found a list");
  });
});
