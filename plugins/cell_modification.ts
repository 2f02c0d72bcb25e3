/**
 * What a cell-modify function is (spec/cell_modify_functions.md): plain, serialisable data in
 * and out, so that the built-ins (builtins/) and sandboxed plugins (user_cell_modify.ts) both
 * implement it. A leaf file: the built-ins import it, and `cell_modify.ts` imports them.
 *
 * @module
 */
import type { InputLocation, ParamValue } from "../io/mod.ts";
import type { Cell, PointProcessSpec } from "../solver/mod.ts";

/** What a cell-modify function asks for. Everything is plain data. */
export interface CellModification {
  /** New present diameters of whole sections: one value per 3-D point [µm]. */
  readonly diameters?: readonly { readonly section: number; readonly diam: readonly number[] }[];
  /** Point processes to add (IClamp, epsp). */
  readonly pointProcesses?: readonly PointProcessSpec[];
  /**
   * New coordinates of whole sections' 3-D points [µm], one value per point. As in ISF (where
   * only `sec.pts` changes), they move the points recording sites are looked up by; lengths,
   * areas and synapse positions keep the geometry the cell was built with.
   */
  readonly points?: readonly {
    readonly section: number;
    readonly x: readonly number[];
    readonly y: readonly number[];
    readonly z: readonly number[];
  }[];
}

/** Context handed to a function: where its arguments are, for error messages. */
export interface CellModifyContext {
  /** Dotted key of the function's entry, e.g. `neuron.cell_modify_functions.BAC_injection`. */
  readonly keyPath: string;
  /** The cell param file. */
  readonly paramFile: string;
  /**
   * Maps a file path given in the arguments to the file to open (relative to the param file,
   * then the path map), or throws an input error naming `at`; absent: used as given (relative
   * to the param file's folder).
   */
  readonly resolvePath?: (path: string, at: InputLocation, what: string) => string;
}

/**
 * A cell-modify function: reads the cell and its keyword arguments, returns the modification.
 * It must not mutate the cell. Built-ins are synchronous; plugins may be asynchronous.
 */
export type CellModifyFunction = (
  cell: Readonly<Cell>,
  args: Readonly<Record<string, ParamValue>>,
  context: CellModifyContext,
) => CellModification | Promise<CellModification>;
