/**
 * Synapse point processes of ISF's network (spec/mechanisms.md §4): `gaba_syn` and
 * `glutamate_syn`, in NEURON's registration (state-update) order. The network runs them from our
 * NMODL descriptions (solver's `GABA_SYN_NMODL`, `GLUTAMATE_SYN_NMODL`, compiled like every
 * other mechanism); `GABA_SYN` and `GLUTAMATE_SYN` are the hand-written reference entries whose
 * parameter ranges, constraints and lumpability the compiled entries take.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { synapseMechanism } from "./mod.ts";
 * assert.equal(synapseMechanism("glutamate_syn")?.parameters.tau1.default, 50);
 * ```
 *
 * @module
 */
import {
  compileBuiltin,
  GABA_SYN_NMODL,
  GLUTAMATE_SYN_NMODL,
  type PointMechanism,
} from "../../solver/mod.ts";
import { GABA_SYN } from "./gaba_syn.ts";
import { GLUTAMATE_SYN } from "./glutamate_syn.ts";

/** The synapse mechanisms in NEURON's state-update order (spec/mechanisms.md §1.6). */
export const SYNAPSE_MECHANISMS: readonly PointMechanism[] = [
  compileBuiltin(GABA_SYN_NMODL, GABA_SYN),
  compileBuiltin(GLUTAMATE_SYN_NMODL, GLUTAMATE_SYN),
];

/**
 * Finds a synapse mechanism by its POINT_PROCESS name (the receptor key of a network param).
 *
 * @param name e.g. `glutamate_syn`
 * @returns the mechanism, or undefined if unknown
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { synapseMechanism } from "./mod.ts";
 * assert.equal(synapseMechanism("gaba_syn")?.states.length, 4);
 * ```
 */
export function synapseMechanism(name: string): PointMechanism | undefined {
  return SYNAPSE_MECHANISMS.find((m) => m.name === name);
}

/**
 * The receptor catalogue of a job: the built-in synapses, each replaced by a compiled point
 * process of the same name (the user's `.mod` file is what NEURON would run), then the other
 * compiled point processes (ISF's ProbAMPANMDA2, ProbUDFsyn2, …) in the order given.
 *
 * @param compiled the job's compiled point processes
 * @returns every mechanism a network param's `receptors` may name
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { synapseCatalogue } from "./mod.ts";
 * assert.deepEqual(synapseCatalogue().map((m) => m.name), ["gaba_syn", "glutamate_syn"]);
 * ```
 */
export function synapseCatalogue(
  compiled: readonly PointMechanism[] = [],
): readonly PointMechanism[] {
  const byName = new Map(compiled.map((m) => [m.name, m]));
  const builtins = SYNAPSE_MECHANISMS.map((m) => byName.get(m.name) ?? m);
  const names = new Set(builtins.map((m) => m.name));
  return [...builtins, ...compiled.filter((m) => !names.has(m.name))];
}

export { GABA_SYN, GLUTAMATE_SYN };
