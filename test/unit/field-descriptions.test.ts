/** `///` on record fields and enum members reaches the JSON schema sent for structured output. */
import { expect, it } from "vitest";
import { outputFormat } from "../../src/ir/schema.js";
import { lowerSource } from "../support/pipeline.js";

it("field and enum-member doc comments become descriptions", () => {
  const ir = lowerSource(`
client gpt: openai.chat { model: "gpt-4o-mini", temperature: 0 }
enum Category {
  /// Money: refunds, invoices.
  billing
  bug
}
type Ticket {
  /// Where the ticket goes.
  category: Category
  /// One sentence, no names.
  summary: string
  note: string?
}
prompt classify(t: string) -> Ticket """{{ t }}"""
graph main(t: string) -> Ticket { gpt(classify(t)) }
`);
  const schema = outputFormat({ kind: "record", name: "Ticket", file: "main.feste" }, ir.types)!.schema as { properties: Record<string, Record<string, unknown>> };
  expect(schema.properties.summary).toEqual({ type: "string", description: "One sentence, no names." });
  expect(schema.properties.category).toEqual({ type: "string", enum: ["billing", "bug"], description: "Where the ticket goes." });
  expect(schema.properties.note).toEqual({ anyOf: [{ type: "string" }, { type: "null" }] });
  const alone = outputFormat({ kind: "enum", name: "Category", file: "main.feste" }, ir.types)!.schema as { properties: { value: unknown } };
  expect(alone.properties.value).toEqual({ type: "string", enum: ["billing", "bug"], description: "billing: Money: refunds, invoices." });
});
