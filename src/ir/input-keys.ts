/**
 * Input keys that name no parameter of the graph. Shared by every place that takes a graph's
 * inputs (`feste exec --input`, a generated module's `run`), so a misspelt key gets the same
 * did-you-mean everywhere.
 */
import { didYouMean } from "../diagnostics/did-you-mean.js";

/** The first key of `given` that is not one of `params`, with a did-you-mean, or undefined. */
export function unknownInputKey(params: readonly string[], given: Readonly<Record<string, unknown>>, graph: string): string | undefined {
  const extra = Object.keys(given).find((k) => given[k] !== undefined && !params.includes(k));
  if (extra === undefined) return undefined;
  const missing = params.filter((p) => given[p] === undefined);
  const hint = didYouMean(extra, missing.length > 0 ? missing : params);
  return `\`${extra}\` is not a parameter of \`${graph}\`${hint ? `: ${hint}` : ""}`;
}
