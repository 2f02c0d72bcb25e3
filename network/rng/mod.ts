/**
 * Random numbers of network realization: the `isf` policy (one MT19937 per job, ISF's exact
 * consumption) and the `simrun` policy (a derived stream per sweep, type and purpose), both with
 * NumPy's legacy distributions, and the elementary functions (log, exp) those distributions call
 * (spec/algorithm.md §7).
 *
 * @example The first draw of the isf policy with seed 0 is NumPy's
 * ```ts
 * import assert from "node:assert/strict";
 * import { createNetworkRandom } from "./mod.ts";
 * const r = createNetworkRandom("isf", 0);
 * r.beginSweep(0);
 * assert.equal(r.activity("L5tt_C2").random(), 0.5488135039273248);
 * ```
 *
 * @module
 */

export { JS_MATH } from "./elementary_functions.ts";
export type { ElementaryFunctions } from "./elementary_functions.ts";
export { createNetworkRandom, synapseStream } from "./network_random.ts";
export { loadSeedrandom } from "./seedrandom_stream.ts";
export type { NetworkRandom, NetworkRandomKind, NetworkRandomOptions } from "./network_random.ts";
export type { RandomStream } from "./random_stream.ts";
