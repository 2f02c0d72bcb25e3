/**
 * Describe: the schema of ISF's cell parameter file (spec/formats.md §2). {@link readCellSpec}
 * turns a parsed cell param into a typed {@link CellSpec} in which every value carries the
 * location it was read from, so that later layers (building the cell, preparing the model)
 * validate values against the mechanisms and the morphology and still name file, line and key.
 * It checks shapes and types, the structure keys, the spatial rules and the keys each rule needs;
 * what depends on the mechanism catalogue or the morphology is checked by `buildCell`.
 *
 * @module
 */
import { type InputLocation, InputValueError } from "./errors.ts";
import {
  getArray,
  getNumber,
  getObject,
  getString,
  joinKeyPath,
  paramLocation,
  type ParamObject,
  type ParamValue,
} from "./param.ts";

/** A value with the place it was read from. */
export interface Located<T> {
  /** The value. */
  readonly value: T;
  /** Where it is (file, line, column, dotted key). */
  readonly where: InputLocation;
}

/** The spatial rules of ISF's cell builder and the keys each one consumes besides parameters. */
export const SPATIAL_RULE_KEYS: Readonly<Record<string, readonly string[]>> = {
  uniform: ["spatial"],
  linear: ["spatial", "distance", "slope", "offset"],
  linear_capped: [
    "spatial",
    "distance",
    "param_name",
    "prox_value",
    "dist_value",
    "dist_value_distance",
  ],
  exponential: ["spatial", "distance", "offset", "linScale", "_lambda", "xOffset"],
  exponential_by_z_dist: ["spatial", "distance", "offset", "linScale", "_lambda", "xOffset"],
  capped_exponential: ["spatial", "distance", "offset", "linScale", "_lambda", "xOffset", "max_g"],
  sigmoid: ["spatial", "distance", "offset", "linScale", "xOffset", "width"],
  uniform_range: ["spatial", "begin", "end", "outsidescale", "outsidescale_sections"],
};

/** Keys of the `neuron` block that are not structure labels. */
export const NEURON_NON_LABEL_KEYS: readonly string[] = [
  "filename",
  "cell_modify_functions",
  "spatialgraph_modify_functions",
  "discretization",
];

/** One parameter value of a range mechanism, or one ion variable. */
export interface ValueSpec {
  /** Name (parameter without suffix, or an ion variable such as `ek`). */
  readonly name: string;
  /** The value as written. */
  readonly value: number;
  /** Where it is. */
  readonly where: InputLocation;
}

/** A range mechanism of one structure: `"<mechName>": {"spatial": …, …}`. */
export interface RangeMechanismSpec {
  /** NMODL SUFFIX, or an ion pseudo-mechanism such as `na_ion`. */
  readonly name: string;
  /** Where the mechanism's key is. */
  readonly where: InputLocation;
  /** The spatial rule (a key of {@link SPATIAL_RULE_KEYS}). */
  readonly spatial: Located<string>;
  /**
   * The rule's control values (numbers; `distance` as a string; `outsidescale_sections` a list
   * of section indices); `param_name` is in {@link RangeMechanismSpec.paramName}.
   */
  readonly control: Readonly<Record<string, number | string | readonly number[]>>;
  /** `linear_capped`: the parameter the rule sets. */
  readonly paramName: Located<string> | undefined;
  /** Parameter values (for an `_ion` pseudo-mechanism: ion variables), in file order. */
  readonly params: readonly ValueSpec[];
}

/** One structure block (`Soma`, `ApicalDendrite`, …) of the `neuron` block. */
export interface StructureSpec {
  /** The structure label. */
  readonly label: string;
  /** Where the label's key is. */
  readonly where: InputLocation;
  /** `properties.Ra` [Ω·cm], if given (> 0). */
  readonly Ra: Located<number> | undefined;
  /** `properties.cm` [µF/cm²], if given (> 0). */
  readonly cm: Located<number> | undefined;
  /** `properties.ions`: section-level ion variables (`ek`, `ena`, `eca`, …) [mV or mM]. */
  readonly ions: readonly ValueSpec[];
  /** `properties.spines`: density [1/µm] and area [µm²] per spine, if given. */
  readonly spines: { readonly density: number; readonly area: number } | undefined;
  /** `mechanisms.range`, in file order. */
  readonly range: readonly RangeMechanismSpec[];
}

/** One entry of `neuron.cell_modify_functions`. */
export interface CellModifyFunctionSpec {
  /** The function's name (an ISF built-in, or the path of a plugin). */
  readonly name: string;
  /** Its keyword arguments, as parsed (each function reads its own). */
  readonly args: ParamObject;
  /** Where the entry's key is. */
  readonly where: InputLocation;
}

/** One GLOBAL of `mech_globals`. */
export interface MechanismGlobalSpec {
  /** The mechanism (NMODL SUFFIX). */
  readonly mechanism: string;
  /** Where the mechanism's key is. */
  readonly mechanismWhere: InputLocation;
  /** The GLOBAL's name (without suffix). */
  readonly name: string;
  /** Its value. */
  readonly value: number;
  /** Where it is. */
  readonly where: InputLocation;
}

/** The `sim` block: protocol settings [mV, ms, °C] and recording-site files. */
export interface SimSpec {
  /** `Vinit` [mV]. */
  readonly vInit: Located<number>;
  /** `tStop` [ms]. */
  readonly tStop: Located<number>;
  /** `dt` [ms]. */
  readonly dt: Located<number>;
  /** `T` [°C]. */
  readonly celsius: Located<number>;
  /** `recordingSites`: landmark file paths as written, in order. */
  readonly recordingSites: readonly Located<string>[];
}

/** A cell param, described: every value typed and located. */
export interface CellSpec {
  /** The cell param file, as named. */
  readonly file: string;
  /** The whole param as parsed (saved verbatim with the results). */
  readonly param: ParamObject;
  /** `neuron.filename`: the morphology path as written. */
  readonly morphology: Located<string>;
  /** True when the `neuron` block has an `AIS` structure: ISF then creates the Hay 2013 axon. */
  readonly createsAxon: boolean;
  /** `neuron.discretization` (`f` [Hz], `max_seg_length` [µm], both > 0), if given. */
  readonly discretization:
    | { readonly f: Located<number>; readonly maxSegLength: Located<number> }
    | undefined;
  /** The structure blocks, in file order. */
  readonly structures: readonly StructureSpec[];
  /** `neuron.cell_modify_functions`, in key order. */
  readonly cellModifyFunctions: readonly CellModifyFunctionSpec[];
  /** `mech_globals`, in file order. */
  readonly mechGlobals: readonly MechanismGlobalSpec[];
  /**
   * `NMODL_mechanisms`: the folders of `.mod` files, as written (map and resolve them like other
   * paths), in key order.
   */
  readonly nmodlMechanisms: readonly Located<string>[];
  /** The `sim` block, or undefined when the param has none (a cell described for tests). */
  readonly sim: SimSpec | undefined;
  /** Where the top-level object is (for a missing top-level key). */
  readonly where: InputLocation;
}

/** Options of {@linkcode readCellSpec}. */
export interface ReadCellSpecOptions {
  /** The file name in messages (default: from the param's metadata). */
  readonly file?: string;
}

/**
 * Which ion a section-level ion variable belongs to: `e<ion>` (reversal) or `<ion>i`/`<ion>o`
 * (concentrations) of na, k or ca.
 *
 * @param v the variable name (`ek`, `nai`, `cao`, …)
 * @returns the ion, or undefined for any other name
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ionOfVariable } from "./cell_spec.ts";
 * assert.equal(ionOfVariable("eca"), "ca");
 * assert.equal(ionOfVariable("nao"), "na");
 * assert.equal(ionOfVariable("ehcn"), undefined);
 * ```
 */
export function ionOfVariable(v: string): "na" | "k" | "ca" | undefined {
  let m = /^e(na|k|ca)$/.exec(v);
  if (m) return m[1] as "na" | "k" | "ca";
  m = /^(na|k|ca)[io]$/.exec(v);
  return m ? m[1] as "na" | "k" | "ca" : undefined;
}

function located<T>(value: T, where: InputLocation): Located<T> {
  return { value, where };
}

/**
 * `NMODL_mechanisms` of a cell or network param (spec/formats.md §2, §3): `{label: folder}`,
 * the folders as written, in key order, each with its location. ISF loads the mechanisms
 * compiled in each folder (`neuron.load_mechanisms(folder)`, which looks only in the folder
 * itself); simrun compiles the folder's `.mod` files.
 *
 * @param param the parsed param
 * @param file the file name for messages (default: from the param's metadata)
 * @returns the folders (empty without the key)
 * @throws InputValueError when the key is not an object of strings
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseParam } from "./param.ts";
 * import { readNmodlMechanisms } from "./cell_spec.ts";
 * const p = parseParam(`{"NMODL_mechanisms": {"channels": "/"}}`, "c.param");
 * const f = readNmodlMechanisms(p);
 * assert.equal(f[0].value, "/");
 * assert.equal(f[0].where.key, "NMODL_mechanisms.channels");
 * ```
 */
export function readNmodlMechanisms(param: ParamObject, file?: string): Located<string>[] {
  if (!Object.hasOwn(param, "NMODL_mechanisms")) return [];
  const at = (obj: ParamObject, key: string, path: string) => {
    const loc = paramLocation(obj, key, path);
    return file !== undefined && loc.file === "<unknown>" ? { ...loc, file } : loc;
  };
  const nm = getObject(param, "NMODL_mechanisms");
  return Object.keys(nm).map((label) =>
    located(getString(nm, label, "NMODL_mechanisms"), at(nm, label, "NMODL_mechanisms"))
  );
}

/**
 * Describes a parsed cell param (spec/formats.md §2).
 *
 * @param param the parsed cell param (io/param.ts)
 * @param options the file name for messages
 * @returns the typed, located spec
 * @throws InputValueError (file:line:key) for a missing or mistyped key, an unknown spatial rule,
 *   a missing rule key, an unsupported section property, an unknown ion variable, a
 *   non-positive Ra, cm, f or max_seg_length
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseParam } from "./param.ts";
 * import { readCellSpec } from "./cell_spec.ts";
 * const p = parseParam(`{"neuron": {"filename": "c.hoc",
 *   "Soma": {"properties": {"Ra": 100.0}, "mechanisms": {"range": {
 *     "pas": {"spatial": "uniform", "g": 0.0001}}}}},
 *   "mech_globals": {"Ih": {"ehcn": -30}},
 *   "sim": {"Vinit": -75.0, "tStop": 250.0, "dt": 0.025, "T": 34.0}}`, "c.param");
 * const spec = readCellSpec(p);
 * assert.equal(spec.structures[0].range[0].params[0].value, 0.0001);
 * assert.equal(spec.structures[0].Ra?.where.key, "neuron.Soma.properties.Ra");
 * assert.equal(spec.mechGlobals[0].where.line, 4);
 * assert.equal(spec.sim?.dt.value, 0.025);
 * ```
 */
export function readCellSpec(param: ParamObject, options: ReadCellSpecOptions = {}): CellSpec {
  const top = paramLocation(param);
  const file = options.file ?? top.file;
  const at = (obj: ParamObject | ParamValue[], key: string | number | undefined, path: string) => {
    const loc = paramLocation(obj, key, path);
    return loc.file === "<unknown>" ? { ...loc, file } : loc;
  };
  const neuron = getObject(param, "neuron");
  const morphology = located(
    getString(neuron, "filename", "neuron"),
    at(neuron, "filename", "neuron"),
  );

  let discretization: CellSpec["discretization"];
  if (Object.hasOwn(neuron, "discretization")) {
    const disc = getObject(neuron, "discretization", "neuron");
    const dPath = "neuron.discretization";
    const positive = (key: string): Located<number> => {
      const v = getNumber(disc, key, dPath);
      if (!(v > 0) || !Number.isFinite(v)) {
        throw new InputValueError(at(disc, key, dPath), `"${key}" must be positive, got ${v}`);
      }
      return located(v, at(disc, key, dPath));
    };
    discretization = { f: positive("f"), maxSegLength: positive("max_seg_length") };
  }

  const structures: StructureSpec[] = [];
  for (const label of Object.keys(neuron)) {
    if (NEURON_NON_LABEL_KEYS.includes(label)) continue;
    structures.push(readStructure(neuron, label, at));
  }

  const cellModifyFunctions: CellModifyFunctionSpec[] = [];
  if (Object.hasOwn(neuron, "cell_modify_functions")) {
    const path = "neuron.cell_modify_functions";
    const cmf = getObject(neuron, "cell_modify_functions", "neuron");
    for (const name of Object.keys(cmf)) {
      const args = cmf[name];
      const where = at(cmf, name, path);
      if (typeof args !== "object" || args === null || Array.isArray(args)) {
        throw new InputValueError(
          where,
          `Arguments of cell-modify function "${name}" must be an object {keyword: value}`,
        );
      }
      cellModifyFunctions.push({ name, args, where });
    }
  }

  const mechGlobals: MechanismGlobalSpec[] = [];
  if (Object.hasOwn(param, "mech_globals")) {
    const mg = getObject(param, "mech_globals");
    for (const mechanism of Object.keys(mg)) {
      const inner = getObject(mg, mechanism, "mech_globals");
      const path = joinKeyPath("mech_globals", mechanism);
      for (const name of Object.keys(inner)) {
        mechGlobals.push({
          mechanism,
          mechanismWhere: at(mg, mechanism, "mech_globals"),
          name,
          value: getNumber(inner, name, path),
          where: at(inner, name, path),
        });
      }
    }
  }

  let sim: SimSpec | undefined;
  if (Object.hasOwn(param, "sim")) {
    const s = getObject(param, "sim");
    const num = (key: string) => located(getNumber(s, key, "sim"), at(s, key, "sim"));
    const recordingSites: Located<string>[] = [];
    if (Object.hasOwn(s, "recordingSites")) {
      const list = getArray(s, "recordingSites", "sim");
      for (let i = 0; i < list.length; i++) {
        const path = getString(list, i, "sim.recordingSites");
        // A string element has no location of its own: the list's, with the element's key.
        recordingSites.push(
          located(path, { ...at(s, "recordingSites", "sim"), key: `sim.recordingSites.${i}` }),
        );
      }
    }
    sim = {
      vInit: num("Vinit"),
      tStop: num("tStop"),
      dt: num("dt"),
      celsius: num("T"),
      recordingSites,
    };
  }

  return {
    file,
    param,
    morphology,
    createsAxon: Object.hasOwn(neuron, "AIS"),
    discretization,
    structures,
    cellModifyFunctions,
    mechGlobals,
    nmodlMechanisms: readNmodlMechanisms(param, file),
    sim,
    where: { ...top, file },
  };
}

type At = (
  obj: ParamObject | ParamValue[],
  key: string | number | undefined,
  path: string,
) => InputLocation;

function readStructure(neuron: ParamObject, label: string, at: At): StructureSpec {
  const path = joinKeyPath("neuron", label);
  const block = getObject(neuron, label, "neuron");
  const props = getObject(block, "properties", path);
  const propPath = joinKeyPath(path, "properties");
  let Ra: Located<number> | undefined, cm: Located<number> | undefined;
  let spines: StructureSpec["spines"];
  const ions: ValueSpec[] = [];
  for (const key of Object.keys(props)) {
    if (key === "ions") {
      const io = getObject(props, "ions", propPath);
      const ionPath = joinKeyPath(propPath, "ions");
      for (const name of Object.keys(io)) {
        if (ionOfVariable(name) === undefined) {
          throw new InputValueError(
            at(io, name, ionPath),
            `Unknown ion variable "${name}" in "${label}"; expected e.g. ena, ek, eca`,
          );
        }
        ions.push({ name, value: getNumber(io, name, ionPath), where: at(io, name, ionPath) });
      }
      continue;
    }
    if (key === "spines") {
      const sp = getObject(props, "spines", propPath);
      const spPath = joinKeyPath(propPath, "spines");
      spines = { density: getNumber(sp, "density", spPath), area: getNumber(sp, "area", spPath) };
      continue;
    }
    if (key !== "Ra" && key !== "cm") {
      throw new InputValueError(
        at(props, key, propPath),
        `Unsupported section property "${key}" in "${label}"; expected Ra, cm, ions or spines`,
      );
    }
    const v = getNumber(props, key, propPath);
    if (!(v > 0) || !Number.isFinite(v)) {
      throw new InputValueError(at(props, key, propPath), `"${key}" must be positive, got ${v}`);
    }
    if (key === "Ra") Ra = located(v, at(props, key, propPath));
    else cm = located(v, at(props, key, propPath));
  }

  const mechs = getObject(block, "mechanisms", path);
  const mechPath = joinKeyPath(path, "mechanisms");
  const range = getObject(mechs, "range", mechPath);
  const rangePath = joinKeyPath(mechPath, "range");
  const out: RangeMechanismSpec[] = [];
  for (const name of Object.keys(range)) {
    const mech = getObject(range, name, rangePath);
    const mPath = joinKeyPath(rangePath, name);
    const spatial = getString(mech, "spatial", mPath);
    const ruleKeys = SPATIAL_RULE_KEYS[spatial];
    if (ruleKeys === undefined) {
      throw new InputValueError(
        at(mech, "spatial", mPath),
        `Unknown spatial rule "${spatial}" for mechanism "${name}" in "${label}"; expected one of ${
          Object.keys(SPATIAL_RULE_KEYS).join(", ")
        }`,
      );
    }
    const params: ValueSpec[] = [];
    const control: Record<string, number | string | readonly number[]> = {};
    let paramName: Located<string> | undefined;
    if (name.includes("_ion")) {
      // ISF: for an ion pseudo-mechanism ("na_ion") a uniform rule sets section variables.
      if (spatial !== "uniform") {
        throw new InputValueError(
          at(mech, "spatial", mPath),
          `Ion "${name}" supports only the uniform rule`,
        );
      }
      for (const key of Object.keys(mech)) {
        if (key === "spatial") continue;
        if (ionOfVariable(key) === undefined) {
          throw new InputValueError(
            at(mech, key, mPath),
            `Unknown ion variable "${key}" in "${name}"`,
          );
        }
        params.push({ name: key, value: getNumber(mech, key, mPath), where: at(mech, key, mPath) });
      }
    } else {
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
          paramName = located(getString(mech, key, mPath), at(mech, key, mPath));
        } else {
          control[key] = getNumber(mech, key, mPath);
        }
      }
      if (spatial !== "linear_capped") {
        for (const key of Object.keys(mech)) {
          if (ruleKeys.includes(key)) continue;
          params.push({
            name: key,
            value: getNumber(mech, key, mPath),
            where: at(mech, key, mPath),
          });
        }
      }
    }
    out.push({
      name,
      where: at(range, name, rangePath),
      spatial: located(spatial, at(mech, "spatial", mPath)),
      control,
      paramName,
      params,
    });
  }
  return { label, where: at(neuron, label, "neuron"), Ra, cm, ions, spines, range: out };
}
