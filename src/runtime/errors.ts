/** Errors raised while a program runs, carrying an FE4xxx code. */
import type { Code } from "../diagnostics/index.js";

export class FesteRuntimeError extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = "FesteRuntimeError";
  }
}
