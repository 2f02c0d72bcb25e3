/**
 * The synaptic network of one cell (spec/algorithm.md §6–§7, §10): the validated network param
 * (`readNetworkSpec`), anatomical synapses from `.syn`/`.con`, presynaptic activity, weights and
 * release draws per sweep (`createNetworkMapper`), the replay of synapse-activation files
 * (`createReplayMapper`), the random-number policies (`rng/`) and the synapse point processes
 * (`synapses/`). Pure: files come in through loaders passed by the caller.
 *
 * @example Look up a synapse mechanism and draw from the isf random policy
 * ```ts
 * import assert from "node:assert/strict";
 * import { createNetworkRandom, synapseMechanism } from "./mod.ts";
 * assert.equal(synapseMechanism("glutamate_syn")?.parameters.tau1.default, 50);
 * const r = createNetworkRandom("isf", 0);
 * r.beginSweep(0);
 * assert.equal(r.activity("L5tt_C2").random(), 0.5488135039273248);
 * ```
 *
 * @module
 */

export { readNetworkSpec } from "./network_param.ts";
export type {
  ActivitySource,
  NetworkModifyFunction,
  NetworkSpec,
  PointcellDistribution,
  PointcellSource,
  PresynapticTypeSpec,
  ReadNetworkSpecOptions,
  ReceptorSpec,
  SpikeTrainSource,
  SynapseSpec,
} from "./network_param.ts";
export {
  createAnatomyCache,
  createNetworkMapper,
  createReplayMapper,
  presynapticCells,
} from "./network_mapper.ts";
export type {
  ActiveReceptor,
  ActiveSynapse,
  AnatomyCache,
  NetworkMapper,
  NetworkMapperOptions,
  NetworkRealization,
  PresynapticSpikes,
  ReplayMapper,
  ReplayMapperOptions,
  TypeSpikes,
} from "./network_mapper.ts";
export { createNetworkRandom, JS_MATH, loadSeedrandom, synapseStream } from "./rng/mod.ts";
export type {
  ElementaryFunctions,
  NetworkRandom,
  NetworkRandomKind,
  NetworkRandomOptions,
  RandomStream,
} from "./rng/mod.ts";
export {
  GABA_SYN,
  GLUTAMATE_SYN,
  SYNAPSE_MECHANISMS,
  synapseCatalogue,
  synapseMechanism,
} from "./synapses/mod.ts";
