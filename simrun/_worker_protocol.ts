/**
 * The messages between simrun's threads and its two kinds of worker (both sides import this
 * file, as `plugins/_plugin_protocol.ts` does for plugins):
 *
 * - **job workers** (`job_worker.ts`): one run or replay job each ({@link WorkerTask} in,
 *   {@link WorkerReply} out);
 * - **sweep workers** (`sweep_worker.ts`, `--threads`): the job's cell and settings once
 *   ({@link SweepSetup}), then one packed sweep per message ({@link PackedSweep} in, traces out).
 *
 * Errors cross as plain data ({@link SerializedError}) and are rebuilt with their class, so that
 * main.ts maps them to the same exit codes as errors of the main thread.
 *
 * @module
 */
import {
  InputSyntaxError,
  InputValueError,
  InternalError,
  PluginError,
  SimulationError,
} from "../io/mod.ts";
import { type ActiveSynapse, synapseStream } from "../network/mod.ts";
import type {
  Cell,
  ModelSettings,
  ModSource,
  PointMechanism,
  RecordSite,
  SynapticInput,
} from "../solver/mod.ts";
import type { JobResult, JobSpec, ReplayJobSpec } from "./job_spec.ts";

/** An error as plain data. */
export interface SerializedError {
  /** The class name (`InputValueError`, `SimulationError`, `NotFound`, …). */
  readonly name: string;
  /** The full message. */
  readonly message: string;
  /** The stack, where one exists. */
  readonly stack?: string;
  /** Input errors: the file. */
  readonly file?: string;
  /** Input errors: 1-based line. */
  readonly line?: number;
  /** Input errors: 1-based column. */
  readonly column?: number;
  /** Input errors: dotted parameter key. */
  readonly key?: string;
  /** Plugin errors: the plugin. */
  readonly plugin?: string;
  /** Simulation errors: simulated time [ms]. */
  readonly timeMs?: number;
  /** Simulation errors: the sweep. */
  readonly sweep?: number;
}

/**
 * Turns any thrown value into plain data.
 *
 * @param e the error
 * @returns name, message, stack and the fields of simrun's error classes
 */
export function serializeError(e: unknown): SerializedError {
  if (!(e instanceof Error)) return { name: "Error", message: String(e) };
  const r = e as Error & Partial<SerializedError>;
  return {
    name: e.name,
    message: e.message,
    ...(e.stack !== undefined ? { stack: e.stack } : {}),
    ...(typeof r.file === "string" ? { file: r.file } : {}),
    ...(typeof r.line === "number" ? { line: r.line } : {}),
    ...(typeof r.column === "number" ? { column: r.column } : {}),
    ...(typeof r.key === "string" ? { key: r.key } : {}),
    ...(typeof r.plugin === "string" ? { plugin: r.plugin } : {}),
    ...(typeof r.timeMs === "number" ? { timeMs: r.timeMs } : {}),
    ...(typeof r.sweep === "number" ? { sweep: r.sweep } : {}),
  };
}

/**
 * Rebuilds an error of the same class (input, plugin, simulation, file-system errors) with the
 * same message.
 *
 * @param s the serialized error
 * @returns the error
 * @example Round trip keeps the class and message
 * ```ts
 * import assert from "node:assert/strict";
 * import { InputValueError } from "../io/mod.ts";
 * import { deserializeError, serializeError } from "./_worker_protocol.ts";
 * const e = deserializeError(serializeError(new InputValueError({ file: "a.param", line: 3, key: "k" }, "bad")));
 * assert.ok(e instanceof InputValueError);
 * assert.equal(e.message, "a.param:3: bad");
 * ```
 */
export function deserializeError(s: SerializedError): Error {
  const loc = {
    file: s.file ?? "",
    line: s.line ?? 0,
    column: s.column ?? 0,
    ...(s.key ? { key: s.key } : {}),
  };
  let e: Error;
  if (s.name === "InputSyntaxError") e = new InputSyntaxError(loc, "");
  else if (s.name === "InputValueError") e = new InputValueError(loc, "");
  else if (s.name === "PluginError") e = new PluginError(s.plugin ?? "", "");
  else if (s.name === "InternalError") e = new InternalError("");
  else if (s.name === "SimulationError") {
    e = new SimulationError("", {
      timeMs: s.timeMs ?? NaN,
      ...(s.sweep !== undefined ? { sweep: s.sweep } : {}),
    });
  } else if (s.name in Deno.errors) {
    const C = (Deno.errors as unknown as Record<string, new (m: string) => Error>)[s.name]!;
    e = new C(s.message);
  } else {
    e = new Error(s.message);
    e.name = s.name;
  }
  Object.defineProperty(e, "message", { value: s.message, writable: true, configurable: true });
  if (s.stack !== undefined) e.stack = s.stack;
  return e;
}

// ---------------------------------------------------------------------------------------------
// Job workers

/** A unit of work for one job worker. */
export type WorkerTask =
  | { readonly kind: "run"; readonly spec: JobSpec; readonly pid?: number }
  | { readonly kind: "replay"; readonly spec: ReplayJobSpec; readonly pid?: number };

/** Messages from a job worker. */
export type WorkerReply =
  | { readonly type: "sweep"; readonly sweep: number; readonly somaSpikes: number }
  | { readonly type: "warning"; readonly message: string }
  | { readonly type: "done"; readonly result: JobResult }
  | { readonly type: "error"; readonly error: SerializedError };

// ---------------------------------------------------------------------------------------------
// Sweep workers

/**
 * What every sweep of a job shares: the built cell (cell-modify functions applied: a
 * structured clone, so plugins do not run again), the model settings and the recorded sites.
 * A sweep worker prepares its own model from it, identical to the job thread's.
 */
export interface SweepSetup {
  /** The built cell. */
  readonly cell: Cell;
  /** Protocol and solver settings (validated by the job thread). */
  readonly settings: ModelSettings;
  /** Recorded sites besides the soma, in order (recording sites, then recorders' sites). */
  readonly sites: readonly RecordSite[];
  /** The job's `.mod` files (compiled once by each worker; empty: built-ins only). */
  readonly mechanisms: readonly ModSource[];
}

/** One synaptic input as plain data: the mechanism by name, its events in {@link PackedSweep.times}. */
export interface PlainSynapticInput {
  /** Receptor mechanism name (`glutamate_syn`, `gaba_syn`: a `synapseMechanism()` name). */
  readonly mechanism: string;
  /** Section index. */
  readonly section: number;
  /** Relative position on the section. */
  readonly x: number;
  /** Parameter values by NMODL name. */
  readonly params: Readonly<Record<string, number>>;
  /** NetCon weights. */
  readonly weights: readonly number[];
  /** Its event times are `times[start … end)`. */
  readonly start: number;
  /** End (exclusive) of its event times in `times`. */
  readonly end: number;
  /** Key of the synapse's random stream, for a mechanism that draws random numbers. */
  readonly randomKey?: string;
}

/** One sweep's synaptic inputs as plain data. */
export interface PackedSweep {
  /** The inputs, in the order the solver gets them. */
  readonly inputs: readonly PlainSynapticInput[];
  /** All event times (release time + delay) [ms], input after input; transferred. */
  readonly times: Float64Array<ArrayBuffer>;
}

/** Messages to a sweep worker. */
export type SweepRequest =
  | { readonly type: "init"; readonly setup: SweepSetup }
  | {
    readonly type: "sweeps";
    /** One or two sweeps, simulated together (lock-step lanes where the engine allows). */
    readonly sweeps: readonly {
      readonly id: number;
      /** The sweep number (for messages). */
      readonly sweep: number;
      readonly packed: PackedSweep;
    }[];
  };

/** Messages from a sweep worker. */
export type SweepReply =
  | {
    readonly type: "result";
    readonly id: number;
    readonly t: Float64Array;
    readonly soma: Float64Array;
    readonly traces: Float64Array[];
  }
  | { readonly type: "error"; readonly id: number; readonly error: SerializedError };

/**
 * Packs the realized synapses of a sweep: one input per receptor, event time = release time +
 * NetCon delay.
 *
 * @param synapses the sweep's active synapses
 * @param known receptor name → mechanism, validated before the run
 * @returns the packed inputs
 * @throws InternalError for a receptor that was not validated
 */
export function packSweep(
  synapses: readonly ActiveSynapse[],
  known: Readonly<Record<string, PointMechanism>>,
): PackedSweep {
  let total = 0;
  for (const s of synapses) total += s.releaseTimes.length * s.receptors.length;
  const times = new Float64Array(total);
  const inputs: PlainSynapticInput[] = [];
  let at = 0;
  for (const s of synapses) {
    for (const r of s.receptors) {
      const m = Object.hasOwn(known, r.mechanism) ? known[r.mechanism] : undefined;
      if (m === undefined) {
        throw new InternalError(`receptor "${r.mechanism}" was not validated before the run`);
      }
      const key = m.randomStreams === true ? s.randomKey : undefined;
      if (m.randomStreams === true && key === undefined) {
        throw new InternalError(`synapse ${s.type} ${s.synapseId} has no random stream key`);
      }
      const start = at;
      for (let i = 0; i < s.releaseTimes.length; i++) times[at++] = s.releaseTimes[i]! + r.delay;
      inputs.push({
        mechanism: r.mechanism,
        section: s.section,
        x: s.x,
        params: r.params,
        weights: r.weights,
        start,
        end: at,
        ...(key !== undefined ? { randomKey: key } : {}),
      });
    }
  }
  return { inputs, times };
}

/**
 * The solver's inputs of a packed sweep: each name mapped to its point mechanism, the event
 * times as views into `sweep.times` (no copy), one random stream per synapse key (shared by the
 * synapse's receptors, as ISF shares one NEURON `Random`).
 *
 * @param sweep the packed sweep
 * @param mechanismOf receptor name → point mechanism (throws for an unknown name)
 * @returns the solver's synaptic inputs, in packed order
 */
export function unpackSweep(
  sweep: PackedSweep,
  mechanismOf: (name: string) => PointMechanism,
): SynapticInput[] {
  const streams = new Map<string, () => number>();
  return sweep.inputs.map((p) => {
    let random: (() => number) | undefined;
    if (p.randomKey !== undefined) {
      random = streams.get(p.randomKey);
      if (random === undefined) streams.set(p.randomKey, random = synapseStream(p.randomKey));
    }
    return {
      mechanism: mechanismOf(p.mechanism),
      section: p.section,
      x: p.x,
      params: p.params,
      weights: p.weights,
      eventTimes: sweep.times.subarray(p.start, p.end),
      ...(random !== undefined ? { random } : {}),
    };
  });
}

/**
 * Turns the realized synapses of a sweep into solver inputs (the same packing as for a sweep
 * worker, so both paths give the solver identical inputs).
 *
 * @param synapses the sweep's active synapses
 * @param mechanisms receptor name → point mechanism
 * @returns the solver's synaptic inputs
 */
export function synapticInputs(
  synapses: readonly ActiveSynapse[],
  mechanisms: Readonly<Record<string, PointMechanism>>,
): SynapticInput[] {
  return unpackSweep(packSweep(synapses, mechanisms), (name) => mechanisms[name]!);
}
