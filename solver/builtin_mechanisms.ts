/**
 * The built-in mechanisms as the engine runs them: our own NMODL descriptions
 * (solver/mechanisms/builtin/, written from spec/mechanisms.md) compiled by the NMODL compiler
 * (solver/nmodl) when first used, once per process. Built-in and imported mechanisms therefore
 * go through one pipeline: the same IR, the same JavaScript kernels, the same WebAssembly
 * kernels, the same speed.
 *
 * The front half of the compiler (parse, analyse, optimise: about 45 ms of every process's
 * start-up) runs when the descriptions change, not at run time: `deno task builtin-ir` stores
 * each description's IR in solver/mechanisms/builtin/stored_ir.ts, with the text it came from. A
 * description that differs from its stored text (edited since) is compiled from its text, and
 * tests/stored_builtin_ir_test.ts fails until the stored IR is made again.
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
  GABA_SYN_NMODL,
  GLUTAMATE_SYN_NMODL,
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
import { STORED_BUILTIN_IR } from "./mechanisms/builtin/stored_ir.ts";
import {
  compileIr,
  compileNmodl,
  type CompileResult,
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

/**
 * The file name a built-in's IR and messages carry.
 *
 * @param name the mechanism's name
 * @returns e.g. `pas.mod (built-in)`
 */
export function builtinFileName(name: string): string {
  return `${name}.mod (built-in)`;
}

/** The JSON of one stored IR (solver/mechanisms/builtin/stored_ir.ts). */
interface StoredIrJson {
  /** The optimised IR, as `compileNmodl` made it (properties set to undefined are absent). */
  readonly ir: MechanismIR;
  /**
   * The numbers JSON cannot hold (−0, NaN, ±Infinity; stored as null): the path of property
   * names and indices below `ir` of each, and its value as `String()` writes it (`"-0"` for −0).
   */
  readonly numbers: readonly (readonly [readonly (string | number)[], string])[];
}

/**
 * The stored IR of built-in `name` when it was made from exactly `text`, else undefined.
 *
 * @param name the mechanism's name
 * @param text its description as the code has it now
 * @returns the IR (a fresh object per call), or undefined when none is stored for this text
 */
export function storedBuiltinIr(name: string, text: string): MechanismIR | undefined {
  const stored = Object.hasOwn(STORED_BUILTIN_IR, name) ? STORED_BUILTIN_IR[name] : undefined;
  if (stored === undefined || stored.text !== text) return undefined;
  const { ir, numbers } = JSON.parse(stored.json) as StoredIrJson;
  for (const [path, value] of numbers) {
    let at = ir as unknown as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
    at[path[path.length - 1]] = value === "-0" ? -0 : Number(value);
  }
  return ir;
}

/**
 * Every built-in NMODL description (density mechanisms, electrodes and synapses), by the name it
 * declares.
 *
 * @returns name → text, in name order
 */
export function builtinDescriptions(): Record<string, string> {
  const texts = [
    PAS_NMODL,
    CADYNAMICS_E2_NMODL,
    CA_HVA_NMODL,
    CA_LVAST_NMODL,
    IH_NMODL,
    IM_NMODL,
    K_PST_NMODL,
    K_TST_NMODL,
    NATA_T_NMODL,
    NAP_ET2_NMODL,
    SK_E2_NMODL,
    SKV3_1_NMODL,
    ICLAMP_NMODL,
    EPSP_NMODL,
    GABA_SYN_NMODL,
    GLUTAMATE_SYN_NMODL,
  ];
  const out: [string, string][] = texts.map((text) => {
    const r = compileNmodl(text, { file: "built-in" });
    if (!r.ok) {
      throw new InternalError(`a built-in description does not compile: ${r.error.message}`);
    }
    return [r.mechanism.name, text];
  });
  return Object.fromEntries(out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The paths and values of the numbers below `x` that JSON cannot hold (−0, NaN, ±Infinity). */
function collectSpecialNumbers(
  x: unknown,
  path: (string | number)[],
  out: [(string | number)[], string][],
): void {
  if (typeof x === "number") {
    if (Object.is(x, -0)) out.push([path, "-0"]);
    else if (!Number.isFinite(x)) out.push([path, String(x)]);
  } else if (Array.isArray(x)) {
    x.forEach((v, i) => collectSpecialNumbers(v, [...path, i], out));
  } else if (typeof x === "object" && x !== null) {
    for (const [k, v] of Object.entries(x)) collectSpecialNumbers(v, [...path, k], out);
  }
}

/**
 * The text of solver/mechanisms/builtin/stored_ir.ts for these descriptions: each one's
 * text and its IR as JSON (with the numbers JSON cannot hold listed apart).
 *
 * @param descriptions name → NMODL text (from {@link builtinDescriptions})
 * @returns the module's text
 * @throws InternalError for a description that does not compile
 */
export function storedIrText(descriptions: Readonly<Record<string, string>>): string {
  const entries = Object.entries(descriptions).map(([name, text]) => {
    const r = compileNmodl(text, { file: builtinFileName(name) });
    if (!r.ok) throw new InternalError(`built-in ${name} does not compile: ${r.error.message}`);
    const numbers: [(string | number)[], string][] = [];
    collectSpecialNumbers(r.mechanism.ir, [], numbers);
    const json: StoredIrJson = { ir: r.mechanism.ir, numbers };
    return `  ${JSON.stringify(name)}: {\n    text: ${JSON.stringify(text)},\n    json: ${
      JSON.stringify(JSON.stringify(json))
    },\n  },\n`;
  });
  return "// Made by `deno task builtin-ir` (scripts/builtin_ir.ts) from solver/mechanisms/builtin/;\n" +
    "// do not edit.\n" +
    "/** Each built-in's description and its IR as JSON (see solver/builtin_mechanisms.ts). */\n" +
    "export const STORED_BUILTIN_IR: Readonly<\n" +
    "  Record<string, { readonly text: string; readonly json: string }>\n" +
    "> = {\n" + entries.join("") + "};\n";
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
  const stored = storedBuiltinIr(reference.name, text);
  const r: CompileResult = stored !== undefined
    ? { ok: true, mechanism: compileIr(stored, {}) }
    : compileNmodl(text, { file: builtinFileName(reference.name) });
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
