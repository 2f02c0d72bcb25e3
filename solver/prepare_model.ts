/**
 * Prepare: lowers a described cell once per job into everything the step loop needs
 * (spec/algorithm.md §8.1–§8.2): the node arrays, the Hines matrix and its schedule, the density
 * mechanisms' instances with their parameters, GLOBALs and derived slots (`prepare` hooks), the
 * cell's point processes, the Nernst constant, and the number of steps. Every input check that
 * can be made before a sweep is made here (settings, point-process parameters) or in
 * {@link resolveProbes} (recorded sites and variables), so that a run starts only with a valid
 * model.
 *
 * The result is plain data: typed arrays and records, plus the catalogue entries of its
 * mechanisms (descriptors whose kernels another engine may replace with its own). A model is
 * used by one sweep at a time; `runSweep` resets it.
 *
 * @module
 */
import { type InputLocation, InputValueError } from "../io/mod.ts";
import type { Cell } from "./cell.ts";
import { CAO0, lowerCell, nodeAt, segmentNodeAt } from "./compartments.ts";
import type { LoweredCell } from "./compartments.ts";
import { createHinesSystem } from "./hines_solver.ts";
import type { HinesSystem } from "./hines_solver.ts";
import { allocateInstances, parameterProblem } from "./mechanisms/_types.ts";
import type {
  DensityMechanism,
  MechanismInstances,
  NodeArrays,
  PointMechanism,
  PrepareContext,
  UniformSource,
} from "./mechanisms/_types.ts";
import {
  BUILTIN_CATALOGUE,
  type MechanismCatalogue,
  unavailableMechanism,
} from "./mechanism_catalogue.ts";
import { checkModelSettings, type ModelSettings, UNITS } from "./settings.ts";

/** The instances of one point mechanism. */
export interface PointGroup {
  /** The point mechanism. */
  readonly mechanism: PointMechanism;
  /** Its instances. */
  readonly instances: MechanismInstances;
}

/** A model ready to run: the output of {@link prepareModel}. */
export interface PreparedModel {
  /** The validated settings it was prepared for. */
  readonly settings: ModelSettings;
  /** Time steps per sweep (samples = steps + 1). */
  readonly steps: number;
  /** The lowered cell: node topology, geometry, ions and the density mechanisms' instances. */
  readonly lowered: LoweredCell;
  /** Shared node arrays (V, currents, ions, rate-table positions). */
  readonly nodes: NodeArrays;
  /** The matrix of the voltage solve, with the fast variant's schedule. */
  readonly system: HinesSystem;
  /** The cell's point processes (IClamp, epsp), grouped by mechanism in order of appearance. */
  readonly points: readonly PointGroup[];
  /** What the `prepare` hooks saw; synapse instances of a sweep are prepared with it too. */
  readonly context: PrepareContext;
  /** k_T/2 of the calcium Nernst equation [mV]. */
  readonly nernstCa: number;
  /** ln cao at each node of `lowered.caDynamicNodes` (cao is constant during a run). */
  readonly lnCao: Float64Array;
  /** Node of the soma's first segment. */
  readonly somaNode: number;
  /** Merge identical linear synapses on one node into one instance. */
  readonly lump: boolean;
  /** GLOBAL values by mechanism (`mech_globals`), for the sweeps' synapses too. */
  readonly mechGlobals: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/** Options of {@link prepareModel}. */
export interface PrepareModelOptions {
  /** Merge identical linear synapses on one node into one instance (default true). */
  readonly lump?: boolean;
  /**
   * The job's mechanisms (built-ins and compiled `.mod` files): the default of the two lists
   * below; a point process whose `.mod` file failed to compile is reported with its error.
   */
  readonly catalogue?: MechanismCatalogue;
  /** Density mechanisms in NEURON's update order (default: the catalogue's). */
  readonly densityMechanisms?: readonly DensityMechanism[];
  /** Point processes a cell-modify function may place (default: the catalogue's). */
  readonly pointMechanisms?: readonly PointMechanism[];
}

/**
 * Checks one point process's parameters: known names, physical ranges, the mechanism's own
 * constraints. Returns the full parameter record (defaults filled in).
 *
 * @param m the mechanism
 * @param params the given values by NMODL name
 * @param options where they come from, for messages (default "point process")
 * @returns every parameter's value
 * @throws InputValueError for an unknown name, a value out of range or a failed constraint
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPointParameters } from "./prepare_model.ts";
 * import { EPSP } from "./mechanisms/epsp.ts";
 * assert.equal(checkPointParameters(EPSP, { imax: 1 }).tau1, 3);
 * assert.throws(() => checkPointParameters(EPSP, { tau0: 3 }), /must differ/);
 * ```
 */
export function checkPointParameters(
  m: PointMechanism,
  params: Readonly<Record<string, number>>,
  options: { readonly where?: InputLocation } = {},
): Record<string, number> {
  const where = options.where ?? { file: "point process" };
  const full: Record<string, number> = {};
  const by = where.key !== undefined ? ` (${where.key})` : "";
  for (const [p, info] of Object.entries(m.parameters)) full[p] = info.default;
  for (const [p, v] of Object.entries(params)) {
    const info = Object.hasOwn(m.parameters, p) ? m.parameters[p] : undefined;
    if (info === undefined) {
      throw new InputValueError(
        where,
        `Unknown parameter "${p}" of point process "${m.name}"${by}; known: ${
          Object.keys(m.parameters).join(", ")
        }`,
      );
    }
    const problem = parameterProblem(info, v);
    if (problem !== undefined) {
      throw new InputValueError(
        where,
        `Parameter "${p}" of point process "${m.name}"${by}: ${problem}`,
      );
    }
    full[p] = v;
  }
  const failed = m.check?.(full);
  if (failed !== undefined) {
    throw new InputValueError(where, `Point process "${m.name}"${by}: ${failed}`);
  }
  return full;
}

/**
 * Lowers the cell once for a job: node topology and matrix, mechanism instances with their
 * parameters, GLOBALs and derived data, the cell's point processes; validates the settings.
 *
 * @param cell the built cell (cell-modify functions applied)
 * @param settings protocol (vInit, tStop, dt, celsius) and solver settings
 * @param options synapse lumping, mechanism catalogues
 * @returns the prepared model
 * @throws InputValueError for bad settings or point-process parameters (before anything runs)
 * @example A passive soma, prepared once
 * ```ts
 * import assert from "node:assert/strict";
 * import { prepareModel } from "./prepare_model.ts";
 * const sec = {
 *   index: 0, name: "soma", label: "Soma", parent: -1, parentX: 0, children: [],
 *   x: new Float64Array([0, 10]), y: new Float64Array(2), z: new Float64Array(2),
 *   hocDiam: new Float64Array([10, 10]), diam: new Float64Array([10, 10]),
 *   arc: new Float64Array([0, 10]), L: 10, relPts: new Float64Array([0, 1]), nseg: 1,
 *   Ra: 100, cm: 1, ions: {}, line: 1, mechanisms: [{ name: "pas", params: {} }],
 * };
 * const model = prepareModel(
 *   { sections: [sec], pointProcesses: [], mechGlobals: {}, paramFile: "c.param", hocFile: "c.hoc" },
 *   { vInit: -65, tStop: 10, dt: 0.025, celsius: 34, rateTables: true, units: "modern" },
 * );
 * assert.equal(model.steps, 400);
 * assert.equal(model.lowered.nodeCount, 3);
 * ```
 */
export function prepareModel(
  cell: Cell,
  settings: ModelSettings,
  options: PrepareModelOptions = {},
): PreparedModel {
  const steps = checkModelSettings(settings);
  const mechanisms = options.catalogue ?? BUILTIN_CATALOGUE;
  const lowered = lowerCell(cell, options.densityMechanisms ?? mechanisms.density);
  const units = UNITS[settings.units];
  const n = lowered.nodeCount;
  const nodes: NodeArrays = {
    v: new Float64Array(n),
    i: new Float64Array(n),
    g: new Float64Array(n),
    area: lowered.area,
    ena: lowered.ena,
    ek: lowered.ek,
    eca: Float64Array.from(lowered.ecaFixed),
    cai: new Float64Array(n),
    cao: new Float64Array(n),
    ica: new Float64Array(n),
    vInterval: new Int32Array(n).fill(-1),
    vFrac: new Float64Array(n),
    dt: settings.dt,
    t: 0,
    celsius: settings.celsius,
    faraday: units.faraday,
  };
  const context: PrepareContext = {
    dt: settings.dt,
    celsius: settings.celsius,
    faraday: units.faraday,
    area: lowered.area,
    rateTables: settings.rateTables,
    units: settings.units,
  };
  for (const lm of lowered.mechanisms) lm.mechanism.prepare(lm.instances, context);

  // The cell's point processes, grouped by mechanism in order of first appearance.
  const catalogue = new Map(
    (options.pointMechanisms ?? mechanisms.point).map((m) => [m.name, m]),
  );
  const groups: { mechanism: PointMechanism; nodes: number[]; params: Record<string, number>[] }[] =
    [];
  for (const pp of cell.pointProcesses) {
    const where = pp.where ?? { file: cell.paramFile, key: "neuron.cell_modify_functions" };
    const m = catalogue.get(pp.mechanism);
    if (m === undefined) {
      const failed = unavailableMechanism(mechanisms, pp.mechanism, where);
      if (failed !== undefined) throw failed;
      throw new InputValueError(
        where,
        `Unknown point process "${pp.mechanism}"; known: ${[...catalogue.keys()].join(", ")}`,
      );
    }
    if (m.randomStreams === true) {
      throw new InputValueError(
        where,
        `Point process "${pp.mechanism}" draws random numbers: simrun gives random streams only to network synapses`,
      );
    }
    const params = checkPointParameters(m, pp.params, { where });
    let g = groups.find((x) => x.mechanism === m);
    if (g === undefined) {
      g = { mechanism: m, nodes: [], params: [] };
      groups.push(g);
    }
    g.nodes.push(segmentNodeAt(lowered, pp.section, pp.x));
    g.params.push(params);
  }
  const points: PointGroup[] = groups.map((g) => ({
    mechanism: g.mechanism,
    instances: pointInstances(g.mechanism, g.nodes, g.params, cell.mechGlobals, context),
  }));

  const nernstCa = (1000 * units.gasConstant * (settings.celsius + 273.15) / units.faradayNernst) /
    2;
  const caNodes = lowered.caDynamicNodes;
  const lnCao = new Float64Array(caNodes.length).fill(Math.log(CAO0));
  return {
    settings,
    steps,
    lowered,
    nodes,
    system: createHinesSystem(lowered.parent, lowered.gAxial, lowered.area, lowered.cm),
    points,
    context,
    nernstCa,
    lnCao,
    somaNode: lowered.firstNode[0],
    lump: options.lump ?? true,
    mechGlobals: cell.mechGlobals,
  };
}

/**
 * Allocates and prepares the instances of one point mechanism at `nodes` with one parameter
 * record each (already checked).
 *
 * @param m the mechanism
 * @param nodes node of each instance
 * @param params parameters of each instance
 * @param mechGlobals GLOBAL values by mechanism
 * @param context the model's prepare context
 * @param options the instances' random streams (mechanisms with `randomStreams`)
 * @returns the prepared instances
 */
export function pointInstances(
  m: PointMechanism,
  nodes: readonly number[],
  params: readonly Readonly<Record<string, number>>[],
  mechGlobals: Readonly<Record<string, Readonly<Record<string, number>>>>,
  context: PrepareContext,
  options: { readonly random?: readonly UniformSource[] } = {},
): MechanismInstances {
  const allocated = allocateInstances(
    m,
    Int32Array.from(nodes),
    Object.hasOwn(mechGlobals, m.name) ? mechGlobals[m.name] : {},
  );
  const instances = options.random !== undefined
    ? { ...allocated, random: options.random }
    : allocated;
  // Instances mostly share parameter records (one per synapse type): list each record once.
  const entries = new Map<Readonly<Record<string, number>>, [string, number][]>();
  for (let k = 0; k < params.length; k++) {
    let e = entries.get(params[k]);
    if (e === undefined) entries.set(params[k], e = Object.entries(params[k]));
    for (let j = 0; j < e.length; j++) instances.fields[e[j][0]][k] = e[j][1];
  }
  m.prepare(instances, context);
  return instances;
}

/** One recorded variable, as given. */
export interface RecordSite {
  /** Section index. */
  readonly section: number;
  /** Relative position (0 and 1 are the attachment and end nodes, spec §4.4). */
  readonly x: number;
  /**
   * `v` (default), `cai`, `cao`, `ica`, `eca`, `ena`, `ek`, or `<field>_<Mechanism>`
   * (`m_NaTa_t`, `ica_Ca_HVA`, `i_IClamp`) of a density mechanism or a cell point process.
   */
  readonly variable?: string;
  /** Where the site was asked for, for messages (a landmark file, `--record`, a plugin). */
  readonly where?: InputLocation;
}

/** A resolved recording: `source[index]` is sampled at t = 0 and after every step. */
export interface Probe {
  /** The site as given. */
  readonly site: RecordSite;
  /** `node` (a node variable) or the mechanism whose field is recorded. */
  readonly owner: "node" | string;
  /** The node variable or the mechanism field. */
  readonly variable: string;
  /**
   * The array the value lives in (a node array or a mechanism field of the model); empty for a
   * synapse field, which `runSweep` binds to the sweep's instance at `segmentNode`.
   */
  readonly source: Float64Array;
  /** Index into `source`: the node, or the mechanism instance (−1 for a synapse field). */
  readonly index: number;
  /** The segment node of the site (where a synapse field is looked up). */
  readonly segmentNode: number;
  /** True for a field of a synapse mechanism: its instances change from sweep to sweep. */
  readonly perSweep: boolean;
}

/** Options of {@link resolveProbes}. */
export interface ResolveProbesOptions {
  /**
   * Synapse mechanisms whose fields may be recorded (bound per sweep; a sweep without such a
   * synapse at the site fails). Default none: only node variables, density mechanisms and the
   * cell's point processes.
   */
  readonly synapseMechanisms?: readonly PointMechanism[];
}

/** Node variables that can be recorded, by name. */
const NODE_VARIABLES = ["v", "cai", "cao", "ica", "eca", "ena", "ek"] as const;

/**
 * Resolves recording sites against a prepared model: node variables at the node of x,
 * mechanism fields `<field>_<Mechanism>` at the instance on the segment containing x.
 *
 * @param model the prepared model
 * @param sites the sites, in recording order
 * @returns one probe per site
 * @throws InputValueError for a section or x out of range, an unknown variable, or a mechanism
 *   that is not at that place (located at the site's `where`)
 * @example
 * ```ts ignore
 * const probes = resolveProbes(model, [{ section: 38, x: 0.5 }, { section: 0, x: 0.5, variable: "cai" }]);
 * ```
 */
export function resolveProbes(
  model: PreparedModel,
  sites: readonly RecordSite[],
  options: ResolveProbesOptions = {},
): Probe[] {
  return sites.map((site) => resolveProbe(model, site, options.synapseMechanisms ?? []));
}

function resolveProbe(
  model: PreparedModel,
  site: RecordSite,
  synapseMechanisms: readonly PointMechanism[],
): Probe {
  const l = model.lowered;
  const where = site.where ?? { file: "record site", key: "record" };
  const variable = site.variable ?? "v";
  const by = where.key !== undefined ? ` (${where.key})` : "";
  let node: number, segNode: number;
  try {
    node = nodeAt(l, site.section, site.x);
    segNode = segmentNodeAt(l, site.section, site.x);
  } catch (e) {
    if (e instanceof InputValueError) {
      throw new InputValueError(where, e.message.replace(/^site: /, `Cannot record there${by}: `));
    }
    throw e;
  }
  if ((NODE_VARIABLES as readonly string[]).includes(variable)) {
    const source = model.nodes[variable as (typeof NODE_VARIABLES)[number]];
    return {
      site,
      owner: "node",
      variable,
      source,
      index: node,
      segmentNode: segNode,
      perSweep: false,
    };
  }
  const groups: { name: string; instances: MechanismInstances }[] = [
    ...l.mechanisms.map((m) => ({ name: m.mechanism.name, instances: m.instances })),
    ...model.points.map((p) => ({ name: p.mechanism.name, instances: p.instances })),
  ];
  for (const m of synapseMechanisms) {
    if (!variable.endsWith(`_${m.name}`)) continue;
    const field = variable.slice(0, variable.length - m.name.length - 1);
    if ([...Object.keys(m.parameters), ...m.states, ...m.assigned].includes(field)) {
      return {
        site,
        owner: m.name,
        variable: field,
        source: new Float64Array(0),
        index: -1,
        segmentNode: segNode,
        perSweep: true,
      };
    }
  }
  // The longest mechanism name that ends the variable wins (names contain underscores).
  let best: { name: string; instances: MechanismInstances } | undefined;
  for (const g of groups) {
    if (
      variable.endsWith(`_${g.name}`) && (best === undefined || g.name.length > best.name.length)
    ) best = g;
  }
  if (best === undefined) {
    throw new InputValueError(
      where,
      `Cannot record "${variable}"${by}: expected one of ${
        NODE_VARIABLES.join(", ")
      } or <variable>_<mechanism> of a mechanism in the cell (${
        groups.map((g) => g.name).join(", ")
      })`,
    );
  }
  const field = variable.slice(0, variable.length - best.name.length - 1);
  const source = Object.hasOwn(best.instances.fields, field)
    ? best.instances.fields[field]
    : undefined;
  if (source === undefined) {
    throw new InputValueError(
      where,
      `Cannot record "${variable}"${by}: mechanism ${best.name} has no variable "${field}"; it has ${
        Object.keys(best.instances.fields).join(", ")
      }`,
    );
  }
  const index = best.instances.node.indexOf(segNode);
  if (index < 0) {
    throw new InputValueError(
      where,
      `Cannot record "${variable}"${by} at section ${site.section} x ${site.x}: ${best.name} is not there`,
    );
  }
  return {
    site,
    owner: best.name,
    variable: field,
    source,
    index,
    segmentNode: segNode,
    perSweep: false,
  };
}
