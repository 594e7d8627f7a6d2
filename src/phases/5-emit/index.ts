/**
 * Phase 5: TypeScript modules from compiled programs. Pure: it takes each module's checked
 * declarations and IR and returns files (`{ path, text }`), sorted by path; only the CLI
 * writes them.
 */
import { emitModule, type EmittedFile, type ModuleInput } from "./module.js";

export type { EmittedFile, ModuleInput };

export function emit(modules: readonly ModuleInput[]): EmittedFile[] {
  return modules.map(emitModule).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
