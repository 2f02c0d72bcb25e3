/**
 * The key numbers of a result folder, as shown in `index.html` and written to `summary.json`:
 * sweeps, spikes per sweep, first-spike latency after the stimulus, active synapses and
 * activations per presynaptic cell type.
 *
 * @module
 */
import type { ActivationScan } from "./activation_scan.ts";
import type { InputKind } from "./input_roles.ts";
import type { SweepSpikes } from "./trace_reader.ts";

/** Per-sweep numbers. */
export interface SweepNumbers {
  /** Sweep number. */
  readonly sweep: number;
  /** Soma spikes (upward 0 mV crossings). */
  readonly spikes: number;
  /** Time of the first spike at or after the stimulus, minus the stimulus time [ms]; null without one. */
  readonly firstSpikeLatencyMs: number | null;
  /** Synapses with ≥ 1 activation (null when the sweep has no activation file). */
  readonly activeSynapses: number | null;
  /** Activations (null when the sweep has no activation file). */
  readonly activations: number | null;
}

/** Per-cell-type numbers, means over the sweeps with an activation file. */
export interface InputNumbers {
  /** Presynaptic cell type. */
  readonly group: string;
  /** Excitatory, inhibitory or unknown. */
  readonly kind: InputKind;
  /** Mean active synapses per sweep. */
  readonly activeSynapsesPerSweep: number;
  /** Mean activations per sweep. */
  readonly activationsPerSweep: number;
}

/** Statistics of a list of numbers. */
export interface Stats {
  /** Number of values. */
  readonly n: number;
  /** Mean. */
  readonly mean: number;
  /** Median. */
  readonly median: number;
  /** Smallest value. */
  readonly min: number;
  /** Largest value. */
  readonly max: number;
}

/** The key numbers of a folder. */
export interface KeyNumbers {
  /** Number of sweeps in the soma trace file. */
  readonly sweeps: number;
  /** Number of activation files. */
  readonly activationFiles: number;
  /** Stimulus time [ms], or null when the network param has none. */
  readonly stimulusMs: number | null;
  /** Presynaptic type whose offset gave the stimulus time. */
  readonly stimulusType: string | null;
  /** Spikes per sweep. */
  readonly spikesPerSweep: Stats | null;
  /** First-spike latency after the stimulus, over the sweeps that spiked after it. */
  readonly firstSpikeLatencyMs: Stats | null;
  /** Sweeps with a spike at or after the stimulus. */
  readonly respondingSweeps: number | null;
  /** Per sweep. */
  readonly perSweep: readonly SweepNumbers[];
  /** Per presynaptic cell type, in drawing order. */
  readonly inputs: readonly InputNumbers[];
}

/**
 * Mean, median, min and max of a list; null when it is empty.
 *
 * @param xs the values
 * @returns the statistics
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stats } from "./key_numbers.ts";
 * assert.deepEqual(stats([3, 1, 2]), { n: 3, mean: 2, median: 2, min: 1, max: 3 });
 * assert.equal(stats([]), null);
 * ```
 */
export function stats(xs: readonly number[]): Stats | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return {
    n: s.length,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
    median: s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2,
    min: s[0],
    max: s[s.length - 1],
  };
}

/**
 * Computes the key numbers.
 *
 * @param spikes every sweep's soma spikes
 * @param inputs the activation files' sums
 * @param stimulus stimulus time [ms] and the type that set it, if any
 * @returns the numbers
 * @example Latency after a stimulus at 10 ms
 * ```ts
 * import assert from "node:assert/strict";
 * import { keyNumbers } from "./key_numbers.ts";
 * const k = keyNumbers([{ sweep: 0, times: [5, 12.5], values: [1, 1] }],
 *   { groups: [], totals: new Map(), sweeps: [], bins: 1, outOfRange: 0, detail: undefined },
 *   { ms: 10, type: "VPM_C2" });
 * assert.equal(k.perSweep[0].firstSpikeLatencyMs, 2.5);
 * assert.equal(k.respondingSweeps, 1);
 * ```
 */
export function keyNumbers(
  spikes: readonly SweepSpikes[],
  inputs: ActivationScan,
  stimulus: { ms: number | undefined; type: string | undefined },
): KeyNumbers {
  const bySweep = new Map(inputs.sweeps.map((s) => [s.sweep, s]));
  const perSweep: SweepNumbers[] = spikes.map((s) => {
    const after = stimulus.ms === undefined ? undefined : s.times.find((t) => t >= stimulus.ms!);
    const inp = bySweep.get(s.sweep);
    return {
      sweep: s.sweep,
      spikes: s.times.length,
      firstSpikeLatencyMs: after === undefined ? null : after - stimulus.ms!,
      activeSynapses: inp?.activeSynapses ?? null,
      activations: inp?.activations ?? null,
    };
  });
  const n = Math.max(1, inputs.sweeps.length);
  const latencies = perSweep.flatMap((
    s,
  ) => (s.firstSpikeLatencyMs === null ? [] : [s.firstSpikeLatencyMs]));
  return {
    sweeps: spikes.length,
    activationFiles: inputs.sweeps.length,
    stimulusMs: stimulus.ms ?? null,
    stimulusType: stimulus.type ?? null,
    spikesPerSweep: stats(perSweep.map((s) => s.spikes)),
    firstSpikeLatencyMs: stats(latencies),
    respondingSweeps: stimulus.ms === undefined ? null : latencies.length,
    perSweep,
    inputs: inputs.groups.map((g) => {
      const t = inputs.totals.get(g.name)!;
      return {
        group: g.name,
        kind: g.kind,
        activeSynapsesPerSweep: t.activeSynapses / n,
        activationsPerSweep: t.activations / n,
      };
    }),
  };
}
