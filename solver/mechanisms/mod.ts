/**
 * The mechanism catalogue: the Hay et al. 2011 L5PT channel set, NEURON's `pas`, and the point
 * processes `IClamp` and `epsp` (spec/mechanisms.md). Synapses live in `network/synapses/`.
 *
 * Adding a channel = one new file exporting a `DensityMechanism` (the contract of `_types.ts`:
 * description, derived slots, `prepare`/`init`/`current`/`advance` kernels and optionally a
 * `fast` kernel set on rate tables) + one line in {@link DENSITY_MECHANISMS}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { densityMechanism } from "./mod.ts";
 * assert.equal(densityMechanism("NaTa_t")?.parameters.gNaTa_tbar.default, 1e-5);
 * assert.equal(densityMechanism("hh"), undefined);
 * ```
 *
 * @module
 */
import type { DensityMechanism, PointMechanism } from "./_types.ts";
import { CA_HVA } from "./ca_hva.ts";
import { CA_LVAST } from "./ca_lvast.ts";
import { CADYNAMICS_E2 } from "./cadynamics_e2.ts";
import { EPSP } from "./epsp.ts";
import { ICLAMP } from "./iclamp.ts";
import { IH } from "./ih.ts";
import { IM } from "./im.ts";
import { K_PST } from "./k_pst.ts";
import { K_TST } from "./k_tst.ts";
import { NAP_ET2 } from "./nap_et2.ts";
import { NATA_T } from "./nata_t.ts";
import { PAS } from "./pas.ts";
import { SK_E2 } from "./sk_e2.ts";
import { SKV3_1 } from "./skv3_1.ts";

/**
 * Density mechanisms in NEURON's registration order (spec/mechanisms.md §1.6): the built-in
 * `pas` first (NEURON registers it before any NMODL file; it has no states), then the compiled
 * files in C-locale alphabetical order. The solver evaluates currents and advances states in
 * this order, so CaDynamics_E2 advances cai before SK_E2 reads it.
 */
export const DENSITY_MECHANISMS: readonly DensityMechanism[] = [
  PAS,
  CADYNAMICS_E2,
  CA_HVA,
  CA_LVAST,
  IH,
  IM,
  K_PST,
  K_TST,
  NATA_T,
  NAP_ET2,
  SK_E2,
  SKV3_1,
];

/** Point processes of the solver layer (electrodes), in NEURON's registration order. */
export const POINT_MECHANISMS: readonly PointMechanism[] = [ICLAMP, EPSP];

/**
 * Finds a density mechanism by its NMODL SUFFIX (case-sensitive, as in `.param` files).
 *
 * @param name SUFFIX, e.g. `NaTa_t`
 * @returns the mechanism, or undefined if it is not in the catalogue
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { densityMechanism } from "./mod.ts";
 * assert.equal(densityMechanism("SK_E2")?.states[0], "z");
 * ```
 */
export function densityMechanism(name: string): DensityMechanism | undefined {
  return DENSITY_MECHANISMS.find((m) => m.name === name);
}

/**
 * Finds a solver-layer point process (`IClamp`, `epsp`) by its NMODL name.
 *
 * @param name POINT_PROCESS name
 * @returns the mechanism, or undefined
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pointMechanism } from "./mod.ts";
 * assert.equal(pointMechanism("IClamp")?.assigned[0], "i");
 * ```
 */
export function pointMechanism(name: string): PointMechanism | undefined {
  return POINT_MECHANISMS.find((m) => m.name === name);
}

export {
  allocateInstances,
  currentIon,
  parameterProblem,
  prepareNothing,
  writesCai,
} from "./_types.ts";
export type {
  DensityMechanism,
  DerivedSlot,
  FastKernels,
  IonUse,
  Kernel,
  Mechanism,
  MechanismBase,
  MechanismInstances,
  NetReceiveKernel,
  NodeArrays,
  ParameterInfo,
  PointMechanism,
  PrepareContext,
  PrepareKernel,
  UniformSource,
} from "./_types.ts";
export { nernstFromTable, updateTablePositions } from "./_rate_table.ts";
export { cnexpDecay, cnexpGate, cnexpStep } from "./_gate.ts";
export {
  CA_HVA,
  CA_LVAST,
  CADYNAMICS_E2,
  EPSP,
  ICLAMP,
  IH,
  IM,
  K_PST,
  K_TST,
  NAP_ET2,
  NATA_T,
  PAS,
  SK_E2,
  SKV3_1,
};

// Our NMODL descriptions of the built-ins (compiled by solver/builtin_mechanisms.ts).
export { CA_HVA_NMODL } from "./builtin/ca_hva.ts";
export { CA_LVAST_NMODL } from "./builtin/ca_lvast.ts";
export { CADYNAMICS_E2_NMODL } from "./builtin/cadynamics_e2.ts";
export { EPSP_NMODL } from "./builtin/epsp.ts";
export { GABA_SYN_NMODL } from "./builtin/gaba_syn.ts";
export { GLUTAMATE_SYN_NMODL } from "./builtin/glutamate_syn.ts";
export { ICLAMP_NMODL } from "./builtin/iclamp.ts";
export { IH_NMODL } from "./builtin/ih.ts";
export { IM_NMODL } from "./builtin/im.ts";
export { K_PST_NMODL } from "./builtin/k_pst.ts";
export { K_TST_NMODL } from "./builtin/k_tst.ts";
export { NAP_ET2_NMODL } from "./builtin/nap_et2.ts";
export { NATA_T_NMODL } from "./builtin/nata_t.ts";
export { PAS_NMODL } from "./builtin/pas.ts";
export { SK_E2_NMODL } from "./builtin/sk_e2.ts";
export { SKV3_1_NMODL } from "./builtin/skv3_1.ts";
