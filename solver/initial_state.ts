/**
 * Per-segment values of every mechanism variable and ion right after `finitialize`, named as
 * NEURON's `psection`-style dump names them (`m_NaTa_t`, `ica_ca_ion`, `dica_dv__ca_ion`, …;
 * reference/single_cell/cell_segments.csv), for `simrun inspect`.
 *
 * @module
 */
import type { Cell } from "./cell.ts";
import { currentIon, writesCai } from "./mechanisms/_types.ts";
import type { NodeArrays } from "./mechanisms/_types.ts";
import type { MechanismCatalogue } from "./mechanism_catalogue.ts";
import { prepareModel } from "./prepare_model.ts";
import { initializeSweep } from "./run_sweep.ts";
import { DEFAULT_SOLVER_SETTINGS, type SettingSources, type SolverSettings } from "./settings.ts";

/** Options of {@link initialState}. */
export interface InitialStateOptions extends Partial<SolverSettings> {
  /** Initial membrane potential [mV]. */
  readonly vInit: number;
  /** Temperature [°C]. */
  readonly celsius: number;
  /** Time step [ms] (default 0.025; it does not enter the initial state). */
  readonly dt?: number;
  /** Where the settings come from, for messages. */
  readonly where?: SettingSources;
  /** The job's mechanisms (built-ins and compiled `.mod` files; default: the built-ins). */
  readonly catalogue?: MechanismCatalogue;
}

/** One column: a value per segment row (section order, then segment); NaN where absent. */
export interface StateColumn {
  /** Column name as in cell_segments.csv (`m_NaTa_t`, `ica_ca_ion`, …). */
  readonly name: string;
  /** One value per segment row; NaN where the mechanism or ion is absent. */
  readonly values: Float64Array;
}

/** NEURON's fixed concentrations of the ions whose concentrations no mechanism here changes [mM]. */
const NA_I = 10;
const NA_O = 140;
const K_I = 54.4;
const K_O = 2.5;

/**
 * Initializes the cell as `finitialize(vInit)` does and returns the state, current and ion
 * columns of cell_segments.csv (parameters, `ek` and `ena` are cell-building data printed by
 * `inspect` itself): `eca`, `cai`, `cao`, then per inserted density mechanism (catalogue order)
 * its states and assigned variables (`<field>_<Mechanism>`), then the ion columns
 * (`<x>_<ion>_ion`: reversal, concentrations, total current and its slope d i/dV).
 *
 * @param cell the built cell
 * @param options vInit [mV], celsius [°C], units (dt defaults to 0.025 ms; it does not enter)
 * @returns the columns; values are NaN where the mechanism or ion is not present
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initialState } from "./initial_state.ts";
 * const sec = {
 *   index: 0, name: "soma", label: "Soma", parent: -1, parentX: 0, children: [],
 *   x: new Float64Array([0, 10]), y: new Float64Array(2), z: new Float64Array(2),
 *   hocDiam: new Float64Array([10, 10]), diam: new Float64Array([10, 10]),
 *   arc: new Float64Array([0, 10]), L: 10, relPts: new Float64Array([0, 1]), nseg: 1,
 *   Ra: 100, cm: 1, ions: {}, line: 1,
 *   mechanisms: [{ name: "pas", params: { g: new Float64Array([1e-4]), e: new Float64Array([-90]) } }],
 * };
 * const cols = initialState({ sections: [sec], pointProcesses: [], mechGlobals: {},
 *   paramFile: "c.param", hocFile: "c.hoc" }, { vInit: -75, celsius: 34 });
 * const ipas = cols.find((c) => c.name === "i_pas")!;
 * assert.ok(Math.abs(ipas.values[0] - 1.5e-3) < 1e-15);
 * ```
 */
export function initialState(cell: Cell, options: InitialStateOptions): StateColumn[] {
  const dt = options.dt ?? 0.025;
  const model = prepareModel(cell, {
    vInit: options.vInit,
    tStop: dt,
    dt,
    celsius: options.celsius,
    rateTables: false,
    units: options.units ?? DEFAULT_SOLVER_SETTINGS.units,
    ...(options.where !== undefined ? { where: options.where } : {}),
  }, options.catalogue !== undefined ? { catalogue: options.catalogue } : {});
  initializeSweep(model, []);
  const l = model.lowered;
  const rows = l.segmentNode.length;
  const n = model.nodes;
  const nanCol = () => new Float64Array(rows).fill(NaN);
  const has = { na: new Uint8Array(rows), k: new Uint8Array(rows), ca: new Uint8Array(rows) };
  const cur = { na: new Float64Array(rows), k: new Float64Array(rows), ca: new Float64Array(rows) };
  const slope = {
    na: new Float64Array(rows),
    k: new Float64Array(rows),
    ca: new Float64Array(rows),
  };
  const scratch: NodeArrays = {
    ...n,
    i: new Float64Array(l.nodeCount),
    g: new Float64Array(l.nodeCount),
    ica: new Float64Array(l.nodeCount),
  };
  const mechCols: StateColumn[] = [];
  for (const lm of l.mechanisms) {
    const m = lm.mechanism;
    // cai is the ion's variable (reported as `cai` / `cai_ca_ion`), not the mechanism's.
    const names = [...m.states, ...m.assigned].filter((f) => !(writesCai(m) && f === "cai"));
    for (const f of names) {
      const values = nanCol();
      const src = lm.instances.fields[f];
      for (let k = 0; k < lm.row.length; k++) values[lm.row[k]] = src[k];
      mechCols.push({ name: `${f}_${m.name}`, values });
    }
    // An ion exists in a segment where any mechanism uses it (NEURON's USEION).
    for (const u of m.ions) for (let k = 0; k < lm.row.length; k++) has[u.name][lm.row[k]] = 1;
    const ion = currentIon(m);
    if (ion === undefined) continue;
    // Each mechanism alone: its current and slope d i/dV go to its ion's totals.
    scratch.i.fill(0);
    scratch.g.fill(0);
    scratch.ica.fill(0);
    m.current(lm.instances, scratch);
    for (let k = 0; k < lm.row.length; k++) {
      const r = lm.row[k];
      const c = lm.instances.node[k];
      cur[ion][r] += scratch.i[c];
      slope[ion][r] += scratch.g[c];
    }
  }
  function nodeCol(src: Float64Array, present: Uint8Array): Float64Array {
    const values = nanCol();
    for (let r = 0; r < rows; r++) if (present[r]) values[r] = src[l.segmentNode[r]];
    return values;
  }
  function constCol(x: number, present: Uint8Array): Float64Array {
    const values = nanCol();
    for (let r = 0; r < rows; r++) if (present[r]) values[r] = x;
    return values;
  }
  function rowCol(src: Float64Array, present: Uint8Array): Float64Array {
    const values = nanCol();
    for (let r = 0; r < rows; r++) if (present[r]) values[r] = src[r];
    return values;
  }
  return [
    { name: "eca", values: nodeCol(n.eca, has.ca) },
    { name: "cai", values: nodeCol(n.cai, has.ca) },
    { name: "cao", values: nodeCol(n.cao, has.ca) },
    ...mechCols,
    { name: "eca_ca_ion", values: nodeCol(n.eca, has.ca) },
    { name: "cai_ca_ion", values: nodeCol(n.cai, has.ca) },
    { name: "cao_ca_ion", values: nodeCol(n.cao, has.ca) },
    { name: "ica_ca_ion", values: nodeCol(n.ica, has.ca) },
    { name: "dica_dv__ca_ion", values: rowCol(slope.ca, has.ca) },
    { name: "ena_na_ion", values: nodeCol(n.ena, has.na) },
    { name: "nai_na_ion", values: constCol(NA_I, has.na) },
    { name: "nao_na_ion", values: constCol(NA_O, has.na) },
    { name: "ina_na_ion", values: rowCol(cur.na, has.na) },
    { name: "dina_dv__na_ion", values: rowCol(slope.na, has.na) },
    { name: "ek_k_ion", values: nodeCol(n.ek, has.k) },
    { name: "ki_k_ion", values: constCol(K_I, has.k) },
    { name: "ko_k_ion", values: constCol(K_O, has.k) },
    { name: "ik_k_ion", values: rowCol(cur.k, has.k) },
    { name: "dik_dv__k_ion", values: rowCol(slope.k, has.k) },
  ];
}
