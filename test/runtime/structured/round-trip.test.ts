/**
 * Whatever value of whatever type a model sends as JSON, in any of the forms models use (bare,
 * wrapped in `{ value }`, fenced, inside prose), reads back as that value.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { IrTypeDef } from "../../../src/ir/nodes.js";
import { BOOL, FLOAT, INT, list, NULL, optional, STRING, type Type } from "../../../src/ir/types.js";
import type { Data } from "../../../src/ir/value.js";
import { outputFormat, parseAnswer } from "../../../src/runtime/structured/index.js";

const F = "gen.feste";
type Types = Record<string, IrTypeDef>;

/**
 * Field names, never `value` in any case: a record with a field `value` under a wrapped type
 * (`R?`) sent bare reads the same as the wrapper, which no reader can tell apart.
 */
const fieldName = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,7}$/).filter((n) => n.toLowerCase() !== "value");
const memberName = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,7}$/);

function typeArb(named: readonly Type[], depth: number): fc.Arbitrary<Type> {
  const leaf = fc.constantFrom<Type>(STRING, INT, FLOAT, BOOL, NULL, ...named);
  if (depth === 0) return leaf;
  const inner = typeArb(named, depth - 1);
  return fc.oneof({ weight: 3, arbitrary: leaf }, inner.map(list), inner.map(optional));
}

/** Enums E0.., then records R0.. whose fields use the enums and earlier records. */
const universe: fc.Arbitrary<{ types: Types; named: Type[] }> = fc
  .tuple(fc.array(fc.uniqueArray(memberName, { minLength: 1, maxLength: 4 }), { maxLength: 2 }), fc.integer({ min: 0, max: 3 }))
  .chain(([enums, records]) => {
    const types: Types = {};
    const named: Type[] = [];
    enums.forEach((members, i) => {
      types[`${F}:E${i}`] = { kind: "enum", name: `E${i}`, members };
      named.push({ kind: "enum", name: `E${i}`, file: F });
    });
    const fieldsOf = (i: number) =>
      fc.uniqueArray(fc.record({ name: fieldName, type: typeArb(named.concat(Array.from({ length: i }, (_, j) => ({ kind: "record", name: `R${j}`, file: F }) as Type)), 2), optional: fc.boolean() }), {
        selector: (f) => f.name,
        maxLength: 4,
      });
    return fc.tuple(...Array.from({ length: records }, (_, i) => fieldsOf(i))).map((all) => {
      all.forEach((fields, i) => {
        types[`${F}:R${i}`] = { kind: "record", name: `R${i}`, fields };
        named.push({ kind: "record", name: `R${i}`, file: F });
      });
      return { types, named };
    });
  });

function valueArb(t: Type, types: Types): fc.Arbitrary<Data> {
  switch (t.kind) {
    case "string":
      return fc.string({ unit: "binary", maxLength: 12 });
    case "int":
      return fc.maxSafeInteger();
    case "float":
      // JSON has no -0; everything else a double can be survives the trip.
      return fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
    case "bool":
      return fc.boolean();
    case "list":
      return fc.array(valueArb(t.element, types), { maxLength: 3 });
    case "optional":
      return fc.option(valueArb(t.inner, types), { nil: null });
    case "enum":
    case "record": {
      const def = Object.values(types).find((d) => d.name === t.name && d.kind === t.kind)!;
      if (def.kind === "enum") return fc.constantFrom(...def.members);
      const fields = def.fields.map((f) => [f.name, valueArb(f.optional ? optional(f.type) : f.type, types)] as const);
      return fc.tuple(...fields.map(([, a]) => a)).map((vs) => Object.fromEntries(fields.map(([name], i) => [name, vs[i]!])));
    }
    default:
      return fc.constant(null);
  }
}

/** A structured type (plain text is never parsed), its table and a value of it. */
const sample = universe.chain(({ types, named }) =>
  typeArb(named, 3)
    .filter((t) => t.kind !== "string")
    .chain((type) => valueArb(type, types).map((value) => ({ type, types, value }))),
);

function read(text: string, type: Type, types: Types): Data {
  return parseAnswer(text, type, types, outputFormat(type, types));
}

describe("answers read back as the values they hold", () => {
  it("bare and wrapped JSON", () => {
    fc.assert(
      fc.property(sample, ({ type, types, value }) => {
        const format = outputFormat(type, types)!;
        expect(read(JSON.stringify(value), type, types)).toEqual(value);
        if (format.wrapped) expect(read(JSON.stringify({ value }), type, types)).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it("fenced and inside prose", () => {
    fc.assert(
      fc.property(sample, fc.boolean(), ({ type, types, value }, pretty) => {
        const format = outputFormat(type, types)!;
        const forms = [value, ...(format.wrapped ? [{ value }] : [])].map((v) => JSON.stringify(v, null, pretty ? 2 : undefined));
        for (const json of forms) {
          expect(read("```json\n" + json + "\n```", type, types)).toEqual(value);
          expect(read("Here is the result:\n```\n" + json + "\n```\nLet me know if it helps.", type, types)).toEqual(value);
          // In prose only an object or a list can be found; a bare scalar there is just a word.
          if (/^[{[]/.test(json)) expect(read("Sure! Here is the answer: " + json + " Hope this helps.", type, types)).toEqual(value);
        }
      }),
      { numRuns: 300 },
    );
  });
});
