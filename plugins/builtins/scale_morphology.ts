/** ISF's `scale_morphology` (spec/cell_modify_functions.md §2). @module */
import {
  type InputLocation,
  InputValueError,
  paramLocation,
  type ParamObject,
  type ParamValue,
  readTextInputSync,
} from "../../io/mod.ts";
import type { Cell } from "../../solver/mod.ts";
import type { CellModification, CellModifyContext } from "../cell_modification.ts";
import { argError, argNumber, checkKeys } from "./_args.ts";

/** A decimal number as hoc writes it. */
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Sections ISF leaves out: the axon it adds itself (formats.md §4.4). */
const NOT_SCALED = new Set(["AIS", "Myelin"]);

/** The x, y, z of every `pt3dadd` line of a hoc file, in file order (as ISF reads them). */
function targetPoints(text: string, file: string): Float64Array {
  const out: number[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const at = line.indexOf("pt3dadd");
    if (at < 0) continue;
    const open = line.indexOf("(", at), close = line.indexOf(")", open + 1);
    const fields = open < 0 || close < 0 ? [] : line.slice(open + 1, close).split(",");
    const v = fields.map((f) => f.trim());
    if (fields.length !== 4 || !v.every((x) => NUMBER.test(x))) {
      throw new InputValueError(
        { file, line: i + 1, column: at + 1 },
        `Expected "pt3dadd(x, y, z, diam)" with four numbers, got ${JSON.stringify(line.trim())}`,
      );
    }
    out.push(Number(v[0]), Number(v[1]), Number(v[2]));
  }
  return Float64Array.from(out);
}

/**
 * Moves every 3-D point of the cell's sections (all but `AIS` and `Myelin`) the fraction `scale`
 * of the way to the same point of `target_morphology`: p + (target − p)·scale, so 0 keeps the
 * cell and 1 gives the target. The target must have exactly as many `pt3dadd` lines as those
 * sections have points, in the same order. As in ISF, only the stored points change, which is
 * where recording sites are looked up; the simulated geometry (lengths, diameters, segment
 * areas, synapse positions) stays that of the cell's own morphology.
 *
 * @param cell the cell
 * @param args `scale` [1] and `target_morphology` (a `.hoc` path, relative to the param file)
 * @param ctx where the entry is, for errors; resolves the path
 * @returns the new point coordinates
 * @throws InputValueError for a missing or unreadable target, a malformed `pt3dadd` line, or a
 *   point count that differs from the cell's
 */
export function scaleMorphology(
  cell: Readonly<Cell>,
  args: Readonly<Record<string, ParamValue>>,
  ctx: CellModifyContext,
): CellModification {
  const fn = "scale_morphology";
  checkKeys(args, ["scale", "target_morphology"], ctx, fn);
  const scale = argNumber(args, "scale", ctx, fn);
  const given = args.target_morphology;
  if (typeof given !== "string" || given === "") {
    argError(
      args,
      Object.hasOwn(args, "target_morphology") ? "target_morphology" : undefined,
      ctx,
      `${fn}() needs the argument "target_morphology" (the path of a .hoc file)`,
    );
  }
  const loc: InputLocation = paramLocation(args as ParamObject, "target_morphology", ctx.keyPath);
  const at = loc.file === "<unknown>" ? { ...loc, file: ctx.paramFile } : loc;
  const path = ctx.resolvePath
    ? ctx.resolvePath(given, at, "target morphology (.hoc) file")
    : given.startsWith("/")
    ? given
    : `${ctx.paramFile.replace(/[^/]*$/, "")}${given}`;
  const target = targetPoints(
    readTextInputSync(path, {
      what: "target morphology (.hoc) file",
      referencedFrom: at.file,
      ...(at.line !== undefined ? { line: at.line } : {}),
      ...(at.key !== undefined ? { key: at.key } : {}),
    }),
    path,
  );
  const sections = cell.sections.filter((s) => !NOT_SCALED.has(s.label));
  const count = sections.reduce((n, s) => n + s.x.length, 0);
  if (target.length / 3 !== count) {
    argError(
      args,
      "target_morphology",
      ctx,
      `${fn}: ${path} has ${
        target.length / 3
      } 3-D points (pt3dadd lines), but the cell's sections without AIS and Myelin have ${count}`,
    );
  }
  let k = 0;
  const points = sections.map((s) => {
    const x: number[] = [], y: number[] = [], z: number[] = [];
    for (let j = 0; j < s.x.length; j++, k += 3) {
      x.push(s.x[j] + (target[k] - s.x[j]) * scale);
      y.push(s.y[j] + (target[k + 1] - s.y[j]) * scale);
      z.push(s.z[j] + (target[k + 2] - s.z[j]) * scale);
    }
    return { section: s.index, x, y, z };
  });
  return { points };
}
