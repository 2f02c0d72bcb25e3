/**
 * The built-in mechanisms as the engine runs them: our own NMODL descriptions
 * (solver/mechanisms/builtin/, written from spec/mechanisms.md) compiled by the NMODL compiler
 * (solver/nmodl) when first used, once per process. Built-in and imported mechanisms therefore
 * go through one pipeline: the same IR, the same JavaScript kernels, the same WebAssembly
 * kernels, the same speed.
 *
 * What an NMODL file cannot say comes from the hand-written reference entry of the same name
 * (solver/mechanisms/*.ts, network/synapses/*.ts): the physical ranges of the parameters, a
 * constraint between parameters (`check`), and whether identical synapses may be merged
 * (`lumpable`). The reference entries keep their kernels as the tested reference of the
 * descriptions (tests/builtin_mechanisms_test.ts).
 *
 * @module
 */
import { InternalError } from "../io/mod.ts";
import type {
  DensityMechanism,
  Mechanism,
  ParameterInfo,
  PointMechanism,
} from "./mechanisms/_types.ts";
import {
  CA_HVA,
  CA_HVA_NMODL,
  CA_LVAST,
  CA_LVAST_NMODL,
  CADYNAMICS_E2,
  CADYNAMICS_E2_NMODL,
  EPSP,
  EPSP_NMODL,
  ICLAMP,
  ICLAMP_NMODL,
  IH,
  IH_NMODL,
  IM,
  IM_NMODL,
  K_PST,
  K_PST_NMODL,
  K_TST,
  K_TST_NMODL,
  NAP_ET2,
  NAP_ET2_NMODL,
  NATA_T,
  NATA_T_NMODL,
  PAS,
  PAS_NMODL,
  SK_E2,
  SK_E2_NMODL,
  SKV3_1,
  SKV3_1_NMODL,
} from "./mechanisms/mod.ts";
import {
  compileNmodl,
  forEachSlot,
  type MechanismIR,
  type Slot,
  toMechanism,
} from "./nmodl/mod.ts";

/** Names of the fields any kernel of the IR reads or writes. */
function fieldsUsed(ir: MechanismIR): Set<string> {
  const out = new Set<string>();
  const slot = (s: Slot) => {
    if (s.space === "field") out.add(ir.fields[s.index].name);
  };
  for (const k of [ir.init, ir.prepare, ir.advance]) forEachSlot(k.body, [], slot);
  if (ir.current !== undefined) {
    const c = ir.current;
    forEachSlot(
      [...c.prologue, ...c.body],
      c.conductance !== undefined ? [c.conductance] : [],
      slot,
    );
    c.currents.forEach(slot);
    c.ionCurrents.forEach((ic) => slot(ic.slot));
  }
  if (ir.netReceive !== undefined) {
    forEachSlot([...ir.netReceive.body, ...ir.netReceive.initial], [], slot);
  }
  return out;
}

/** Compiled built-ins of this process, by description text. */
const compiled = new Map<string, Mechanism>();

/** The reference's description of each parameter where it has one (ranges), else the compiled. */
function withRanges(
  compiledInfo: Readonly<Record<string, ParameterInfo>>,
  reference: Readonly<Record<string, ParameterInfo>>,
): Record<string, ParameterInfo> {
  const out: Record<string, ParameterInfo> = {};
  for (const [name, info] of Object.entries(compiledInfo)) {
    out[name] = Object.hasOwn(reference, name) ? reference[name] : info;
  }
  return out;
}

/**
 * Compiles a built-in NMODL description (once per process) into a catalogue entry, with the
 * parameter ranges, constraint and lumpability of its hand-written reference entry.
 *
 * @param text our NMODL description
 * @param reference the hand-written entry of the same name
 * @returns the compiled entry, of the reference's kind
 * @throws InternalError when the description does not compile or names another mechanism (a bug)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { compileBuiltin } from "./builtin_mechanisms.ts";
 * import { PAS, PAS_NMODL } from "./mechanisms/mod.ts";
 * const pas = compileBuiltin(PAS_NMODL, PAS);
 * assert.equal(pas.parameters.g.min, 0); // the range of the reference entry
 * assert.ok(pas.ir !== undefined);
 * ```
 */
export function compileBuiltin<M extends Mechanism>(text: string, reference: M): M {
  const cached = compiled.get(text);
  if (cached !== undefined) return cached as M;
  const r = compileNmodl(text, { file: `${reference.name}.mod (built-in)` });
  if (!r.ok) {
    throw new InternalError(`built-in ${reference.name} does not compile: ${r.error.message}`);
  }
  const m = toMechanism(r.mechanism);
  if (m.name !== reference.name || m.kind !== reference.kind) {
    throw new InternalError(`built-in description of ${reference.name} declares ${m.name}`);
  }
  // ASSIGNED variables the reference does not list (rates() results such as mInf) are kernel
  // locals after the compiler's scalar replacement: no storage, nothing to record.
  const dropped = m.assigned.filter((a) => !reference.assigned.includes(a));
  const used = fieldsUsed(r.mechanism.ir);
  for (const name of dropped) {
    if (used.has(name)) {
      throw new InternalError(`built-in ${m.name}: ASSIGNED ${name} is stored but not listed`);
    }
  }
  const entry = {
    ...m,
    assigned: m.assigned.filter((a) => reference.assigned.includes(a)),
    parameters: withRanges(m.parameters, reference.parameters),
    // NEURON's per-state initial values (m0 …) stay at their defaults: the reference entries
    // list only the GLOBAL parameters a model may set.
    globals: withRanges(
      Object.fromEntries(
        Object.entries(m.globals).filter(([g]) =>
          Object.hasOwn(reference.globals, g) ||
          r.mechanism.ir.globals.find((x) => x.name === g)?.role !== "stateInit"
        ),
      ),
      reference.globals,
    ),
    ...(reference.check !== undefined ? { check: reference.check } : {}),
    ...(m.kind === "point" && reference.kind === "point" ? { lumpable: reference.lumpable } : {}),
  } as Mechanism as M;
  compiled.set(text, entry);
  return entry;
}

let density: readonly DensityMechanism[] | undefined;
let point: readonly PointMechanism[] | undefined;

/**
 * The built-in density mechanisms, compiled from our descriptions, in NEURON's registration
 * order (spec/mechanisms.md §1.6: `pas`, then the files in C-locale order).
 *
 * @returns the entries (compiled on the first call)
 */
export function builtinDensityMechanisms(): readonly DensityMechanism[] {
  density ??= [
    compileBuiltin(PAS_NMODL, PAS),
    compileBuiltin(CADYNAMICS_E2_NMODL, CADYNAMICS_E2),
    compileBuiltin(CA_HVA_NMODL, CA_HVA),
    compileBuiltin(CA_LVAST_NMODL, CA_LVAST),
    compileBuiltin(IH_NMODL, IH),
    compileBuiltin(IM_NMODL, IM),
    compileBuiltin(K_PST_NMODL, K_PST),
    compileBuiltin(K_TST_NMODL, K_TST),
    compileBuiltin(NATA_T_NMODL, NATA_T),
    compileBuiltin(NAP_ET2_NMODL, NAP_ET2),
    compileBuiltin(SK_E2_NMODL, SK_E2),
    compileBuiltin(SKV3_1_NMODL, SKV3_1),
  ];
  return density;
}

/**
 * The built-in electrodes (`IClamp`, `epsp`), compiled from our descriptions.
 *
 * @returns the entries (compiled on the first call)
 */
export function builtinPointMechanisms(): readonly PointMechanism[] {
  point ??= [compileBuiltin(ICLAMP_NMODL, ICLAMP), compileBuiltin(EPSP_NMODL, EPSP)];
  return point;
}
