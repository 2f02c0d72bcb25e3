/**
 * What a cell-modify function is (spec/cell_modify_functions.md): plain, serialisable data in
 * and out, so that the built-ins (builtins/) and sandboxed plugins (user_cell_modify.ts) both
 * implement it. A leaf file: the built-ins import it, and `cell_modify.ts` imports them.
 *
 * @module
 */
import type { ParamValue } from "../io/mod.ts";
import type { Cell, PointProcessSpec } from "../solver/mod.ts";

/** What a cell-modify function asks for. Everything is plain data. */
export interface CellModification {
  /** New present diameters of whole sections: one value per 3-D point [µm]. */
  readonly diameters?: readonly { readonly section: number; readonly diam: readonly number[] }[];
  /** Point processes to add (IClamp, epsp). */
  readonly pointProcesses?: readonly PointProcessSpec[];
}

/** Context handed to a function: where its arguments are, for error messages. */
export interface CellModifyContext {
  /** Dotted key of the function's entry, e.g. `neuron.cell_modify_functions.BAC_injection`. */
  readonly keyPath: string;
  /** The cell param file. */
  readonly paramFile: string;
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
