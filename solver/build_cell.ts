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
  getNumber,
  getObject,
  getString,
  type InputLocation,
  InputValueError,
  isParamObject,
  joinKeyPath,
  paramLocation,
  type ParamObject,
  type ParamValue,
} from "../io/mod.ts";
import type { HocMorphology } from "../io/mod.ts";
import { hay2013Axon } from "./axon.ts";
import type { Cell, Section, SectionMechanism } from "./cell.ts";
import { pathTable } from "./distances.ts";
import { densityMechanism } from "./mechanisms/mod.ts";
import { currentIon, parameterProblem, writesCai } from "./mechanisms/_types.ts";
import type { DensityMechanism } from "./mechanisms/_types.ts";
import { dLambdaNseg } from "./nseg.ts";
import { segmentGeometry } from "./segment_geometry.ts";
import { evaluateSpatialRule, type OriginState, SPATIAL_RULE_KEYS } from "./spatial_rules.ts";

/** NEURON's default axial resistivity [Ω·cm]. */
export const NEURON_DEFAULT_RA = 35.4;
/** NEURON's default specific capacitance [µF/cm²]. */
export const NEURON_DEFAULT_CM = 1.0;

/** Keys of the `neuron` block that are not structure labels. */
export const NEURON_NON_LABEL_KEYS: readonly string[] = [
  "filename",
  "cell_modify_functions",
  "spatialgraph_modify_functions",
  "discretization",
];

/** Options of {@linkcode buildCell}. */
export interface BuildCellOptions {
  /** The cell param file, for messages and `Cell.paramFile` (default: from the param's metadata). */
  readonly paramFile?: string;
  /** Dotted key path of `neuronParam` inside its file (default `"neuron"`). */
  readonly keyPath?: string;
  /** The top-level `mech_globals` object, if any. */
  readonly mechGlobals?: ParamObject | undefined;
  /** Mechanism catalogue lookup (default: solver/mechanisms/mod.ts). */
  readonly densityMechanism?: (name: string) => DensityMechanism | undefined;
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

function labelsOf(neuron: ParamObject): string[] {
  return Object.keys(neuron).filter((k) => !NEURON_NON_LABEL_KEYS.includes(k));
}

/** Which ion a section-level ion variable (`ek`, `nai`, `cao`, …) belongs to. */
function ionOfVariable(v: string): string | undefined {
  let m = /^e(na|k|ca)$/.exec(v);
  if (m) return m[1];
  m = /^(na|k|ca)[io]$/.exec(v);
  return m ? m[1] : undefined;
}

function usesIon(
  sec: Draft,
  ion: string,
  lookup: (n: string) => DensityMechanism | undefined,
): boolean {
  for (const m of sec.mechanisms) {
    const d = lookup(m.name);
    if (d === undefined) continue;
    if (currentIon(d) === ion || (ion === "ca" && writesCai(d))) return true;
  }
  return false;
}

/**
 * Builds a cell from the `neuron` block of a cell param and a parsed hoc morphology.
 *
 * @param neuronParam the `neuron` object of the cell param (parsed by io/param.ts)
 * @param morphology the parsed hoc file (io/hoc.ts)
 * @param options param file name, key path, `mech_globals`, mechanism lookup
 * @returns the cell (cell-modify functions not yet applied)
 * @throws InputValueError with file:line:key for an unknown label, mechanism, parameter or
 *   spatial rule, a missing rule key, or an ion set where no mechanism uses it
 * @example
 * ```ts ignore
 * const cell = buildCell(param.neuron as ParamObject, parseHoc(text, "86.hoc"), { paramFile: "86.param" });
 * ```
 */
export function buildCell(
  neuronParam: ParamObject,
  morphology: HocMorphology,
  options: BuildCellOptions = {},
): Cell {
  const keyPath = options.keyPath ?? "neuron";
  const paramFile = options.paramFile ?? paramLocation(neuronParam).file;
  const lookup = options.densityMechanism ?? densityMechanism;
  const hocFile = morphology.file;
  const at = (
    obj: ParamObject | ParamValue[],
    key: string | number | undefined,
    path: string,
  ): InputLocation => paramLocation(obj, key, path);

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
  if (Object.hasOwn(neuronParam, "AIS")) {
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
  const labels = labelsOf(neuronParam);
  const present = new Set(sections.map((s) => s.label));
  for (const label of labels) {
    if (!present.has(label)) {
      throw new InputValueError(
        at(neuronParam, label, keyPath),
        `Structure "${label}" is not in the cell (the cell has ${[...present].join(", ")}${
          label === "AIS" || label === "Myelin"
            ? ""
            : "; AIS/Myelin are created only when the param has an AIS block"
        })`,
      );
    }
    const block = getObject(neuronParam, label, keyPath);
    const path = joinKeyPath(keyPath, label);
    const props = getObject(block, "properties", path);
    const propPath = joinKeyPath(path, "properties");
    for (const key of Object.keys(props)) {
      if (key === "ions" || key === "spines") continue;
      if (key !== "Ra" && key !== "cm") {
        throw new InputValueError(
          at(props, key, propPath),
          `Unsupported section property "${key}" in "${label}"; expected Ra, cm, ions or spines`,
        );
      }
      const v = getNumber(props, key, propPath);
      if (!(v > 0)) {
        throw new InputValueError(at(props, key, propPath), `"${key}" must be positive, got ${v}`);
      }
      for (const s of sections) if (s.label === label) s[key] = v;
    }
  }

  // 3. nseg.
  let f = 100.0;
  let maxSegLength: number | undefined;
  if (Object.hasOwn(neuronParam, "discretization")) {
    const disc = getObject(neuronParam, "discretization", keyPath);
    const dPath = joinKeyPath(keyPath, "discretization");
    f = getNumber(disc, "f", dPath);
    maxSegLength = getNumber(disc, "max_seg_length", dPath);
    if (!(f > 0)) throw new InputValueError(at(disc, "f", dPath), `"f" must be positive, got ${f}`);
    if (!(maxSegLength > 0)) {
      throw new InputValueError(
        at(disc, "max_seg_length", dPath),
        `"max_seg_length" must be positive, got ${maxSegLength}`,
      );
    }
  }
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
  for (const label of labels) {
    if (label === "SpineHead" || label === "SpineNeck") continue;
    const path = joinKeyPath(keyPath, label);
    const block = getObject(neuronParam, label, keyPath);
    const labelled = sections.filter((s) => s.label === label);
    const mechs = getObject(block, "mechanisms", path);
    const mechPath = joinKeyPath(path, "mechanisms");
    const range = getObject(mechs, "range", mechPath);
    const rangePath = joinKeyPath(mechPath, "range");
    for (const mechName of Object.keys(range)) {
      const mech = getObject(range, mechName, rangePath);
      const mPath = joinKeyPath(rangePath, mechName);
      const spatial = getString(mech, "spatial", mPath);
      const ruleKeys = SPATIAL_RULE_KEYS[spatial];
      if (ruleKeys === undefined) {
        throw new InputValueError(
          at(mech, "spatial", mPath),
          `Unknown spatial rule "${spatial}" for mechanism "${mechName}" in "${label}"; expected one of ${
            Object.keys(SPATIAL_RULE_KEYS).join(", ")
          }`,
        );
      }
      if (mechName.includes("_ion")) {
        // ISF: for an ion pseudo-mechanism ("na_ion") a uniform rule sets section variables.
        if (spatial !== "uniform") {
          throw new InputValueError(
            at(mech, "spatial", mPath),
            `Ion "${mechName}" supports only the uniform rule`,
          );
        }
        for (const key of Object.keys(mech)) {
          if (key === "spatial") continue;
          if (ionOfVariable(key) === undefined) {
            throw new InputValueError(
              at(mech, key, mPath),
              `Unknown ion variable "${key}" in "${mechName}"`,
            );
          }
          const v = getNumber(mech, key, mPath);
          for (const s of labelled) s.ions[key] = v;
        }
        continue;
      }
      const dm = lookup(mechName);
      if (dm === undefined) {
        throw new InputValueError(
          at(range, mechName, rangePath),
          `Unknown mechanism "${mechName}" in "${label}" (simrun has no NMODL mechanism of that name)`,
        );
      }
      // Control values and parameters.
      const control: Record<string, number | string | number[]> = {};
      const params: [string, number][] = [];
      const unknownParam = (key: string): never => {
        const param = key === "param_name" ? String(mech[key]) : key;
        throw new InputValueError(
          at(mech, key, mPath),
          param in dm.globals
            ? `"${param}" is a GLOBAL of mechanism "${mechName}" (one value for the whole cell, as in NEURON): set it in mech_globals, not per section in "${label}"`
            : `Unknown parameter "${param}" of mechanism "${mechName}" in "${label}"; known parameters: ${
              Object.keys(dm.parameters).join(", ")
            }`,
        );
      };
      for (const key of ruleKeys) {
        if (key === "spatial") continue;
        if (key === "outsidescale_sections") {
          if (!Object.hasOwn(mech, key)) continue;
          const v = mech[key];
          if (!Array.isArray(v) || !v.every((e) => typeof e === "number" && Number.isInteger(e))) {
            throw new InputValueError(
              at(mech, key, mPath),
              `"${key}" must be a list of section indices`,
            );
          }
          control[key] = v as number[];
        } else if (key === "distance") {
          if (!Object.hasOwn(mech, key)) getString(mech, key, mPath); // throws "Missing key"
          const v = mech[key];
          control[key] = typeof v === "string" ? v : String(v);
        } else if (key === "param_name") {
          const p = getString(mech, key, mPath);
          if (!Object.hasOwn(dm.parameters, p)) unknownParam(key);
          control[key] = p;
          params.push([p, 0]);
        } else {
          control[key] = getNumber(mech, key, mPath);
        }
      }
      if (spatial !== "linear_capped") {
        for (const key of Object.keys(mech)) {
          if (ruleKeys.includes(key)) continue;
          if (!Object.hasOwn(dm.parameters, key)) unknownParam(key);
          params.push([key, getNumber(mech, key, mPath)]);
        }
      }
      const values = evaluateSpatialRule({
        sections,
        table,
        label,
        spatial,
        control,
        params,
        state,
        where: at(range, mechName, rangePath),
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

    const props = getObject(block, "properties", path);
    const propPath = joinKeyPath(path, "properties");
    if (Object.hasOwn(props, "ions")) {
      const ions = getObject(props, "ions", propPath);
      const ionPath = joinKeyPath(propPath, "ions");
      for (const key of Object.keys(ions)) {
        const ion = ionOfVariable(key);
        if (ion === undefined) {
          throw new InputValueError(
            at(ions, key, ionPath),
            `Unknown ion variable "${key}" in "${label}"; expected e.g. ena, ek, eca`,
          );
        }
        const v = getNumber(ions, key, ionPath);
        for (const s of labelled) {
          if (!usesIon(s, ion, lookup)) {
            throw new InputValueError(
              at(ions, key, ionPath),
              `Cannot set "${key}" on section "${s.name}" (${label}): no mechanism there uses the ${ion} ion`,
            );
          }
          s.ions[key] = v;
        }
      }
    }
    if (Object.hasOwn(props, "spines") && Object.hasOwn(range, "pas")) {
      const sp = getObject(props, "spines", propPath);
      const spPath = joinKeyPath(propPath, "spines");
      const density = getNumber(sp, "density", spPath);
      const area = getNumber(sp, "area", spPath);
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
  // refuses for anything but a GLOBAL).
  const mechGlobals: Record<string, Record<string, number>> = {};
  const mg = options.mechGlobals;
  if (mg !== undefined) {
    for (const mechName of Object.keys(mg)) {
      const inner = mg[mechName];
      if (!isParamObject(inner)) getObject(mg, mechName, "mech_globals"); // throws a typed error
      const obj = inner as ParamObject;
      const gPath = joinKeyPath("mech_globals", mechName);
      const dm = lookup(mechName);
      if (dm === undefined) {
        throw new InputValueError(
          at(mg, mechName, "mech_globals"),
          `Unknown mechanism "${mechName}" in mech_globals (simrun applies mech_globals to the cell's density mechanisms)`,
        );
      }
      const g: Record<string, number> = {};
      for (const p of Object.keys(obj)) {
        const info = dm.globals[p];
        if (info === undefined) {
          const globals = Object.keys(dm.globals);
          throw new InputValueError(
            at(obj, p, gPath),
            `"${p}" is not a GLOBAL of mechanism "${mechName}" (${
              globals.length > 0 ? `its GLOBALs: ${globals.join(", ")}` : "it has none"
            }${p in dm.parameters ? `; "${p}" is a RANGE parameter, set it per section` : ""})`,
          );
        }
        const v = getNumber(obj, p, gPath);
        const problem = parameterProblem(info, v);
        if (problem !== undefined) {
          throw new InputValueError(at(obj, p, gPath), `"${p}" of "${mechName}": ${problem}`);
        }
        g[p] = v;
      }
      mechGlobals[mechName] = g;
    }
  }

  return { sections, pointProcesses: [], mechGlobals, paramFile, hocFile };
}
