/**
 * Tables describing a built cell, in the layout of the NEURON reference tables
 * (`reference/single_cell/cell_sections.csv` and `cell_segments.csv`): one row per section and
 * one row per segment with geometry, distances and every mechanism parameter (RANGE parameters
 * per segment, GLOBALs with the value in force). State and current
 * columns (computed by the solver at initialization) can be merged in via `extraColumns`.
 *
 * @module
 */
import { formatPythonFloat } from "../io/mod.ts";
import type { Cell, DensityMechanism } from "../solver/mod.ts";
import {
  BUILTIN_CATALOGUE,
  type MechanismCatalogue,
  segmentGeometry,
  segmentRi,
  segmentSomaDistances,
} from "../solver/mod.ts";

/** An extra per-segment column (e.g. a state after initialization). */
export interface ExtraColumn {
  /** Column header, appended after the mechanism-parameter columns (`m_NaTa_t`, `ica_ca_ion`). */
  readonly name: string;
  /** One value per segment in row order (sections in index order); undefined → empty. */
  readonly values: readonly (number | undefined)[];
}

/** Options of {@linkcode inspectTables}. */
export interface InspectOptions {
  /** Columns appended to the segment table. */
  readonly extraColumns?: readonly ExtraColumn[];
  /** The job's mechanisms (built-ins and compiled `.mod` files; default: the built-ins). */
  readonly catalogue?: MechanismCatalogue;
}

/** Column names of the section table (as in the reference). */
export const SECTION_COLUMNS = [
  "sec",
  "label",
  "parent_sec",
  "parent_x",
  "nseg",
  "L",
  "n3d",
  "Ra",
  "area_sum_um2",
];

/** Fixed leading columns of the segment table. */
export const SEGMENT_COLUMNS = [
  "sec",
  "label",
  "seg",
  "x",
  "nseg",
  "sec_L",
  "seg_diam",
  "seg_area_um2",
  "ri_Mohm",
  "Ra",
  "cm",
  "somaDist",
  "ek",
  "ena",
];

/** NEURON's default reversal potentials [mV] where an ion exists but was not set. */
const DEFAULT_E: Record<string, number> = { ek: -77, ena: 50 };

function f(x: number): string {
  return formatPythonFloat(x);
}

/**
 * CSV tables of the cell: `sections` (one row per section) and `segments` (one row per segment;
 * `ri_Mohm` is NEURON's `seg.ri()` = rLeft(i) + rRight(i−1), `somaDist` the path distance from
 * soma(0) to the segment node; mechanism parameters as `<param>_<mech>`, empty where the
 * mechanism is absent; `ek`/`ena` where a mechanism uses the ion).
 *
 * @param cell the built cell
 * @param options extra per-segment columns
 * @returns CSV text of both tables (header line, `\n` line ends)
 * @example
 * ```ts ignore
 * const { sections, segments } = inspectTables(cell);
 * ```
 */
export function inspectTables(
  cell: Cell,
  options: InspectOptions = {},
): { sections: string; segments: string } {
  const catalogue = options.catalogue ?? BUILTIN_CATALOGUE;
  const byMechName = new Map<string, DensityMechanism>(catalogue.density.map((m) => [m.name, m]));
  const densityMechanism = (name: string) => byMechName.get(name);
  const geo = cell.sections.map((s) => segmentGeometry(s));
  const dist = segmentSomaDistances(cell);
  const secLines = [SECTION_COLUMNS.join(",")];
  for (const s of cell.sections) {
    let area = 0;
    for (const a of geo[s.index].area) area += a;
    secLines.push([
      s.index,
      s.label,
      s.parent,
      s.parent < 0 ? "" : f(s.parentX),
      s.nseg,
      f(s.L),
      s.x.length,
      f(s.Ra),
      f(area),
    ].join(","));
  }

  // Mechanism parameter columns in order of first appearance: RANGE parameters, then the
  // GLOBALs in force (`mech_globals`, else the .mod default), repeated on every segment.
  const paramCols: { mech: string; param: string; global?: number }[] = [];
  const seen = new Set<string>();
  for (const s of cell.sections) {
    for (const m of s.mechanisms) {
      if (seen.has(m.name)) continue;
      seen.add(m.name);
      for (const p of Object.keys(m.params)) paramCols.push({ mech: m.name, param: p });
      const globals = densityMechanism(m.name)?.globals ?? {};
      for (const [g, info] of Object.entries(globals)) {
        const global = cell.mechGlobals[m.name]?.[g] ?? info.default;
        paramCols.push({ mech: m.name, param: g, global });
      }
    }
  }
  const extra = options.extraColumns ?? [];
  const header = [
    ...SEGMENT_COLUMNS,
    ...paramCols.map((c) => `${c.param}_${c.mech}`),
    ...extra.map((c) => c.name),
  ];
  const segLines = [header.join(",")];
  let row = 0;
  for (const s of cell.sections) {
    const g = geo[s.index];
    const ri = segmentRi(g);
    const ions = new Set<string>();
    for (const m of s.mechanisms) {
      for (const u of densityMechanism(m.name)?.ions ?? []) ions.add(u.name);
    }
    const ionValue = (v: "ek" | "ena"): string => {
      if (!ions.has(v.slice(1))) return "";
      return f(s.ions[v] ?? DEFAULT_E[v]);
    };
    const ek = ionValue("ek"), ena = ionValue("ena");
    const byName = new Map(s.mechanisms.map((m) => [m.name, m]));
    for (let i = 0; i < s.nseg; i++, row++) {
      const cells: string[] = [
        String(s.index),
        s.label,
        String(i),
        f((i + 0.5) / s.nseg),
        String(s.nseg),
        f(s.L),
        f(g.diam[i]),
        f(g.area[i]),
        f(ri[i]),
        f(s.Ra),
        f(s.cm),
        f(dist[s.index][i]),
        ek,
        ena,
      ];
      for (const c of paramCols) {
        const m = byName.get(c.mech);
        cells.push(m ? f(c.global ?? m.params[c.param][i]) : "");
      }
      for (const c of extra) {
        const v = c.values[row];
        cells.push(v === undefined ? "" : f(v));
      }
      segLines.push(cells.join(","));
    }
  }
  return { sections: secLines.join("\n") + "\n", segments: segLines.join("\n") + "\n" };
}
