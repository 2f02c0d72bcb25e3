/**
 * Test harness of the NMODL compiler's reference tests: runs a protocol of
 * solver/nmodl/testdata/neuron/*.json (written by generate_neuron_fixtures.py with NEURON 8.2.2)
 * through the solver's real catalogue path: the fixture's `.mod` files become a mechanism
 * catalogue (`buildMechanismCatalogue`: compiled, merged with the built-ins in NEURON's
 * registration order), then `prepareModel` → `resolveProbes` → `runSweep`, with the point
 * processes passed as synaptic inputs.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import {
  buildMechanismCatalogue,
  type Cell,
  type MechanismCatalogue,
  type ModSource,
  prepareModel,
  resolveProbes,
  runSweep,
  type Section,
  type SynapticInput,
  type UniformSource,
} from "../solver/mod.ts";
import { type CompiledMechanism, compileNmodl } from "../solver/nmodl/mod.ts";
import { fromFileUrl } from "./_url.ts";
import { sharedDir } from "./_shared.ts";

/** A protocol and NEURON's traces (see generate_neuron_fixtures.py). */
export interface Fixture {
  readonly name: string;
  readonly dt: number;
  readonly tstop: number;
  readonly celsius: number;
  readonly v_init: number;
  readonly units: "modern" | "legacy";
  readonly sections: {
    name: string;
    L: number;
    diam: number;
    nseg: number;
    Ra: number;
    cm: number;
    parent: [string, number] | null;
    ions: Record<string, number>;
    mechanisms: Record<string, Record<string, number>>;
  }[];
  readonly point_processes: {
    mechanism: string;
    section: string;
    x: number;
    params: Record<string, number>;
  }[];
  readonly synapses: {
    mechanism: string;
    section: string;
    x: number;
    params: Record<string, number>;
    weights: number[];
    times: number[];
  }[];
  readonly globals: Record<string, Record<string, number>>;
  readonly record: { section: string; x: number; var: string }[];
  readonly mods: string[];
  /** Number of samples NEURON recorded (steps + 1). */
  readonly samples: number;
  /** The CSV keeps every `every`-th sample and the last. */
  readonly every: number;
  /** Sample indices of the CSV rows. */
  readonly index: number[];
  /** Times of the CSV rows [ms]. */
  readonly t: number[];
  /** NEURON's traces (CSV columns after t), in `record` order. */
  readonly traces: number[][];
}

const TESTDATA = fromFileUrl(new URL("../solver/nmodl/testdata/", import.meta.url));

/** Path of a `.mod` file: testdata/mod/ for test mechanisms, else ISF's folders in ../shared. */
export function modPath(name: string): string | undefined {
  const local = `${TESTDATA}mod/${name}.mod`;
  if (existsSync(local)) return local;
  const shared = sharedDir();
  if (shared === undefined) return undefined;
  for (const d of ["channels_py3", "netcon_py3"]) {
    const p = `${shared}/data/isf_example/mechanisms/${d}/${name}.mod`;
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** True when every `.mod` the fixture needs is available (../shared may be absent). */
export function fixtureRunnable(f: Fixture): boolean {
  return f.mods.every((m) => modPath(m) !== undefined);
}

/** Reads a fixture: the protocol (JSON) and NEURON's traces (CSV). */
export function loadFixture(name: string): Fixture {
  const spec = JSON.parse(readFileSync(`${TESTDATA}neuron/${name}.json`, "utf8"));
  const rows = readFileSync(`${TESTDATA}neuron/${name}.csv`, "utf8").trim().split("\n").slice(1)
    .map((l) => l.split(",").map(Number));
  const index: number[] = [];
  for (let i = 0; i < spec.samples; i += spec.every) index.push(i);
  if (index[index.length - 1] !== spec.samples - 1) index.push(spec.samples - 1);
  if (index.length !== rows.length) {
    throw new Error(`${name}.csv: ${rows.length} rows, expected ${index.length}`);
  }
  return {
    ...spec,
    index,
    t: rows.map((r) => r[0]),
    traces: spec.record.map((_: unknown, j: number) => rows.map((r) => r[j + 1])),
  };
}

/**
 * The `.mod` files of the given names as catalogue sources.
 *
 * @param names file names without `.mod`
 * @returns the sources (throws if one is missing)
 */
export function modSources(names: readonly string[]): ModSource[] {
  return names.map((name) => {
    const path = modPath(name);
    if (path === undefined) throw new Error(`${name}.mod not found`);
    return { path: `${name}.mod`, text: readFileSync(path, "utf8") };
  });
}

/**
 * The catalogue of the given `.mod` files; throws the first compile error.
 *
 * @param names file names without `.mod`
 * @param conductance conductance mode of the compiled current kernels
 * @returns the catalogue
 */
export function catalogueOf(
  names: readonly string[],
  conductance?: "analytic" | "numeric",
): MechanismCatalogue {
  const c = buildMechanismCatalogue(
    modSources(names),
    conductance !== undefined ? { conductance } : {},
  );
  for (const u of Object.values(c.unavailable)) throw u.error;
  return c;
}

/** Compiles `name.mod`; throws its one-line error if it does not compile. */
export function compileMod(
  name: string,
  options: { conductance?: "analytic" | "numeric" } = {},
): CompiledMechanism {
  const path = modPath(name);
  if (path === undefined) throw new Error(`${name}.mod not found`);
  const r = compileNmodl(readFileSync(path, "utf8"), { file: `${name}.mod`, ...options });
  if (!r.ok) throw r.error;
  return r.mechanism;
}

function cylinder(
  index: number,
  s: Fixture["sections"][number],
  parent: number,
  parentX: number,
  mechs: readonly { name: string; defaults: Record<string, number> }[],
): Section {
  const d = s.diam;
  return {
    index,
    name: s.name,
    label: s.name,
    parent,
    parentX,
    children: [],
    x: new Float64Array([0, s.L]),
    y: new Float64Array(2),
    z: new Float64Array(2),
    hocDiam: new Float64Array([d, d]),
    diam: new Float64Array([Math.fround(d), Math.fround(d)]),
    arc: new Float64Array([0, s.L]),
    L: s.L,
    relPts: new Float64Array([0, 1]),
    nseg: s.nseg,
    Ra: s.Ra,
    cm: s.cm,
    ions: { ...s.ions },
    line: 1,
    mechanisms: Object.entries(s.mechanisms).map(([name, params]) => {
      const defaults = mechs.find((m) => m.name === name)?.defaults ?? {};
      const p: Record<string, Float64Array> = {};
      for (const [k, v] of Object.entries({ ...defaults, ...params })) {
        p[k] = new Float64Array(s.nseg).fill(v);
      }
      return { name, params: p };
    }),
  };
}

/** Options of {@link runFixture}. */
export interface RunFixtureOptions {
  /** Conductance mode of the compiled current kernels (default analytic). */
  readonly conductance?: "analytic" | "numeric";
  /** Fast mode (default false: exact). */
  readonly rateTables?: boolean;
  /** Random stream of synapse j (ISF's stochastic synapses). */
  readonly random?: (synapse: number) => UniformSource;
}

/** simrun's traces of a fixture's protocol, at the fixture's sample indices. */
export interface FixtureRun {
  /** Number of samples the run produced. */
  readonly samples: number;
  /** Traces at the fixture's indices, in the fixture's record order. */
  readonly traces: Float64Array[];
}

/**
 * Runs a fixture's protocol with compiled mechanisms (built-ins are used for `pas` and `IClamp`).
 *
 * @param f the fixture
 * @param options conductance mode and fast mode
 * @returns traces aligned with the fixture's
 */
export function runFixture(f: Fixture, options: RunFixtureOptions = {}): FixtureRun {
  const catalogue = catalogueOf(f.mods, options.conductance);
  const defaults = catalogue.density.map((m) => ({
    name: m.name,
    defaults: Object.fromEntries(Object.entries(m.parameters).map(([k, v]) => [k, v.default])),
  }));
  const secIndex = new Map(f.sections.map((s, i) => [s.name, i]));
  const sections = f.sections.map((s, i) =>
    cylinder(
      i,
      s,
      s.parent === null ? -1 : secIndex.get(s.parent[0])!,
      s.parent === null ? 0 : s.parent[1],
      defaults,
    )
  );
  for (const s of sections) if (s.parent >= 0) sections[s.parent].children.push(s.index);
  const cell: Cell = {
    sections,
    pointProcesses: f.point_processes.map((p) => ({
      mechanism: p.mechanism,
      section: secIndex.get(p.section)!,
      x: p.x,
      params: p.params,
    })),
    mechGlobals: f.globals,
    paramFile: `${f.name}.json`,
    hocFile: `${f.name}.hoc`,
  };
  const synapses: SynapticInput[] = f.synapses.map((s, j) => {
    const m = catalogue.compiledPoint.find((p) => p.name === s.mechanism);
    if (m === undefined) throw new Error(`point process ${s.mechanism} not compiled`);
    return {
      mechanism: m,
      section: secIndex.get(s.section)!,
      x: s.x,
      params: s.params,
      weights: s.weights,
      eventTimes: Float64Array.from(s.times),
      ...(options.random !== undefined ? { random: options.random(j) } : {}),
    };
  });
  const model = prepareModel(cell, {
    vInit: f.v_init,
    tStop: f.tstop,
    dt: f.dt,
    celsius: f.celsius,
    units: f.units,
    rateTables: options.rateTables ?? false,
  }, { catalogue, lump: false });
  const probes = resolveProbes(
    model,
    f.record.map((rec) => ({ section: secIndex.get(rec.section)!, x: rec.x, variable: rec.var })),
    { synapseMechanisms: catalogue.compiledPoint },
  );
  const r = runSweep(model, synapses, { probes });
  return {
    samples: r.t.length,
    traces: r.traces.map((tr) => Float64Array.from(f.index, (i) => tr[i])),
  };
}

/** Max |a − b| over a trace with the time of the worst sample. */
export function maxAbsDiff(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  t: ArrayLike<number>,
): { worst: number; at: number } {
  let worst = 0, at = 0;
  for (let k = 0; k < b.length; k++) {
    const d = Math.abs(a[k] - b[k]);
    if (!(d <= worst)) {
      worst = d;
      at = t[k];
    }
  }
  return { worst, at };
}
