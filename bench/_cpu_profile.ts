/**
 * Attribution of a V8 CPU profile (`deno run --cpu-prof`) to the phases of a simrun process:
 * each sample goes to the deepest function on its stack that names a phase; garbage collection
 * goes to the phase of the sample before it (the phase that allocated); samples outside every
 * phase before the first `main()` sample are start-up (module loading and evaluation).
 *
 * @module
 */

/** The phases of a simrun process, in the order they are reported. */
export const PHASES = [
  "start-up",
  "parsing",
  "cell build",
  "network",
  "simulation",
  "writing",
  "other",
  "idle",
] as const;

/** One phase name. */
export type Phase = typeof PHASES[number];

/**
 * Phase functions by name: the deepest of these on a sample's stack decides its phase. Parsing
 * functions are listed under parsing wherever they are called from (network files read during
 * network realization count as parsing).
 */
const PHASE_OF: Readonly<Record<string, Phase>> = {
  // parsing: text → records, param tree → spec
  parseParam: "parsing",
  readParamFile: "parsing",
  parseHoc: "parsing",
  readHocFile: "parsing",
  parseSyn: "parsing",
  parseCon: "parsing",
  parseSynapseActivationFile: "parsing",
  parseLandmarks: "parsing",
  readCellSpec: "parsing",
  readNetworkSpec: "parsing",
  readTextInput: "parsing",
  // cell build: morphology → compartments, mechanisms, rate tables
  createCell: "cell build",
  prepareCell: "cell build",
  buildCell: "cell build",
  prepareModel: "cell build",
  resolveProbes: "cell build",
  // network: anatomy mapping, activity, connections, releases, replay mapping, packing
  prepareNetwork: "network",
  prepareReplayNetwork: "network",
  realizeSweep: "network",
  replayFile: "network",
  createNetworkMapper: "network",
  createReplayMapper: "network",
  packSweep: "network",
  unpackSweep: "network",
  // simulation: finitialize and the step loop
  runSweep: "simulation",
  runSweeps: "simulation",
  // writing: formatting and files
  writeTraces: "writing",
  formatSynapseActivations: "writing",
  formatPresynapticSpikes: "writing",
  formatParamJson: "writing",
  formatPythonFloat: "writing",
  // runCell's own time is the cell command's CSV formatting (its calls are deeper phases)
  runCell: "writing",
  writeTextFile: "writing",
  writeFile: "writing",
  rename: "writing",
};

/** The fields of a `.cpuprofile` that the attribution reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

/** CPU time of a profile by phase. */
export interface PhaseTimes {
  /** Sampled time by phase [ms] (garbage collection included in its phase). */
  readonly ms: Readonly<Record<Phase, number>>;
  /** Garbage collection [ms], already counted in `ms`. */
  readonly gcMs: number;
  /** Profile span [ms]. */
  readonly spanMs: number;
}

/**
 * Attributes the samples of a CPU profile to phases.
 *
 * @param p the parsed `.cpuprofile`
 * @returns milliseconds by phase, GC milliseconds, profile span
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { phaseTimes } from "./_cpu_profile.ts";
 * const frame = (functionName: string) => ({ functionName, url: "" });
 * const r = phaseTimes({
 *   nodes: [
 *     { id: 1, callFrame: frame("(root)"), children: [2, 4] },
 *     { id: 2, callFrame: frame("main"), children: [3] },
 *     { id: 3, callFrame: frame("runSweep") },
 *     { id: 4, callFrame: frame("(garbage collector)") },
 *   ],
 *   samples: [3, 4, 2],
 *   timeDeltas: [0, 1000, 1000],
 *   startTime: 0,
 *   endTime: 3000,
 * });
 * assert.equal(r.ms.simulation, 2); // the GC sample follows a runSweep sample
 * assert.equal(r.gcMs, 1);
 * ```
 */
export function phaseTimes(p: CpuProfile): PhaseTimes {
  const parent = new Map<number, number>();
  const name = new Map<number, string>();
  for (const n of p.nodes) {
    name.set(n.id, n.callFrame.functionName);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const ms = Object.fromEntries(PHASES.map((ph) => [ph, 0])) as Record<Phase, number>;
  let gcMs = 0;
  let last: Phase = "start-up";
  let inMain = false;
  for (let i = 0; i < p.samples.length; i++) {
    // A sample's duration is the delta to the next sample.
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = name.get(p.samples[i]!) ?? "";
    if (leaf === "(garbage collector)") {
      gcMs += dt;
      ms[last] += dt;
      continue;
    }
    if (leaf === "(idle)") {
      ms.idle += dt;
      continue;
    }
    let phase: Phase | undefined;
    for (let id: number | undefined = p.samples[i]; id !== undefined; id = parent.get(id)) {
      const fn = name.get(id) ?? "";
      if (fn === "main") inMain = true;
      phase ??= PHASE_OF[fn];
    }
    phase ??= inMain ? "other" : "start-up";
    ms[phase] += dt;
    last = phase;
  }
  return { ms, gcMs, spanMs: (p.endTime - p.startTime) / 1000 };
}
