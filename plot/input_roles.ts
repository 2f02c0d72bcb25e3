/**
 * What the saved network param says about the inputs: which presynaptic types are excitatory or
 * inhibitory, how types group into cell types, and when the stimulus comes.
 *
 * Rules (spec/formats.md §3):
 * - **Excitatory or inhibitory** comes from the receptors a type's synapses carry
 *   (`network.<type>.synapses.receptors`): a type is *inhibitory* when one of its receptor names
 *   contains `gaba` (any case; ISF's `gaba_syn`), *excitatory* when it has receptors and none of
 *   them is GABAergic (ISF's `glutamate_syn`, or AMPA/NMDA receptors). A type the param does not
 *   name, or one without receptors, is *unknown* (drawn grey). Cell names are not used: in ISF's
 *   example L1, L23Trans, L45Peak, L45Sym and L56Trans are inhibitory and L2, L34 excitatory,
 *   which no naming rule gets right.
 * - **Cell type** of a presynaptic type `<cellClass>_<column>` (formats.md §3) is the part before
 *   the last `_` (`L5tt_C2` → `L5tt`; a name without `_` is its own cell type). A cell type whose
 *   presynaptic types are not all of one kind is split into `<cell type> (exc)` / `(inh)` / `(?)`.
 * - **Stimulus time** is the earliest `offset` of a `pointcell` activity source whose spikes are
 *   placed relative to it (algorithm.md §6.3): `PSTH`, `PSTH_absolute_number`, `normal` (also a
 *   missing `distribution`; offset default 10 ms), `uniform`, `lognormal` and
 *   `poissontrain_modulated`. `PSTH_poissontrain` and `PSTH_poissontrain_v2` ignore their offset
 *   and do not count. Without such a source there is no stimulus: latencies are not reported and
 *   the output PSTH is drawn against simulation time. ISF's example: 245 ms.
 *
 * @module
 */
import {
  getOptionalNumber,
  getOptionalObject,
  getOptionalString,
  isParamObject,
  type ParamObject,
} from "../io/mod.ts";

/** Excitatory, inhibitory, or not known from the network param. */
export type InputKind = "excitatory" | "inhibitory" | "unknown";

/** What the network param says about the inputs. */
export interface InputRoles {
  /**
   * Kind of a presynaptic type.
   *
   * @param type presynaptic type name as in the activation files, e.g. `L5tt_C2`
   * @returns its kind
   */
  kindOf(type: string): InputKind;
  /**
   * Cell type (group) of a presynaptic type, e.g. `L5tt` for `L5tt_C2`.
   *
   * @param type presynaptic type name
   * @returns the group name
   */
  groupOf(type: string): string;
  /** Stimulus time [ms], or undefined when no activity source has an onset. */
  readonly stimulusMs: number | undefined;
  /** Presynaptic type whose offset set the stimulus time (for the report). */
  readonly stimulusType: string | undefined;
}

/** Distributions whose spike times are placed relative to `offset` (algorithm.md §6.3). */
const OFFSET_DISTRIBUTIONS = new Set([
  "PSTH",
  "PSTH_absolute_number",
  "normal",
  "uniform",
  "lognormal",
  "poissontrain_modulated",
]);

/** Default `offset` of the `normal` distribution (formats.md §3.2). */
const NORMAL_DEFAULT_OFFSET_MS = 10;

/**
 * The cell type of a presynaptic type name: the part before the last `_`.
 *
 * @param type presynaptic type name
 * @returns the cell type
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cellTypeOf } from "./input_roles.ts";
 * assert.equal(cellTypeOf("L5tt_C2"), "L5tt");
 * assert.equal(cellTypeOf("SymLocal3_Alpha"), "SymLocal3");
 * assert.equal(cellTypeOf("EXC"), "EXC");
 * ```
 */
export function cellTypeOf(type: string): string {
  const i = type.lastIndexOf("_");
  return i > 0 ? type.slice(0, i) : type;
}

function kindFromReceptors(block: ParamObject, type: string): InputKind {
  const syn = getOptionalObject(block, "synapses", `network.${type}`);
  const rec = syn && getOptionalObject(syn, "receptors", `network.${type}.synapses`);
  const names = rec ? Object.keys(rec) : [];
  if (names.length === 0) return "unknown";
  return names.some((n) => n.toLowerCase().includes("gaba")) ? "inhibitory" : "excitatory";
}

/** Earliest onset of a pointcell source of one type, or undefined. */
function onsetOf(block: ParamObject, type: string): number | undefined {
  const celltype = block["celltype"];
  let sources: ParamObject[] = [];
  if (celltype === "pointcell") sources = [block];
  else if (isParamObject(celltype)) {
    const pc = getOptionalObject(celltype, "pointcell", `network.${type}.celltype`);
    if (pc) sources = [pc];
  }
  let best: number | undefined;
  for (const src of sources) {
    const dist = getOptionalString(src, "distribution", `network.${type}`) ?? "normal";
    if (!OFFSET_DISTRIBUTIONS.has(dist)) continue;
    const offset = getOptionalNumber(src, "offset", `network.${type}`) ??
      (dist === "normal" ? NORMAL_DEFAULT_OFFSET_MS : undefined);
    if (offset !== undefined && (best === undefined || offset < best)) best = offset;
  }
  return best;
}

/**
 * Reads the input roles from a parsed network param (the saved `*_network_model.param`).
 *
 * @param network the parsed network param (undefined: every type is unknown, no stimulus)
 * @returns kinds, groups and the stimulus time
 * @throws {InputValueError} when a type block has a wrongly typed `synapses`, `receptors`,
 *   `distribution` or `offset` (naming file, line and key)
 * @example ISF's receptor names decide
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseParam } from "../io/mod.ts";
 * import { inputRoles } from "./input_roles.ts";
 * const p = parseParam(`{"network": {
 *   "L1_C2": {"celltype": "spiketrain", "synapses": {"receptors": {"gaba_syn": {}}}},
 *   "VPM_C2": {"celltype": {"pointcell": {"distribution": "PSTH", "offset": 245.0}},
 *              "synapses": {"receptors": {"glutamate_syn": {}}}}}}`, "n.param");
 * const roles = inputRoles(p);
 * assert.equal(roles.kindOf("L1_C2"), "inhibitory");
 * assert.equal(roles.kindOf("VPM_C2"), "excitatory");
 * assert.equal(roles.kindOf("L5tt_C2"), "unknown");
 * assert.equal(roles.stimulusMs, 245);
 * ```
 */
export function inputRoles(network: ParamObject | undefined): InputRoles {
  const kinds = new Map<string, InputKind>();
  let stimulusMs: number | undefined, stimulusType: string | undefined;
  const net = network ? getOptionalObject(network, "network") : undefined;
  for (const [type, block] of Object.entries(net ?? {})) {
    if (type === "network_modify_functions" || !isParamObject(block)) continue;
    kinds.set(type, kindFromReceptors(block, type));
    const onset = onsetOf(block, type);
    if (onset !== undefined && (stimulusMs === undefined || onset < stimulusMs)) {
      stimulusMs = onset;
      stimulusType = type;
    }
  }
  // Cell types whose presynaptic types disagree get a suffix per kind.
  const kindsOfGroup = new Map<string, Set<InputKind>>();
  for (const [type, kind] of kinds) {
    const g = cellTypeOf(type);
    if (!kindsOfGroup.has(g)) kindsOfGroup.set(g, new Set());
    kindsOfGroup.get(g)!.add(kind);
  }
  const kindOf = (type: string): InputKind => kinds.get(type) ?? "unknown";
  const SUFFIX: Record<InputKind, string> = { excitatory: "exc", inhibitory: "inh", unknown: "?" };
  return {
    kindOf,
    groupOf(type: string): string {
      const g = cellTypeOf(type);
      const ks = kindsOfGroup.get(g);
      const k = kindOf(type);
      return ks === undefined || (ks.size === 1 && ks.has(k)) ? g : `${g} (${SUFFIX[k]})`;
    },
    stimulusMs,
    stimulusType,
  };
}
