/** Errors raised while a program runs, carrying an FE4xxx code. */
import type { Code, Span } from "../diagnostics/index.js";

export class FesteRuntimeError extends Error {
  constructor(
    readonly code: Code,
    message: string,
    /** The `.feste` source of the node that failed, when known. */
    readonly span?: Span,
  ) {
    super(message);
    this.name = "FesteRuntimeError";
  }

  /** The same error, located at `span` unless it already has a location. */
  at(span: Span | undefined): FesteRuntimeError {
    return this.span || !span ? this : new FesteRuntimeError(this.code, this.message, span);
  }
}
