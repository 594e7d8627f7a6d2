/**
 * Completion endpoints have no `response_format`, so a structured call carries its JSON schema
 * in the prompt text. The stand-in server reads it back from there to answer in shape, which
 * is why the wording is fixed here, in one place.
 */

/** The line that introduces the schema; the schema's JSON follows on the next line. */
export const SCHEMA_INSTRUCTION = "Answer with only JSON that matches this JSON schema:";

/** `prompt` with the instruction and `schema` appended after a blank line. */
export function withSchemaInstruction(prompt: string, schema: unknown): string {
  return `${prompt}\n\n${SCHEMA_INSTRUCTION}\n${JSON.stringify(schema)}`;
}

/** The schema a prompt asks for, if it ends with the instruction. */
export function schemaInInstruction(prompt: string): unknown {
  const at = prompt.lastIndexOf(`${SCHEMA_INSTRUCTION}\n`);
  if (at < 0) return undefined;
  try {
    return JSON.parse(prompt.slice(at + SCHEMA_INSTRUCTION.length + 1));
  } catch {
    return undefined;
  }
}
