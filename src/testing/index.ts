/** `feste/testing`: helpers for testing Feste programs and tools without touching the disk. */
import { checkFile, type CheckResult } from "../compile.js";
import { memoryHost } from "../phases/1-parse/index.js";

export { memoryHost };

/**
 * Checks a program kept in memory. `files` maps paths to text and must hold `entry`; `use`d
 * modules and template files are looked up in it too.
 */
export function checkSources(entry: string, files: Readonly<Record<string, string>>): CheckResult {
  return checkFile(entry, memoryHost(files));
}
export { FakeBackend, type LoggedRequest } from "./fake-backend.js";
export { fakeValue, fakeVector, fakeRanking } from "./fake-answers.js";
export {
  jitterFor,
  startStandIn,
  fakeFromSchema,
  pointAt,
  type StandInLogEntry,
  type StandInOptions,
  type StandInOverride,
  type StandInRequest,
  type StandInServer,
} from "./stand-in/index.js";
