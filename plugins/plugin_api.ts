/**
 * Types for plugin authors (docs/plugins.md). A plugin is a TypeScript or JavaScript module that
 * simrun runs in its own process with only the file access it was granted. Import these
 * types with `import type` (the import is erased, so the plugin needs no read access to simrun):
 *
 * ```ts ignore
 * import type { CellDescription, CellModification } from "simrun/plugins/plugin_api.ts";
 * export function cellModify(cell: CellDescription): CellModification { … }
 * ```
 *
 * Two kinds exist:
 * - a **cell-modify plugin** exports `cellModify(cell, args)` returning a
 *   {@linkcode CellModification} (named in `neuron.cell_modify_functions` by its path);
 * - a **recorder plugin** exports `recorder`, a {@linkcode RecorderPlugin}: `sites()` says what to
 *   record, `sweep()` receives the traces once per sweep, `finish()` runs at the end of the job.
 *
 * Everything crossing the process boundary is copied: plain objects, arrays, numbers, strings,
 * booleans and typed arrays only (no functions, no class instances, no BigInt, no Map).
 *
 * @module
 */

/** Keyword arguments of a plugin: the JSON-like value from the param file or the API call. */
export type PluginArgs = Readonly<Record<string, unknown>>;

/** Per-segment values of one density mechanism on one section. */
export interface MechanismDescription {
  /** NMODL SUFFIX (`NaTa_t`, `pas`, …). */
  readonly name: string;
  /** Parameter name without suffix (`gNaTa_tbar`, `g`, `e`) → one value per segment. */
  readonly params: Readonly<Record<string, Float64Array>>;
}

/** One NEURON section as a plugin sees it (a copy: changing it has no effect). */
export interface SectionDescription {
  /** ISF section index (the index synapse files and recording sites use). */
  readonly index: number;
  /** hoc name (`soma`, `dend_1_0`, `axon_0`, …). */
  readonly name: string;
  /** Structure label: `Soma`, `Dendrite`, `ApicalDendrite`, `Axon`, `AIS`, `Myelin`, … */
  readonly label: string;
  /** Parent section index, -1 for the soma. */
  readonly parent: number;
  /** Position on the parent where the 0-end attaches. */
  readonly parentX: number;
  /** Child section indices in index order. */
  readonly children: readonly number[];
  /** 3-D point coordinates [µm]. */
  readonly x: Float64Array;
  /** y coordinates of the 3-D points [µm]. */
  readonly y: Float64Array;
  /** z coordinates of the 3-D points [µm]. */
  readonly z: Float64Array;
  /** Diameters of the 3-D points as read from the hoc file [µm]. */
  readonly hocDiam: Float64Array;
  /** Present diameters of the 3-D points (after earlier cell-modify functions) [µm]. */
  readonly diam: Float64Array;
  /** Arc length of each 3-D point from the 0-end [µm]. */
  readonly arc: Float64Array;
  /** Relative position (0…1) of each 3-D point. */
  readonly relPts: Float64Array;
  /** Section length [µm]. */
  readonly L: number;
  /** Number of segments. */
  readonly nseg: number;
  /** Axial resistivity [Ω·cm]. */
  readonly Ra: number;
  /** Specific capacitance [µF/cm²]. */
  readonly cm: number;
  /** Segment centres (i+½)/nseg, the `x` to record a segment at. */
  readonly segmentX: Float64Array;
  /** NEURON path distance from soma(0) to each segment node [µm] (spec/algorithm.md §4.6). */
  readonly segmentSomaDistance: Float64Array;
  /** Path distance from soma(0) to the section's 0-end node [µm]. */
  readonly somaDistance0: number;
  /** Path distance from soma(0) to the section's 1-end node [µm]. */
  readonly somaDistance1: number;
  /** Inserted density mechanisms in insertion order, with per-segment parameters. */
  readonly mechanisms: readonly MechanismDescription[];
  /** Section-level ion settings (`ek`, `ena`, …) [mV]. */
  readonly ions: Readonly<Record<string, number>>;
}

/** A point process already on the cell (IClamp, epsp, …). */
export interface PointProcessDescription {
  /** NMODL name (`IClamp`, `epsp`). */
  readonly mechanism: string;
  /** Index of the section it sits on (`SectionDescription.index`, 0 = soma). */
  readonly section: number;
  /** Relative position on the section. */
  readonly x: number;
  /** Parameters by NMODL name (`amp` [nA], `del` [ms], `dur` [ms]; `onset`, `tau0`, `tau1`, `imax`). */
  readonly params: Readonly<Record<string, number>>;
}

/** The cell handed to a plugin: a serialisable copy of the built cell. Section 0 is the soma. */
export interface CellDescription {
  /** All sections in ISF index order (`sections[i].index === i`). */
  readonly sections: readonly SectionDescription[];
  /** Point processes added so far by earlier cell-modify functions, in the order added. */
  readonly pointProcesses: readonly PointProcessDescription[];
  /** Global mechanism parameters (`mech_globals`): mechanism → parameter → value. */
  readonly mechGlobals: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** The cell param file, as the host named it (for messages only). */
  readonly paramFile: string;
  /** The cell's morphology (`.hoc`) file, as the host named it (for messages only). */
  readonly hocFile: string;
}

/**
 * What a cell-modify plugin returns; the same shape as a built-in's result
 * (`plugins/cell_modify.ts`), validated by the host before it is applied.
 */
export interface CellModification {
  /**
   * New present diameters of whole sections, one value per 3-D point [µm] (stored as float32,
   * as NEURON does). A `Float64Array` is accepted too.
   */
  readonly diameters?: readonly {
    readonly section: number;
    readonly diam: readonly number[] | Float64Array;
  }[];
  /** Point processes to add (`IClamp`: amp, del, dur; `epsp`: onset, tau0, tau1, imax). */
  readonly pointProcesses?: readonly PointProcessDescription[];
}

/** The export of a cell-modify plugin module: `export function cellModify(cell, args) {…}`. */
export type CellModifyPlugin = (
  cell: CellDescription,
  args: PluginArgs,
) => CellModification | Promise<CellModification>;

/** One variable to record at one place. */
export interface RecordSite {
  /** Section index. */
  readonly section: number;
  /** Relative position; the value of the segment node containing x is recorded. */
  readonly x: number;
  /**
   * `v` (default, [mV]), `cai`/`cao` [mM], `ica` [mA/cm²], `eca`/`ena`/`ek` [mV], or a mechanism
   * field `<field>_<Mechanism>` (`m_NaTa_t`, `ica_Ca_HVA`, `gSK_E2bar_SK_E2`, `i_IClamp`).
   */
  readonly variable?: string;
}

/** What a recorder receives once per sweep. */
export interface SweepData {
  /** Sweep index (0-based, as in `simulation_run%04d`). */
  readonly sweep: number;
  /** Sample times [ms] (t = 0 plus one sample per step). */
  readonly t: Float64Array;
  /** The sites the recorder asked for, in its order. */
  readonly sites: readonly RecordSite[];
  /** One trace per site, same length as `t` (units: see {@linkcode RecordSite}). */
  readonly values: Float64Array[];
}

/** Context of a recorder: its arguments and where it may write. */
export interface RecorderContext {
  /** Keyword arguments given with the plugin. */
  readonly args: PluginArgs;
  /**
   * The recorder's own folder of the job, `<job folder>/plugins/<module name>/` (absolute, real
   * path): the only place it may write. simrun's own result files are one level up, out of reach.
   */
  readonly outDir: string;
  /** The plugin's name as the user gave it (for messages and file names). */
  readonly name: string;
}

/**
 * The export of a recorder plugin module: `export const recorder: RecorderPlugin = {…}`.
 * `sites` runs once per job (after the cell is built), `sweep` once per sweep (never per time
 * step: the solver fills the traces, the host hands them over when the sweep ends), `finish`
 * once at the end. The module's state persists between calls (one process per recorder and job;
 * it is ended right after `finish`).
 */
export interface RecorderPlugin {
  /** What to record on this cell. */
  sites(cell: CellDescription, context: RecorderContext): RecordSite[] | Promise<RecordSite[]>;
  /** Reduce or write one sweep's traces. The arrays are the plugin's own copy. */
  sweep(data: SweepData, context: RecorderContext): void | Promise<void>;
  /** Write summaries, close files. Optional. */
  finish?(context: RecorderContext): void | Promise<void>;
}
