/**
 * Settings that hold for everything run inside a callback, like the seed's
 * `context.set(eager=True)`, but scoped: `context.run({ eager: true }, () => triage(input))`
 * makes every graph run started inside it (however deeply awaited) run eagerly, and nothing
 * outside it. AsyncLocalStorage carries the setting across awaits; a run's own options win.
 */
import { AsyncLocalStorage } from "node:async_hooks";

export interface ContextSettings {
  /** Run statement by statement, each call awaited before the next, with no batching. */
  readonly eager?: boolean;
}

const storage = new AsyncLocalStorage<ContextSettings>();

export const context = {
  /** Calls `fn` with `settings` in force (merged over any enclosing context's). */
  run<T>(settings: ContextSettings, fn: () => T): T {
    return storage.run({ ...storage.getStore(), ...settings }, fn);
  },
  /** The settings in force here. */
  current(): ContextSettings {
    return storage.getStore() ?? {};
  },
};
