/** The JSON schema a structured call sends: OpenAI strict mode, deterministic, wrapped unless a record. */
import { describe, expect, it } from "vitest";
import type { IrTypeDef } from "../../../src/ir/nodes.js";
import { list, optional, RANKED, type Type } from "../../../src/ir/types.js";
import { outputFormat, type JsonSchema } from "../../../src/runtime/structured/index.js";

const F = "main.feste";
const CATEGORY: Type = { kind: "enum", name: "Category", file: F };
const PERSON: Type = { kind: "record", name: "Person", file: F };
const TICKET: Type = { kind: "record", name: "Ticket", file: F };
const TYPES: Record<string, IrTypeDef> = {
  "main.feste:Category": { kind: "enum", name: "Category", members: ["billing", "bug", "other"] },
  "main.feste:Person": { kind: "record", name: "Person", fields: [{ name: "name", type: { kind: "string" }, optional: false }] },
  "main.feste:Ticket": {
    kind: "record",
    name: "Ticket",
    fields: [
      { name: "category", type: CATEGORY, optional: false },
      { name: "urgency", type: { kind: "int" }, optional: false },
      { name: "note", type: { kind: "string" }, optional: true },
      { name: "tags", type: list({ kind: "string" }), optional: false },
      { name: "reporter", type: PERSON, optional: false },
      { name: "assignee", type: optional(PERSON), optional: false },
      { name: "score", type: { kind: "float" }, optional: false },
    ],
  },
};

describe("outputFormat", () => {
  it("gives a record its own strict object schema, fields in declaration order", () => {
    expect(show(outputFormat(TICKET, TYPES))).toMatchInlineSnapshot(`
      "{
       "name": "Ticket",
       "schema": {
        "type": "object",
        "properties": {
         "category": {
          "type": "string",
          "enum": [
           "billing",
           "bug",
           "other"
          ]
         },
         "urgency": {
          "type": "integer"
         },
         "note": {
          "anyOf": [
           {
            "type": "string"
           },
           {
            "type": "null"
           }
          ]
         },
         "tags": {
          "type": "array",
          "items": {
           "type": "string"
          }
         },
         "reporter": {
          "type": "object",
          "properties": {
           "name": {
            "type": "string"
           }
          },
          "required": [
           "name"
          ],
          "additionalProperties": false
         },
         "assignee": {
          "anyOf": [
           {
            "type": "object",
            "properties": {
             "name": {
              "type": "string"
             }
            },
            "required": [
             "name"
            ],
            "additionalProperties": false
           },
           {
            "type": "null"
           }
          ]
         },
         "score": {
          "type": "number"
         }
        },
        "required": [
         "category",
         "urgency",
         "note",
         "tags",
         "reporter",
         "assignee",
         "score"
        ],
        "additionalProperties": false
       },
       "wrapped": false
      }"
    `);
  });

  it("wraps an int in `{ value }`, since providers need an object at the root", () => {
    expect(JSON.stringify(outputFormat({ kind: "int" }, TYPES))).toMatchInlineSnapshot(`"{"name":"int","schema":{"type":"object","properties":{"value":{"type":"integer"}},"required":["value"],"additionalProperties":false},"wrapped":true}"`);
  });

  it("wraps a list of strings", () => {
    expect(JSON.stringify(outputFormat(list({ kind: "string" }), TYPES))).toMatchInlineSnapshot(`"{"name":"string_list","schema":{"type":"object","properties":{"value":{"type":"array","items":{"type":"string"}}},"required":["value"],"additionalProperties":false},"wrapped":true}"`);
  });

  it("asks for enums by their members and optional values as anyOf null", () => {
    const f = outputFormat(optional(CATEGORY), TYPES)!;
    expect(f.name).toBe("Category_or_null");
    expect(f.schema.properties).toEqual({ value: { anyOf: [{ type: "string", enum: ["billing", "bug", "other"] }, { type: "null" }] } });
  });

  it("is undefined for plain text outputs", () => {
    for (const t of [{ kind: "string" }, { kind: "unknown" }, { kind: "error" }, { kind: "prompt", output: { kind: "string" }, lang: "en" }] as Type[]) {
      expect(outputFormat(t, TYPES)).toBeUndefined();
    }
  });

  it("knows the builtin Ranked record without a table entry", () => {
    expect(outputFormat(list(RANKED), {})!.schema.properties).toEqual({
      value: {
        type: "array",
        items: {
          type: "object",
          properties: { index: { type: "integer" }, score: { type: "number" }, document: { type: "string" } },
          required: ["index", "score", "document"],
          additionalProperties: false,
        },
      },
    });
  });

  it("names every format within OpenAI's pattern", () => {
    for (const t of [TICKET, list(list(TICKET)), optional(list(CATEGORY)), { kind: "bool" }, { kind: "null" }] as Type[]) {
      expect(outputFormat(t, TYPES)!.name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    }
  });

  it("gives the same bytes every time", () => {
    expect(JSON.stringify(outputFormat(list(TICKET), TYPES))).toBe(JSON.stringify(outputFormat(list(TICKET), TYPES)));
  });

  it("puts recursive records in $defs instead of looping", () => {
    const NODE: Type = { kind: "record", name: "Node", file: F };
    const LEAF: Type = { kind: "record", name: "Leaf", file: F };
    const types: Record<string, IrTypeDef> = {
      "main.feste:Node": { kind: "record", name: "Node", fields: [{ name: "children", type: list(NODE), optional: false }, { name: "leaf", type: LEAF, optional: true }] },
      "main.feste:Leaf": { kind: "record", name: "Leaf", fields: [{ name: "parent", type: NODE, optional: false }] },
    };
    const schema = outputFormat(NODE, types)!.schema;
    expect(show(schema)).toMatchInlineSnapshot(`
      "{
       "type": "object",
       "properties": {
        "children": {
         "type": "array",
         "items": {
          "$ref": "#"
         }
        },
        "leaf": {
         "anyOf": [
          {
           "type": "object",
           "properties": {
            "parent": {
             "$ref": "#"
            }
           },
           "required": [
            "parent"
           ],
           "additionalProperties": false
          },
          {
           "type": "null"
          }
         ]
        }
       },
       "required": [
        "children",
        "leaf"
       ],
       "additionalProperties": false
      }"
    `);
    expect(everyObjectIsStrict(schema)).toBe(true);
  });

  it("puts a recursive record under a wrapped root in $defs", () => {
    const NODE: Type = { kind: "record", name: "Node", file: F };
    const types: Record<string, IrTypeDef> = { "main.feste:Node": { kind: "record", name: "Node", fields: [{ name: "children", type: list(NODE), optional: false }] } };
    expect(JSON.stringify(outputFormat(list(NODE), types)!.schema)).toMatchInlineSnapshot(`"{"type":"object","properties":{"value":{"type":"array","items":{"$ref":"#/$defs/Node"}}},"required":["value"],"additionalProperties":false,"$defs":{"Node":{"type":"object","properties":{"children":{"type":"array","items":{"$ref":"#/$defs/Node"}}},"required":["children"],"additionalProperties":false}}}"`);
  });

  it("keeps every object strict: all properties required, no others allowed", () => {
    expect(everyObjectIsStrict(outputFormat(TICKET, TYPES)!.schema)).toBe(true);
    expect(everyObjectIsStrict(outputFormat(list(optional(TICKET)), TYPES)!.schema)).toBe(true);
  });
});

/** The bytes that are sent, in their order (a snapshot of the object would sort the keys). */
function show(x: unknown): string {
  return JSON.stringify(x, null, 1);
}

function everyObjectIsStrict(s: unknown): boolean {
  if (Array.isArray(s)) return s.every(everyObjectIsStrict);
  if (s === null || typeof s !== "object") return true;
  const o = s as JsonSchema;
  if (o.type === "object") {
    const props = Object.keys(o.properties as object);
    if (o.additionalProperties !== false || JSON.stringify(o.required) !== JSON.stringify(props)) return false;
  }
  return Object.values(o).every(everyObjectIsStrict);
}
