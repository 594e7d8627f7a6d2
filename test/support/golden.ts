/**
 * Sample-folder golden tests: each folder under `test/<suite>/samples/` holds an input and
 * the expected output files. `UPDATE_SNAPSHOTS=1` re-accepts the current output; a mismatch
 * writes `_actual.<name>` beside the expected file (gitignored) for diffing.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

export const UPDATE = process.env.UPDATE_SNAPSHOTS === "1";

/** The sample folders of a suite, sorted by name. */
export function sampleDirs(suiteDir: string): string[] {
  const root = join(suiteDir, "samples");
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => statSync(join(root, n)).isDirectory())
    .sort()
    .map((n) => join(root, n));
}

/** Compares `actual` with `dir/name`, or writes it when updating. */
export function expectGolden(dir: string, name: string, actual: string): void {
  const expectedPath = join(dir, name);
  const actualPath = join(dir, `_actual.${name}`);
  if (UPDATE || !existsSync(expectedPath)) {
    if (!UPDATE) throw new Error(`${expectedPath} is missing; run with UPDATE_SNAPSHOTS=1 to create it`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(expectedPath, actual);
    rmSync(actualPath, { force: true });
    return;
  }
  const expected = readFileSync(expectedPath, "utf8");
  if (expected !== actual) writeFileSync(actualPath, actual);
  else rmSync(actualPath, { force: true });
  expect(actual, `${expectedPath} (see _actual.${name})`).toBe(expected);
}
