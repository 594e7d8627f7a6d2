/** The `ProviderError` a request fails with; fails the test if it succeeds or fails otherwise. */
import { ProviderError } from "../../src/providers/index.js";

export async function failure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ProviderError) return e;
    throw e;
  }
  throw new Error("expected the request to fail");
}
