/**
 * Builds the cell description exactly as ISF's `CellParser` + NEURON do (spec/formats.md §2, §4;
 * spec/algorithm.md §4): sections in ISF order (hoc creation order, then the Hay 2013 axon when
 * the param has `AIS`), soma children attached at 0.5, float32 point storage and arc lengths,
 * relPts, properties → nseg → per label in file order: range mechanisms with spatial rules,
 * ions, spines; `mech_globals`.
 *
 * Cell-modify functions are applied afterwards (plugins/cell_modify.ts).
 *
 * @module
 */
import {
  type CellSpec,
  InputValueError,
  ionOfVariable,
  type Located,
  NEURON_NON_LABEL_KEYS,
} from "../io/mod.ts";
import type { HocMorphology } from "../io/mod.ts";
import { hay2013Axon } from "./axon.ts";
import type { Cell, Section, SectionMechanism } from "./cell.ts";
import { pathTable } from "./distances.ts";
import { currentIon, parameterProblem } from "./mechanisms/_types.ts";
import type { DensityMechanism, MechanismBase, PointMechanism } from "./mechanisms/_types.ts";
import {
  BUILTIN_CATALOGUE,
  type MechanismCatalogue,
  unavailableMechanism,
} from "./mechanism_catalogue.ts";
import { dLambdaNseg } from "./nseg.ts";
import { segmentGeometry } from "./segment_geometry.ts";
import { evaluateSpatialRule, type OriginState } from "./spatial_rules.ts";

/** NEURON's default axial resistivity [Ω·cm]. */
export const NEURON_DEFAULT_RA = 35.4;
/** NEURON's default specific capacitance [µF/cm²]. */
export const NEURON_DEFAULT_CM = 1.0;

export { NEURON_NON_LABEL_KEYS };

/** Options of {@linkcode buildCell}. */
export interface BuildCellOptions {
  /**
   * The job's mechanisms (built-ins and compiled `.mod` files; default: the built-ins). A name
   * whose `.mod` file failed to compile is reported with that file's error.
   */
  readonly catalogue?: MechanismCatalogue;
  /** Density mechanism lookup (default: the catalogue's). */
  readonly densityMechanism?: (name: string) => DensityMechanism | undefined;
  /**
   * Point processes `mech_globals` may name besides the catalogue's (the network's synapses;
   * ISF sets `<name>_<mechanism>` for any mechanism).
   */
  readonly pointMechanisms?: readonly PointMechanism[];
}

/** Mutable section under construction. */
type Draft = { -readonly [K in keyof Section]: Section[K] };

/**
 * Arc lengths as NEURON stores them: float32 coordinates, float32 differences, double sums.
 *
 * @param x x coordinates [µm]
 * @param y y coordinates [µm]
 * @param z z coordinates [µm]
 * @returns cumulative arc length of every point [µm]
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neuronArc } from "./build_cell.ts";
 * const a = neuronArc([0, 0], [0, 0], [0, -1000]);
 * assert.equal(a[1], 1000);
 * ```
 */
export function neuronArc(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  z: ArrayLike<number>,
): Float64Array {
  const n = x.length;
  const arc = new Float64Array(n);
  for (let k = 1; k < n; k++) {
    const dx = Math.fround(Math.fround(x[k]) - Math.fround(x[k - 1]));
    const dy = Math.fround(Math.fround(y[k]) - Math.fround(y[k - 1]));
    const dz = Math.fround(Math.fround(z[k]) - Math.fround(z[k - 1]));
    arc[k] = arc[k - 1] + Math.sqrt(dx * dx + dy * dy + dz * dz);
  }
  return arc;
}

/**
 * ISF's relative point positions: cumulative float64 distance / L, rescaled so the last is 1.
 *
 * @param x x coordinates [µm] (float64 hoc values)
 * @param y y coordinates [µm]
 * @param z z coordinates [µm]
 * @param L NEURON section length [µm]
 * @returns relPts (first 0, last exactly 1)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isfRelPts } from "./build_cell.ts";
 * assert.deepEqual([...isfRelPts([0, 0, 0], [0, 0, 0], [0, 1, 4], 4)], [0, 0.25, 1]);
 * ```
 */
export function isfRelPts(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  z: ArrayLike<number>,
  L: number,
): Float64Array {
  const n = x.length;
  const rel = new Float64Array(n);
  let len = 0;
  for (let k = 0; k < n - 1; k++) {
    const a = x[k] - x[k + 1], b = y[k] - y[k + 1], c = z[k] - z[k + 1];
    len += Math.sqrt(a * a + b * b + c * c);
    rel[k + 1] = len / L;
  }
  if (n > 1) {
    const norm = 1.0 / rel[n - 1];
    for (let k = 0; k < n - 1; k++) rel[k] *= norm;
    rel[n - 1] = 1.0;
  } else {
    rel[0] = 1.0; // ISF: relPts = [0.0]; norm = 1/0 … a single point is rejected earlier
  }
  return rel;
}

function makeSection(
  index: number,
  name: string,
  label: string,
  parent: number,
  parentX: number,
  x: Float64Array,
  y: Float64Array,
  z: Float64Array,
  diam: ArrayLike<number>,
  line: number,
): Draft {
  const arc = neuronArc(x, y, z);
  const L = arc[arc.length - 1];
  const hocDiam = Float64Array.from(diam);
  const present = new Float64Array(hocDiam.length);
  for (let k = 0; k < present.length; k++) present[k] = Math.fround(hocDiam[k]);
  return {
    index,
    name,
    label,
    parent,
    parentX,
    children: [],
    x,
    y,
    z,
    hocDiam,
    diam: present,
    arc,
    L,
    relPts: isfRelPts(x, y, z, L),
    nseg: 1,
    Ra: NEURON_DEFAULT_RA,
    cm: NEURON_DEFAULT_CM,
    mechanisms: [],
    ions: {},
    line,
  };
}

function usesIon(
  sec: Draft,
  ion: string,
  lookup: (n: string) => DensityMechanism | undefined,
): boolean {
  for (const m of sec.mechanisms) {
    const d = lookup(m.name);
    if (d === undefined) continue;
    // NEURON inserts an ion wherever a mechanism USEIONs it (reading or writing).
    if (currentIon(d) === ion || d.ions.some((u) => u.name === ion)) return true;
  }
  return false;
}

/** Throws when a value is outside the physical range of the parameter or GLOBAL it sets. */
function checkValue(
  dm: MechanismBase,
  name: string,
  value: number,
  where: Located<unknown>["where"],
  global: boolean,
): void {
  const table = global ? dm.globals : dm.parameters;
  const info = Object.hasOwn(table, name) ? table[name] : undefined;
  const problem = info === undefined ? undefined : parameterProblem(info, value);
  if (problem !== undefined) {
    throw new InputValueError(where, `"${name}" of mechanism "${dm.name}": ${problem}`);
  }
}

/**
 * Builds a cell from its described param (io's `readCellSpec`) and a parsed hoc morphology:
 * sections, Ra/cm, nseg, range mechanisms with their spatial rules, ions, spines, and the
 * mechanisms' GLOBALs from `mech_globals`. Values are validated against the mechanism catalogue
 * (known names, physical ranges) with the location of the spec.
 *
 * @param spec the described cell param
 * @param morphology the parsed hoc file (io/hoc.ts)
 * @param options mechanism lookup
 * @returns the cell (cell-modify functions not yet applied)
 * @throws InputValueError with file:line:key for an unknown label, mechanism, parameter or
 *   GLOBAL, a value out of its physical range, or an ion set where no mechanism uses it
 * @example
 * ```ts ignore
 * const cell = buildCell(readCellSpec(await readParamFile("86.param")), parseHoc(text, "86.hoc"));
 * ```
 */
export function buildCell(
  spec: CellSpec,
  morphology: HocMorphology,
  options: BuildCellOptions = {},
): Cell {
  const paramFile = spec.file;
  const catalogue = options.catalogue ?? BUILTIN_CATALOGUE;
  const densityByName = new Map(catalogue.density.map((m) => [m.name, m]));
  const lookup = options.densityMechanism ?? ((name: string) => densityByName.get(name));
  const hocFile = morphology.file;

  // 1. Sections from the hoc file.
  const hs = morphology.sections;
  if (hs.length === 0) {
    throw new InputValueError({ file: hocFile }, "The morphology has no sections");
  }
  const somaIdx = morphology.soma;
  if (somaIdx !== 0 || hs[0].label !== "Soma") {
    throw new InputValueError(
      { file: hocFile, line: hs[somaIdx]?.line ?? 0 },
      `The soma must be the first section created in the hoc file (found it at index ${somaIdx})`,
    );
  }
  const sections: Draft[] = [];
  for (let i = 0; i < hs.length; i++) {
    const h = hs[i];
    if (h.x.length < 2) {
      throw new InputValueError(
        { file: hocFile, line: h.line },
        `Section "${h.name}" has ${h.x.length} 3-D point(s); at least 2 are needed to give it a length`,
      );
    }
    let parent = -1, parentX = 0;
    if (i !== somaIdx) {
      parent = h.parent;
      if (!(parent >= 0 && parent < i)) {
        throw new InputValueError(
          { file: hocFile, line: h.connectLine || h.line },
          `Section "${h.name}" must be connected to a section created before it (parent index ${parent})`,
        );
      }
      parentX = parent === somaIdx ? 0.5 : (h.parentX ?? 1);
    }
    const sec = makeSection(i, h.name, h.label, parent, parentX, h.x, h.y, h.z, h.diam, h.line);
    if (!(sec.L > 0)) {
      throw new InputValueError(
        { file: hocFile, line: h.line },
        `Section "${h.name}" has zero length`,
      );
    }
    sections.push(sec);
  }
  const fixedNseg = new Map<number, number>();
  if (spec.createsAxon) {
    const s = sections[somaIdx];
    for (
      const a of hay2013Axon({ x: s.x, y: s.y, z: s.z, diam: s.hocDiam }, somaIdx, sections.length)
    ) {
      const idx = sections.length;
      sections.push(
        makeSection(idx, a.name, a.label, a.parent, a.parentX, a.x, a.y, a.z, a.diam, 0),
      );
      fixedNseg.set(idx, a.nseg);
    }
  }
  for (const s of sections) if (s.parent >= 0) sections[s.parent].children.push(s.index);

  // 2. Properties (Ra, cm) for all labels in file order.
  const present = new Set(sections.map((s) => s.label));
  for (const st of spec.structures) {
    const label = st.label;
    if (!present.has(label)) {
      throw new InputValueError(
        st.where,
        `Structure "${label}" is not in the cell (the cell has ${[...present].join(", ")}${
          label === "AIS" || label === "Myelin"
            ? ""
            : "; AIS/Myelin are created only when the param has an AIS block"
        })`,
      );
    }
    for (const s of sections) {
      if (s.label !== label) continue;
      if (st.Ra !== undefined) s.Ra = st.Ra.value;
      if (st.cm !== undefined) s.cm = st.cm.value;
    }
  }

  // 3. nseg.
  const f = spec.discretization?.f.value ?? 100.0;
  const maxSegLength = spec.discretization?.maxSegLength.value;
  for (const s of sections) {
    const fixed = fixedNseg.get(s.index);
    if (fixed !== undefined) {
      s.nseg = fixed;
      continue;
    }
    const midDiam = s.hocDiam[Math.floor(s.hocDiam.length / 2)];
    s.nseg = dLambdaNseg({ L: s.L, midDiam, Ra: s.Ra, cm: s.cm }, { f, maxSegLength });
  }

  // 4. Per label in file order: range mechanisms, ions, spines.
  const table = pathTable({ sections });
  const state: OriginState = { origin: { section: somaIdx, x: 0 } };
  for (const st of spec.structures) {
    const label = st.label;
    if (label === "SpineHead" || label === "SpineNeck") continue;
    const labelled = sections.filter((s) => s.label === label);
    for (const rm of st.range) {
      const mechName = rm.name;
      if (mechName.includes("_ion")) {
        // ISF: for an ion pseudo-mechanism ("na_ion") a uniform rule sets section variables.
        for (const p of rm.params) for (const s of labelled) s.ions[p.name] = p.value;
        continue;
      }
      const dm = lookup(mechName);
      if (dm === undefined) {
        const failed = unavailableMechanism(catalogue, mechName, rm.where);
        if (failed !== undefined) throw failed;
        throw new InputValueError(
          rm.where,
          `Unknown mechanism "${mechName}" in "${label}" (simrun has no NMODL mechanism of that name)`,
        );
      }
      const unknownParam = (name: string, where: Located<unknown>["where"]): never => {
        throw new InputValueError(
          where,
          name in dm.globals
            ? `"${name}" is a GLOBAL of mechanism "${mechName}" (one value for the whole cell, as in NEURON): set it in mech_globals, not per section in "${label}"`
            : `Unknown parameter "${name}" of mechanism "${mechName}" in "${label}"; known parameters: ${
              Object.keys(dm.parameters).join(", ")
            }`,
        );
      };
      const params: [string, number][] = [];
      const control: Record<string, number | string | readonly number[]> = { ...rm.control };
      if (rm.paramName !== undefined) {
        const p = rm.paramName.value;
        if (!Object.hasOwn(dm.parameters, p)) unknownParam(p, rm.paramName.where);
        control.param_name = p;
        params.push([p, 0]);
      }
      for (const p of rm.params) {
        if (!Object.hasOwn(dm.parameters, p.name)) unknownParam(p.name, p.where);
        checkValue(dm, p.name, p.value, p.where, false);
        params.push([p.name, p.value]);
      }
      const values = evaluateSpatialRule({
        sections,
        table,
        label,
        spatial: rm.spatial.value,
        control,
        params,
        state,
        where: rm.where,
      });
      for (const s of labelled) {
        let entry: SectionMechanism | undefined = s.mechanisms.find((m) => m.name === mechName);
        if (entry === undefined) {
          const p: Record<string, Float64Array> = {};
          for (const [name, info] of Object.entries(dm.parameters)) {
            p[name] = new Float64Array(s.nseg).fill(info.default);
          }
          entry = { name: mechName, params: p };
          s.mechanisms.push(entry);
        }
        const v = values.get(s.index);
        if (v) { for (const [name, arr] of Object.entries(v)) entry.params[name].set(arr); }
      }
    }

    for (const ionSetting of st.ions) {
      const ion = ionOfVariable(ionSetting.name)!;
      for (const s of labelled) {
        if (!usesIon(s, ion, lookup)) {
          throw new InputValueError(
            ionSetting.where,
            `Cannot set "${ionSetting.name}" on section "${s.name}" (${label}): no mechanism there uses the ${ion} ion`,
          );
        }
        s.ions[ionSetting.name] = ionSetting.value;
      }
    }
    if (st.spines !== undefined && st.range.some((m) => m.name === "pas")) {
      const { density, area } = st.spines;
      for (const s of labelled) {
        const g = segmentGeometry(s);
        let aSec = 0;
        for (let i = 0; i < s.nseg; i++) aSec += g.area[i];
        const F = 1.0 + area * density * s.L / aSec;
        s.cm = s.cm * F;
        const pas = s.mechanisms.find((m) => m.name === "pas");
        if (pas) {
          const gp = pas.params.g;
          for (let i = 0; i < gp.length; i++) gp[i] = gp[i] * F;
        }
      }
    }
  }

  // 5. mech_globals: NMODL GLOBALs (ISF sets `<name>_<mechanism> = value` in hoc, which NEURON
  // accepts only for a GLOBAL).
  const mechGlobals: Record<string, Record<string, number>> = {};
  const points = new Map<string, MechanismBase>();
  for (const m of [...(options.pointMechanisms ?? []), ...catalogue.point]) points.set(m.name, m);
  for (const g of spec.mechGlobals) {
    const dm = lookup(g.mechanism) ?? points.get(g.mechanism);
    if (dm === undefined) {
      const failed = unavailableMechanism(catalogue, g.mechanism, g.mechanismWhere);
      if (failed !== undefined) throw failed;
      throw new InputValueError(
        g.mechanismWhere,
        `Unknown mechanism "${g.mechanism}" in mech_globals (known: the cell's density mechanisms, point processes and synapses)`,
      );
    }
    if (!Object.hasOwn(dm.globals, g.name)) {
      const globals = Object.keys(dm.globals);
      throw new InputValueError(
        g.where,
        `"${g.name}" is not a GLOBAL of mechanism "${g.mechanism}" (${
          globals.length > 0 ? `its GLOBALs: ${globals.join(", ")}` : "it has none"
        }${
          Object.hasOwn(dm.parameters, g.name)
            ? `; "${g.name}" is a RANGE parameter: set it per section`
            : ""
        })`,
      );
    }
    checkValue(dm, g.name, g.value, g.where, true);
    (mechGlobals[g.mechanism] ??= {})[g.name] = g.value;
  }

  return { sections, pointProcesses: [], mechGlobals, paramFile, hocFile };
}
