/** fakeFromSchema: every supported keyword yields a value of the right shape, the same each time. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fakeFromSchema } from "../../src/testing/index.js";

describe("fakeFromSchema", () => {
  it("fills every property of an object with its own type", () => {
    const v = fakeFromSchema(
      {
        type: "object",
        properties: { s: { type: "string" }, i: { type: "integer" }, n: { type: "number" }, b: { type: "boolean" }, z: { type: "null" } },
        required: ["s", "i", "n", "b", "z"],
      },
      "seed",
    ) as Record<string, unknown>;
    expect(typeof v.s).toBe("string");
    expect(Number.isInteger(v.i)).toBe(true);
    expect(typeof v.n).toBe("number");
    expect(typeof v.b).toBe("boolean");
    expect(v.z).toBeNull();
  });

  it("picks enum members, honours const, bounds and item counts", () => {
    fc.assert(
      fc.property(fc.string(), (seed) => {
        expect(["a", "b", "c"]).toContain(fakeFromSchema({ enum: ["a", "b", "c"] }, seed));
        expect(fakeFromSchema({ const: 7 }, seed)).toBe(7);
        const i = fakeFromSchema({ type: "integer", minimum: 10, maximum: 12 }, seed) as number;
        expect(i >= 10 && i <= 12).toBe(true);
        const list = fakeFromSchema({ type: "array", items: { type: "string" }, minItems: 4 }, seed) as unknown[];
        expect(list.length).toBeGreaterThanOrEqual(4);
      }),
    );
  });

  it("is null sometimes for anyOf with null and for nullable type lists, never otherwise", () => {
    const seeds = Array.from({ length: 64 }, (_, i) => `s${i}`);
    const anyOf = seeds.map((s) => fakeFromSchema({ anyOf: [{ type: "integer" }, { type: "null" }] }, s));
    expect(anyOf).toContain(null);
    expect(anyOf.some((v) => Number.isInteger(v))).toBe(true);
    const typeList = seeds.map((s) => fakeFromSchema({ type: ["string", "null"] }, s));
    expect(typeList).toContain(null);
    expect(seeds.map((s) => fakeFromSchema({ anyOf: [{ type: "integer" }, { type: "boolean" }] }, s))).not.toContain(null);
  });

  it("follows $ref into $defs and ends recursive schemas", () => {
    const schema = {
      $ref: "#/$defs/Node",
      $defs: {
        Node: { type: "object", properties: { name: { type: "string" }, kind: { $ref: "#/$defs/Kind" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } } },
        Kind: { type: "string", enum: ["leaf", "branch"] },
      },
    };
    const v = fakeFromSchema(schema, "tree") as any;
    expect(typeof v.name).toBe("string");
    expect(["leaf", "branch"]).toContain(v.kind);
    expect(Array.isArray(v.children)).toBe(true);
    expect(JSON.stringify(v).length).toBeLessThan(100_000);
  });

  it("is a function of schema and seed", () => {
    const schema = { type: "array", items: { type: "object", properties: { x: { type: "number" } } } };
    expect(fakeFromSchema(schema, "a")).toEqual(fakeFromSchema(schema, "a"));
    expect(JSON.stringify(fakeFromSchema({ type: "string" }, "a"))).not.toBe(JSON.stringify(fakeFromSchema({ type: "string" }, "b")));
  });
});
