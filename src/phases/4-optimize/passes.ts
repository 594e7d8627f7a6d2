/** The optimizer's passes, in the order they run. Each can be switched off: `--no-opt=NAME`. */
import { batch } from "./batch.js";
import { cull } from "./cull.js";
import { dedupe } from "./dedupe.js";
import { fold } from "./fold.js";
import { fuse } from "./fuse.js";
import type { Pass } from "./pass.js";

export const PASSES: readonly Pass[] = [fold, dedupe, cull, batch, fuse];
