/**
 * The sweep workers of one job (`--threads T`): T Deno Workers that each hold a copy of the built
 * cell (structured clone: typed arrays and plain objects, so cell-modify plugins do not run
 * again) and run `simulate()` for the sweeps they are given. The job's own thread realizes the
 * networks in sweep order and writes the files; only the simulation moves to the workers.
 *
 * A sweep crosses the boundary as plain data: receptor mechanism *names* (the worker maps them
 * with `network/mod.ts`'s `synapseMechanism`, the same catalogue the job's thread uses), one
 * packed, transferred Float64Array of event times; the traces come back transferred.
 *
 * @module
 */
import { InternalError } from "../io/mod.ts";
import type { ActiveSynapse } from "../network/mod.ts";
import type {
  Cell,
  PointMechanism,
  RecordSite,
  SimulationResult,
  SynapticInput,
} from "../solver/mod.ts";
import { deserializeError, type SerializedError } from "./run.ts";

/** The simulate options shared by every sweep of a job. */
export interface SweepSimulation {
  /** Initial membrane potential [mV]. */
  readonly vInit: number;
  /** Stop time [ms]. */
  readonly tStop: number;
  /** Time step [ms]. */
  readonly dt: number;
  /** Temperature [°C]. */
  readonly celsius: number;
  /** Physical constants (default modern). */
  readonly units?: "modern" | "legacy";
  /** Rate tables (false = `--exact`). */
  readonly rateTables: boolean;
  /** Recorded sites besides the soma, in order. */
  readonly record: readonly RecordSite[];
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
  | { readonly type: "init"; readonly cell: Cell; readonly sim: SweepSimulation }
  | { readonly type: "sweep"; readonly id: number; readonly sweep: PackedSweep };

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
 * Packs the realized synapses of a sweep for a worker: one input per receptor, event time =
 * release time + NetCon delay (the job's own thread unpacks the same data: `synapticInputs` in
 * job.ts).
 *
 * @param synapses the sweep's active synapses
 * @param known receptor names validated before the run
 * @returns the packed inputs
 */
export function packSweep(
  synapses: readonly ActiveSynapse[],
  known: Readonly<Record<string, unknown>>,
): PackedSweep {
  let total = 0;
  for (const s of synapses) total += s.releaseTimes.length * s.receptors.length;
  const times = new Float64Array(total);
  const inputs: PlainSynapticInput[] = [];
  let at = 0;
  for (const s of synapses) {
    for (const r of s.receptors) {
      if (known[r.mechanism] === undefined) {
        throw new InternalError(`receptor "${r.mechanism}" was not validated before the run`);
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
      });
    }
  }
  return { inputs, times };
}

/**
 * The solver's inputs of a packed sweep: each name mapped to its point mechanism, the event
 * times as views into `sweep.times` (no copy).
 *
 * @param sweep the packed sweep
 * @param mechanismOf receptor name → point mechanism (throws for an unknown name)
 * @returns the solver's synaptic inputs, in packed order
 */
export function unpackSweep(
  sweep: PackedSweep,
  mechanismOf: (name: string) => PointMechanism,
): SynapticInput[] {
  return sweep.inputs.map((p) => ({
    mechanism: mechanismOf(p.mechanism),
    section: p.section,
    x: p.x,
    params: p.params,
    weights: p.weights,
    eventTimes: sweep.times.subarray(p.start, p.end),
  }));
}

interface Task {
  readonly id: number;
  readonly sweep: PackedSweep;
  readonly resolve: (r: SimulationResult) => void;
  readonly reject: (e: Error) => void;
}

/**
 * T sweep workers. `simulate()` hands a sweep to a free worker (or queues it); the first failure
 * of any worker rejects every sweep not yet returned and stops all workers.
 */
export class SweepPool {
  readonly #workers: Worker[] = [];
  readonly #idle: Worker[] = [];
  readonly #queue: Task[] = [];
  readonly #running = new Map<Worker, Task>();
  #nextId = 0;
  #failure: Error | undefined;
  #closed = false;

  /**
   * Starts `size` workers at once (their modules load while the caller prepares the job).
   *
   * @param size number of workers ≥ 1
   */
  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 1)) {
      throw new InternalError(`sweep pool size must be an integer >= 1, got ${size}`);
    }
    const url = new URL("./sweep_worker.ts", import.meta.url).href;
    for (let k = 0; k < size; k++) {
      // Pure computation: the worker needs no permission at all.
      const w = new Worker(url, { type: "module", deno: { permissions: "none" } });
      w.onmessage = (e: MessageEvent<SweepReply>) => this.#reply(w, e.data);
      w.onerror = (e) => {
        e.preventDefault();
        this.#fail(new Error(`sweep worker failed: ${e.message}`));
      };
      w.onmessageerror = () => this.#fail(new Error("sweep worker sent an unreadable message"));
      this.#workers.push(w);
    }
  }

  /** Number of workers. */
  get size(): number {
    return this.#workers.length;
  }

  /**
   * Gives every worker its copy of the cell and the job's simulate options.
   *
   * @param cell the built cell (cell-modify functions applied)
   * @param sim options shared by all sweeps
   */
  init(cell: Cell, sim: SweepSimulation): void {
    const msg: SweepRequest = { type: "init", cell, sim };
    for (const w of this.#workers) w.postMessage(msg);
    this.#idle.push(...this.#workers);
  }

  /**
   * Simulates one sweep in a worker.
   *
   * @param sweep packed synaptic inputs (its `times` buffer is transferred)
   * @returns `simulate()`'s result
   */
  simulate(sweep: PackedSweep): Promise<SimulationResult> {
    return new Promise<SimulationResult>((resolve, reject) => {
      if (this.#failure !== undefined) return reject(this.#failure);
      if (this.#closed) return reject(new InternalError("sweep pool is closed"));
      this.#queue.push({ id: this.#nextId++, sweep, resolve, reject });
      this.#dispatch();
    });
  }

  /** Stops every worker; sweeps not yet returned are rejected. Safe to call more than once. */
  terminate(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#workers) w.terminate();
    const err = this.#failure ?? new InternalError("sweep pool terminated");
    for (const t of [...this.#running.values(), ...this.#queue]) t.reject(err);
    this.#running.clear();
    this.#queue.length = 0;
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const w = this.#idle.pop()!;
      const task = this.#queue.shift()!;
      this.#running.set(w, task);
      const msg: SweepRequest = { type: "sweep", id: task.id, sweep: task.sweep };
      w.postMessage(msg, [task.sweep.times.buffer]);
    }
  }

  #reply(w: Worker, m: SweepReply): void {
    const task = this.#running.get(w);
    if (task === undefined || task.id !== m.id) {
      this.#fail(new InternalError(`sweep worker replied to an unknown sweep ${m.id}`));
      return;
    }
    if (m.type === "error") {
      this.#fail(deserializeError(m.error));
      return;
    }
    this.#running.delete(w);
    this.#idle.push(w);
    task.resolve({ t: m.t, soma: m.soma, traces: m.traces });
    this.#dispatch();
  }

  #fail(e: Error): void {
    if (this.#closed) return;
    this.#failure ??= e;
    this.terminate();
  }
}
