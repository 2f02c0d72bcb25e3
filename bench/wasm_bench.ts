/**
 * Feasibility of the WebAssembly SIMD engine (issue 13 phase A, docs/engine.md): hand-built
 * kernels (bench/_wasm_kernels.ts) against today's JavaScript kernels on the 86_C2_center cell's
 * instance counts (NaTa_t and CaDynamics_E2: 638 instances each; 1,313 nodes), in four layouts
 * (scalar; two instances per f64x2; 2 and 4 lock-step sweeps). Prints ns per instance-step per
 * sweep, best of 5, after checking that every kernel reproduces the JavaScript kernel to the bit
 * in every lane (the exact NaTa_t advance with the engine's exp against the JavaScript kernel
 * run with `Math.exp` replaced by `engineExp`). Also: the exp on its own, the module's build and
 * compile times, and with `--trace` the effect of the engine's exp on a whole exact A2 run.
 *
 * Run alone: `npx deno task bench wasm` (add `-- --trace` through `deno run` for the trace check).
 *
 * @module
 */
import process from "node:process";
import { parsePathMap } from "../io/path_map.ts";
import { createCell } from "../simrun/create_cell.ts";
import { stepVoltage, stepVoltageFast } from "../solver/hines_solver.ts";
import { buildRateTable } from "../solver/mechanisms/_rate_table.ts";
import {
  allocateInstances,
  type MechanismInstances,
  type NodeArrays,
} from "../solver/mechanisms/_types.ts";
import { CADYNAMICS_E2 } from "../solver/mechanisms/cadynamics_e2.ts";
import { NATA_T } from "../solver/mechanisms/nata_t.ts";
import { prepareContext } from "../solver/mechanisms/_testing.ts";
import { updateTablePositions } from "../solver/mechanisms/_rate_table.ts";
import { prepareModel } from "../solver/prepare_model.ts";
import { simulate } from "../solver/simulation.ts";
import {
  emitExp,
  engineExp,
  expScratch,
  f64View,
  fillHinesRegions,
  ModuleBuilder,
  readLane,
  writeLane,
} from "../solver/wasm/mod.ts";
import { isfPathMap, sharedDir, sharedPath } from "../tests/_shared.ts";
import {
  buildKernels,
  type KernelInputs,
  type KernelName,
  KERNELS,
  type KernelSet,
  lanesOf,
  type Layout,
  LAYOUTS,
} from "./_wasm_kernels.ts";

/** The reference protocols' time step [ms]. */
const DT = 0.025;
const QT = 2.952882641412121;

/** NaTa_t's gate quantities (m∞, 1 − e^(−dt/τm), h∞, 1 − e^(−dt/τh)), as nata_t.ts tabulates them. */
function nataGateValues(vm: number, dt: number, out: Float64Array): void {
  let v = vm;
  if (v === -38) v = v + 0.0001;
  const mAlpha = (0.182 * (v - -38)) / (1 - Math.exp(-(v - -38) / 6));
  const mBeta = (0.124 * (-v - 38)) / (1 - Math.exp(-(-v - 38) / 6));
  const mTau = (1 / (mAlpha + mBeta)) / QT;
  const mInf = mAlpha / (mAlpha + mBeta);
  if (v === -66) v = v + 0.0001;
  const hAlpha = (-0.015 * (v - -66)) / (1 - Math.exp((v - -66) / 6));
  const hBeta = (-0.015 * (-v - 66)) / (1 - Math.exp((-v - 66) / 6));
  const hTau = (1 / (hAlpha + hBeta)) / QT;
  const hInf = hAlpha / (hAlpha + hBeta);
  out[0] = mInf;
  out[1] = 1 - Math.exp(dt * (-1.0 / mTau));
  out[2] = hInf;
  out[3] = 1 - Math.exp(dt * (-1.0 / hTau));
}

/** A reproducible generator in [0, 1). */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** One sweep's JavaScript state: node arrays and the two mechanisms' instances. */
interface SweepState {
  readonly nodes: NodeArrays;
  readonly nata: MechanismInstances;
  readonly cad: MechanismInstances;
}

/** The cell and what the kernels need from it. */
export interface WasmBenchModel {
  /** Time step [ms] of the kernels, tables and JavaScript runs. */
  readonly dt: number;
  readonly inputs: KernelInputs;
  readonly system: ReturnType<typeof prepareModel>["system"];
  readonly base: SweepState;
  readonly nataParams: MechanismInstances;
  readonly cadParams: MechanismInstances;
}

/**
 * Builds a cell and extracts what the kernels need.
 *
 * @param param the cell's .param file
 * @param pathMap path-map rules (`FROM=TO`)
 * @param dt time step [ms]
 * @returns the model
 */
export async function loadWasmModel(
  param: string,
  pathMap: string[] = [],
  dt = DT,
): Promise<WasmBenchModel> {
  const { cell, sim } = await createCell(param, { pathMap: parsePathMap(pathMap) });
  const st = prepareModel(cell, {
    vInit: sim.vInit,
    tStop: 1,
    dt,
    celsius: sim.celsius,
    rateTables: true,
    units: "modern",
  });
  const find = (name: string) => st.lowered.mechanisms.find((m) => m.mechanism.name === name)!;
  const nata = find("NaTa_t").instances;
  const cad = find("CaDynamics_E2").instances;
  const table = buildRateTable(4, nataGateValues, dt).c;
  const inputs: KernelInputs = {
    nodes: st.lowered.nodeCount,
    parent: st.system.parent,
    nataNode: nata.node,
    cadNode: cad.node,
    nataTable: table,
  };
  return {
    dt,
    inputs,
    system: st.system,
    base: sweepState(st.nodes, nata, cad, 0),
    nataParams: nata,
    cadParams: cad,
  };
}

/** Sweep s: V spread over [−80, 30] mV per node (shifted by 0.37·s mV), gates at steady state, random Ca. */
function sweepState(
  base: NodeArrays,
  nataParams: MechanismInstances,
  cadParams: MechanismInstances,
  s: number,
): SweepState {
  const r = rng(1000 + s);
  const n = base.v.length;
  const nodes: NodeArrays = {
    ...base,
    v: Float64Array.from({ length: n }, () => -80 + 110 * r() + 0.37 * s),
    i: Float64Array.from({ length: n }, () => (r() - 0.5) * 1e-3),
    g: Float64Array.from({ length: n }, () => r() * 1e-3),
    cai: Float64Array.from({ length: n }, () => 5e-5 + 1e-3 * r()),
    ica: Float64Array.from({ length: n }, () => -1e-3 * r()),
    dt: base.dt,
  };
  const nata = allocateInstances(NATA_T, nataParams.node);
  nata.fields.gNaTa_tbar.set(nataParams.fields.gNaTa_tbar);
  NATA_T.prepare(nata, prepareContext(nodes, true));
  NATA_T.init(nata, nodes);
  for (let k = 0; k < nata.node.length; k++) {
    nata.fields.m[k] = Math.min(1, nata.fields.m[k] + 0.1 * r());
    nata.fields.h[k] = Math.max(0, nata.fields.h[k] - 0.1 * r());
  }
  const cad = allocateInstances(CADYNAMICS_E2, cadParams.node);
  for (const f of ["gamma", "decay", "depth", "minCai"]) cad.fields[f].set(cadParams.fields[f]);
  CADYNAMICS_E2.prepare(cad, prepareContext(nodes));
  CADYNAMICS_E2.init(cad, nodes);
  return { nodes, nata, cad };
}

function copyState(s: SweepState): SweepState {
  const copy = (x: MechanismInstances): MechanismInstances => ({
    node: x.node,
    globals: x.globals,
    derived: x.derived,
    fields: Object.fromEntries(Object.entries(x.fields).map(([k, v]) => [k, Float64Array.from(v)])),
  });
  return {
    nodes: {
      ...s.nodes,
      v: Float64Array.from(s.nodes.v),
      i: Float64Array.from(s.nodes.i),
      g: Float64Array.from(s.nodes.g),
      cai: Float64Array.from(s.nodes.cai),
      ica: Float64Array.from(s.nodes.ica),
    },
    nata: copy(s.nata),
    cad: copy(s.cad),
  };
}

/** Node array padded with the spare node (index nodes) of the kernel memory. */
function pad(a: Float64Array, fill = 0): Float64Array {
  const out = new Float64Array(a.length + 1);
  out.set(a);
  out[a.length] = fill;
  return out;
}

/** Instance array padded to the region length (inst2 rounds up to even). */
function padTo(a: Float64Array, length: number, fill: number): Float64Array {
  const out = new Float64Array(length).fill(fill);
  out.set(a);
  return out;
}

/** Writes sweep `s`'s state into lane s of the kernel memory. */
function writeSweep(set: KernelSet, model: WasmBenchModel, st: SweepState, s: number): void {
  const mem = set.mem;
  for (const name of ["v", "i", "g", "cai", "ica"] as const) {
    writeLane(mem, name, s, pad(st.nodes[name]));
  }
  const lenOf = (name: string) => mem.regions.get(name)!.request.length;
  const na = lenOf("nata.m");
  writeLane(mem, "nata.m", s, padTo(st.nata.fields.m, na, 0));
  writeLane(mem, "nata.h", s, padTo(st.nata.fields.h, na, 0));
  const ca = lenOf("cad.cai");
  writeLane(mem, "cad.cai", s, padTo(st.cad.fields.cai, ca, 5e-5));
  if (s > 0) return;
  writeLane(mem, "ena", 0, pad(st.nodes.ena, 50));
  writeLane(mem, "nata.gbar", 0, padTo(st.nata.fields.gNaTa_tbar, na, 0));
  // CaDynamics_E2 step constants, as cadynamics_e2.ts computes them once per dt.
  const { gamma, decay, depth, minCai } = st.cad.fields;
  const faraday = st.nodes.faraday;
  const c = (f: (k: number) => number, fill: number) =>
    padTo(Float64Array.from({ length: decay.length }, (_, k) => f(k)), ca, fill);
  writeLane(mem, "cad.gamma", 0, c((k) => gamma[k], 0.05));
  writeLane(mem, "cad.twoFDepth", 0, c((k) => 2.0 * faraday * depth[k], 1));
  writeLane(mem, "cad.minOverDecay", 0, c((k) => (-minCai[k]) / decay[k], 0));
  writeLane(mem, "cad.b", 0, c((k) => -1.0 / decay[k], -1));
  const dt = model.dt;
  writeLane(mem, "cad.oneMinusExp", 0, c((k) => 1 - Math.exp(dt * (-1.0 / decay[k])), 0));
  // Hines matrix with the spare node hanging off the root, uncoupled (exact zeros in the solve).
  const sys = model.system;
  const ext = {
    parent: Int32Array.from([...sys.parent, 0]),
    upper: pad(sys.upper),
    lower: pad(sys.lower),
    dAxial: pad(sys.dAxial),
    cfac: pad(sys.cfac, 1),
  };
  fillHinesRegions(mem, ext, "exact", dt);
  fillHinesRegions(mem, ext, "fast", dt);
}

/** Runs the JavaScript kernel that `name` reproduces on one sweep's state. */
function runJs(name: KernelName, st: SweepState, system: WasmBenchModel["system"]): void {
  const n = st.nodes;
  switch (name) {
    case "nataCurrent":
      NATA_T.current(st.nata, n);
      return;
    case "nataExactMathExp":
      NATA_T.advance(st.nata, n);
      return;
    case "nataExactEngineExp": {
      const saved = Math.exp;
      Math.exp = engineExp;
      try {
        NATA_T.advance(st.nata, n);
      } finally {
        Math.exp = saved;
      }
      return;
    }
    case "nataTable":
      updateTablePositions(n);
      NATA_T.fast!.advance!(st.nata, n);
      return;
    case "cadAdvance":
      CADYNAMICS_E2.advance(st.cad, n);
      return;
    case "hinesExact":
      stepVoltage(system, n.v, n.i, n.g, n.dt);
      return;
    case "hinesFast":
      stepVoltageFast(system, n.v, n.i, n.g, n.dt);
  }
}

/** Arrays a kernel writes: [memory region, JavaScript array of the sweep]. */
function outputsOf(name: KernelName, st: SweepState): [string, Float64Array][] {
  switch (name) {
    case "nataCurrent":
      return [["i", st.nodes.i], ["g", st.nodes.g], ["nata.ina", st.nata.fields.ina], [
        "nata.g",
        st.nata.fields.gNaTa_t,
      ]];
    case "nataExactMathExp":
    case "nataExactEngineExp":
    case "nataTable":
      return [["nata.m", st.nata.fields.m], ["nata.h", st.nata.fields.h]];
    case "cadAdvance":
      return [["cai", st.nodes.cai], ["cad.cai", st.cad.fields.cai]];
    case "hinesExact":
    case "hinesFast":
      return [["v", st.nodes.v], ["i", st.nodes.i], ["g", st.nodes.g]];
  }
}

/**
 * Three steps of kernel `name` in every lane against the JavaScript kernel on each sweep.
 *
 * @returns the number of values that differ in their bits (0 expected)
 */
export function checkBits(
  model: WasmBenchModel,
  set: KernelSet,
  name: KernelName,
  layout: Layout,
): number {
  const lanes = lanesOf(layout);
  const sweeps = Array.from(
    { length: lanes },
    (_, s) => sweepState(model.base.nodes, model.nataParams, model.cadParams, s),
  );
  sweeps.forEach((st, s) => writeSweep(set, model, st, s));
  let differ = 0;
  for (let step = 0; step < 3; step++) {
    set.run[name]();
    sweeps.forEach((st, s) => {
      runJs(name, st, model.system);
      for (const [region, js] of outputsOf(name, st)) {
        const wasm = readLane(set.mem, region, s);
        for (let k = 0; k < js.length; k++) if (!Object.is(wasm[k], js[k])) differ++;
      }
    });
  }
  return differ;
}

/**
 * Best of `reps` runs of `calls` calls of `fn` [ms of CPU time per call]: the process's CPU time
 * (user + system) is far less disturbed than wall time by other work on a shared machine.
 */
function bestMs(fn: () => void, calls: number, reps = 5): number {
  for (let j = 0; j < calls; j++) fn(); // warm-up: reach the optimizing tier
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    for (let j = 0; j < calls; j++) fn();
    const c = process.cpuUsage(c0);
    best = Math.min(best, (c.user + c.system) / 1000 / calls);
  }
  return best;
}

/** Instances a kernel loops over (nodes for the Hines solves). */
function countOf(name: KernelName, model: WasmBenchModel): number {
  if (name.startsWith("nata")) return model.inputs.nataNode.length;
  if (name === "cadAdvance") return model.inputs.cadNode.length;
  return model.inputs.nodes;
}

/** ns per exp: JavaScript Math.exp and engineExp, WebAssembly inline f64 / f64x2, imported Math.exp. */
function benchExp(): string {
  const n = 4096;
  const xs = Float64Array.from({ length: n }, (_, j) => -40 + 80 * ((j * 0.618034) % 1));
  const mb = new ModuleBuilder();
  mb.addMemory({ initial: 1 }, "memory");
  const imp = mb.importFunction("env", "exp", { params: ["f64"], results: ["f64"] });
  for (const kind of ["f64", "f64x2", "import"] as const) {
    const f = mb.addFunction({ params: [], results: [] }, { exportAs: kind });
    const width = kind === "f64x2" ? "f64x2" : "f64";
    const s = expScratch(f, width);
    const x = f.local(width === "f64" ? "f64" : "v128");
    const p = f.local("i32");
    const loop = f.loop();
    f.op("local.get", p);
    f.op("local.get", p);
    f.op(width === "f64" ? "f64.load" : "v128.load", 0);
    f.op("local.set", x);
    if (kind === "import") {
      f.op("local.get", x);
      f.op("call", imp);
    } else emitExp(f, s, x);
    f.op(width === "f64" ? "f64.store" : "v128.store", 0);
    f.op("local.get", p);
    f.i32Const(width === "f64" ? 8 : 16);
    f.op("i32.add");
    f.op("local.tee", p);
    f.i32Const(n * 8);
    f.op("i32.lt_u");
    f.brIf(loop);
    f.op("end");
  }
  const inst = new WebAssembly.Instance(new WebAssembly.Module(mb.encode()), {
    env: { exp: Math.exp },
  });
  const heap = new Float64Array((inst.exports.memory as WebAssembly.Memory).buffer, 0, n);
  const per = (fn: () => void) => {
    const ms = bestMs(() => {
      heap.set(xs);
      fn();
    }, 200);
    return (ms * 1e6 / n).toFixed(2);
  };
  const out = new Float64Array(n);
  const js = (f: (x: number) => number) => () => {
    for (let j = 0; j < n; j++) out[j] = f(xs[j]);
  };
  return `exp [ns per value, ${n} values in [−40, 40]]: JS Math.exp ${
    per(js(Math.exp))
  }, JS engineExp ${per(js(engineExp))}, wasm inline f64 ${
    per(inst.exports.f64 as () => void)
  }, wasm inline f64x2 ${per(inst.exports.f64x2 as () => void)}, wasm calling imported Math.exp ${
    per(inst.exports.import as () => void)
  }`;
}

/**
 * The whole exact A2 protocol (400 ms, 1 nA) with `Math.exp` replaced by `engineExp`, against
 * the unchanged exact run and NEURON's trace: how far the engine's faithful exp moves V.
 */
async function traceEffect(): Promise<string> {
  const param = sharedPath("reference", "single_cell", "A2_step_1p0_neuron_model.param");
  const { cell, sim } = await createCell(param, { pathMap: parsePathMap(isfPathMap()) });
  const opts = {
    vInit: sim.vInit,
    tStop: 400,
    dt: sim.dt,
    celsius: sim.celsius,
    rateTables: false,
  };
  const ref = simulate(cell, opts);
  const saved = Math.exp;
  Math.exp = engineExp;
  let eng;
  try {
    eng = simulate(cell, opts);
  } finally {
    Math.exp = saved;
  }
  const csv = await Deno.readTextFile(
    sharedPath("reference", "single_cell", "A2_step_1p0.csv"),
  );
  const rows = csv.trim().split("\n").slice(1).map((l) => Number(l.split(",")[1]));
  let dBuiltin = 0, dNeuronEng = 0, dNeuronRef = 0;
  for (let k = 0; k < ref.soma.length; k++) {
    dBuiltin = Math.max(dBuiltin, Math.abs(eng.soma[k] - ref.soma[k]));
    if (k < rows.length) {
      dNeuronEng = Math.max(dNeuronEng, Math.abs(eng.soma[k] - rows[k]));
      dNeuronRef = Math.max(dNeuronRef, Math.abs(ref.soma[k] - rows[k]));
    }
  }
  return `exact A2_step_1p0 with engineExp for Math.exp: max |ΔV| ${
    dBuiltin.toExponential(2)
  } mV ` +
    `vs the built-in exact kernels; vs NEURON (12-digit CSV) ${dNeuronEng.toExponential(2)} mV ` +
    `(built-in exact: ${dNeuronRef.toExponential(2)} mV)`;
}

/**
 * Builds the kernels of every layout, checks their bits, and times them against JavaScript.
 *
 * @returns the printable report
 */
export async function benchWasm(): Promise<string> {
  if (sharedDir() === undefined) return "wasm: skipped (../shared is absent)";
  const model = await loadWasmModel(
    sharedPath("reference", "single_cell", "A2_step_1p0_neuron_model.param"),
    isfPathMap(),
  );
  const lines: string[] = [];
  const js: Record<string, number> = {};
  const jsState = copyState(model.base);
  for (const name of KERNELS) {
    const count = countOf(name, model);
    const ms = bestMs(() => runJs(name, jsState, model.system), 300);
    js[name] = ms * 1e6 / count;
  }
  const header = ["kernel [ns/instance-step/sweep]", "JS", ...LAYOUTS].join(" | ");
  const rows: string[][] = KERNELS.map((k) => [k, js[k].toFixed(2)]);
  const notes: string[] = [];
  for (const layout of LAYOUTS) {
    const set = buildKernels(model.inputs, layout, model.dt);
    notes.push(
      `${layout}: module ${set.bytes} bytes, built in ${
        set.buildMs.toFixed(1)
      } ms, compiled + instantiated in ${set.compileMs.toFixed(1)} ms`,
    );
    KERNELS.forEach((name, j) => {
      const differ = checkBits(model, set, name, layout);
      if (differ > 0) throw new Error(`${name} ${layout}: ${differ} values differ from JavaScript`);
      const lanes = lanesOf(layout);
      const ms = bestMs(set.run[name], 300);
      const ns = ms * 1e6 / (countOf(name, model) * lanes);
      rows[j].push(`${ns.toFixed(2)} (${(js[name] / ns).toFixed(1)}×)`);
    });
    f64View(set.mem, "v"); // keep the memory alive until here
  }
  lines.push(
    `wasm kernels on 86_C2_center (NaTa_t ${model.inputs.nataNode.length}, CaDynamics_E2 ${model.inputs.cadNode.length} instances, ${model.inputs.nodes} nodes), CPU time best of 5, every lane bit-identical to the JavaScript kernel:`,
  );
  lines.push(`  ${header}`);
  for (const r of rows) lines.push(`  ${r.join(" | ")}`);
  for (const n of notes) lines.push(`  ${n}`);
  lines.push(`  ${benchExp()}`);
  if (Deno.args.includes("--trace")) lines.push(`  ${await traceEffect()}`);
  return lines.join("\n");
}

if (import.meta.main) console.log(await benchWasm());
