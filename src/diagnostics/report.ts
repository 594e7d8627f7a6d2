import { catalogue, type Code, type MessageArgs } from "./catalogue.js";
import type { Diagnostic, Label, Span, Suggestion } from "./diagnostic.js";

/** What a diagnostic may carry beyond its code, span and message arguments. */
export interface Extras {
  readonly labels?: readonly Label[];
  readonly notes?: readonly string[];
  readonly help?: string;
  readonly suggestions?: readonly Suggestion[];
}

/**
 * Builds a diagnostic from the catalogue, so that every message in the compiler comes from
 * one place and speaks in one voice.
 */
export function makeDiagnostic<C extends Code>(
  code: C,
  span: Span,
  args: MessageArgs<C>,
  extras: Extras = {},
): Diagnostic {
  const e = catalogue[code];
  const message = (e.message as (...a: unknown[]) => string)(...args);
  return {
    code,
    severity: e.severity,
    message,
    span,
    labels: extras.labels ?? [],
    notes: extras.notes ?? [],
    ...(extras.help === undefined ? {} : { help: extras.help }),
    ...(extras.suggestions && extras.suggestions.length > 0 ? { suggestions: extras.suggestions } : {}),
  };
}
