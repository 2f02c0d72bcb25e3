/**
 * The cell *description*: sections with their 3-D points, discretization and biophysics, plus
 * point processes added by cell-modify functions. It is not runnable: `lowerCell()` (in
 * `compartments.ts`) turns it into flat node arrays for the solver (Arbor's split of
 * cable_cell and fvm_layout).
 *
 * Built by `buildCell()` (`build_cell.ts`) following spec/formats.md §2 and
 * spec/algorithm.md §4. Cell-modify functions may change `diam` and append to
 * `pointProcesses`, never `nseg`.
 *
 * @module
 */

/** Per-segment parameter values of one density mechanism on one section. */
export interface SectionMechanism {
  /** NMODL SUFFIX (`NaTa_t`, `pas`, …). */
  readonly name: string;
  /** Parameter name without suffix (`gNaTa_tbar`, `g`, `e`) → one value per segment. */
  readonly params: Record<string, Float64Array>;
}

/** One NEURON section. */
export interface Section {
  /** ISF section index (hoc creation order, then the added axon sections). */
  readonly index: number;
  /** hoc name (`soma`, `dend_1_0`, `axon_0`, …). */
  readonly name: string;
  /** Structure label: `Soma`, `Dendrite`, `ApicalDendrite`, `Axon`, `AIS`, `Myelin`, … */
  readonly label: string;
  /** Parent section index, -1 for the soma (root). */
  readonly parent: number;
  /** Position on the parent where the 0-end attaches (0.5 for every soma child). */
  readonly parentX: number;
  /** Child section indices in index order. */
  readonly children: number[];
  /** 3-D point coordinates as read (float64) [µm]. */
  readonly x: Float64Array;
  /** y coordinates of the 3-D points, as read (float64) [µm]. */
  readonly y: Float64Array;
  /** z coordinates of the 3-D points, as read (float64) [µm]. */
  readonly z: Float64Array;
  /** Diameters as read from the hoc file (float64) [µm]; never modified. */
  readonly hocDiam: Float64Array;
  /** Present diameters [µm] (cell-modify functions may change them; NEURON stores float32). */
  readonly diam: Float64Array;
  /** Arc length of each point, NEURON-style from float32 coordinates [µm]. */
  readonly arc: Float64Array;
  /** Section length = arc of the last point [µm]. */
  readonly L: number;
  /** ISF relative point positions (float64, last exactly 1). */
  readonly relPts: Float64Array;
  /** Number of segments. */
  nseg: number;
  /** Axial resistivity [Ω·cm]. */
  Ra: number;
  /** Specific capacitance [µF/cm²] (section-wide). */
  cm: number;
  /** Inserted density mechanisms, in insertion order. */
  readonly mechanisms: SectionMechanism[];
  /** Section-level ion settings (`ek`, `ena`, `eca`, …) [mV]. */
  readonly ions: Record<string, number>;
  /** Where the section is created in its hoc file (0 for added axon sections). */
  readonly line: number;
}

import type { InputLocation } from "../io/mod.ts";

/** A point process placed on the cell (IClamp, epsp, …) with its parameters. */
export interface PointProcessSpec {
  /** NMODL name: `IClamp`, `epsp`. */
  readonly mechanism: string;
  /** Index of the section it is placed on (`Cell.sections` index; 0 = soma). */
  readonly section: number;
  /** Relative position along the section; the process sits on the node of that segment. */
  readonly x: number;
  /** Parameter values by NMODL name (`amp`, `del`, `dur`; `onset`, `tau0`, `tau1`, `imax`). */
  readonly params: Record<string, number>;
  /** What placed it (the cell-modify function's entry in the param), for messages. */
  readonly where?: InputLocation;
}

/** A built cell. Section 0 is the soma. */
export interface Cell {
  /** All sections in ISF index order (hoc creation order, soma first; then added axon sections). */
  readonly sections: Section[];
  /** Point processes added by cell-modify functions (`IClamp`, `epsp`), in the order added. */
  readonly pointProcesses: PointProcessSpec[];
  /**
   * NMODL GLOBAL values from `mech_globals`: mechanism → GLOBAL → value (validated against the
   * mechanisms' `globals` when the cell is built).
   */
  readonly mechGlobals: Record<string, Record<string, number>>;
  /** The cell param file, for messages. */
  readonly paramFile: string;
  /** The morphology (`.hoc`) file the sections were read from, for messages. */
  readonly hocFile: string;
}
