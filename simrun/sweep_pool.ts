/**
 * Where a job's sweeps are simulated: `new SweepPool(0)` runs them in the job's own thread,
 * `new SweepPool(T)` in T sweep workers (`--threads T`) that each prepare their own copy of the
 * job's model from the {@link SweepSetup} (so cell-modify plugins do not run again). The job's
 * thread realizes the networks in sweep order and writes the files either way; the files are
 * byte-identical for any T.
 *
 * A sweep crosses to a worker as plain data (`_worker_protocol.ts`): receptor mechanism *names*
 * (the worker maps them with the job's receptor catalogue, compiled from the same `.mod` files as
 * in the job's thread) and one packed, transferred Float64Array of event times; the traces come
 * back transferred.
 *
 * @module
 */
import { InternalError } from "../io/mod.ts";
import {
  type PointMechanism,
  type PreparedModel,
  type Probe,
  runSweep,
  type SimulationResult,
} from "../solver/mod.ts";
import {
  deserializeError,
  type PackedSweep,
  type SweepReply,
  type SweepRequest,
  type SweepSetup,
  unpackSweep,
} from "./_worker_protocol.ts";

interface Task {
  readonly id: number;
  readonly sweep: number;
  readonly packed: PackedSweep;
  readonly resolve: (r: SimulationResult) => void;
  readonly reject: (e: Error) => void;
}

/**
 * A receptor name → the job's receptor catalogue's mechanism (the one the job's thread
 * validated).
 *
 * @param synapses the job's receptor catalogue
 * @returns the lookup; it throws InternalError for an unknown name
 */
export function receptorLookup(
  synapses: readonly PointMechanism[],
): (name: string) => PointMechanism {
  const byName = new Map(synapses.map((m) => [m.name, m]));
  return (name) => {
    const mechanism = byName.get(name);
    if (mechanism === undefined) throw new InternalError(`unknown receptor mechanism "${name}"`);
    return mechanism;
  };
}

/** The model and probes of the job's thread, for a pool of size 0. */
export interface LocalModel {
  /** The job's prepared model. */
  readonly model: PreparedModel;
  /** Its probes, in the order of the setup's sites. */
  readonly probes: readonly Probe[];
  /** The job's receptor catalogue. */
  readonly synapses: readonly PointMechanism[];
}

/**
 * The sweep simulators of one job: in this thread (size 0) or T workers. `simulate()` hands a
 * sweep to a free worker (or queues it). A sweep that fails rejects with its own error; the
 * sweeps queued behind it are rejected with that error, while those already running finish
 * with their own outcome, so a caller that awaits the sweeps in order always meets the earliest
 * failing sweep first. A worker that crashes stops the pool.
 */
export class SweepPool {
  readonly #workers: Worker[] = [];
  readonly #idle: Worker[] = [];
  readonly #queue: Task[] = [];
  readonly #running = new Map<Worker, Task>();
  #local: LocalModel | undefined;
  #receptor: (name: string) => PointMechanism = receptorLookup([]);
  #ready = false;
  #nextId = 0;
  #failure: Error | undefined;
  #closed = false;

  /**
   * Starts `size` workers at once (their modules load while the caller prepares the job); 0
   * starts none: sweeps then run in this thread.
   *
   * @param size number of workers ≥ 0
   */
  constructor(size: number) {
    if (!(Number.isInteger(size) && size >= 0)) {
      throw new InternalError(`sweep pool size must be an integer >= 0, got ${size}`);
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

  /** Number of workers (0: sweeps run in this thread). */
  get size(): number {
    return this.#workers.length;
  }

  /** Sweeps that may be in flight at once: the number of workers, at least 1. */
  get capacity(): number {
    return Math.max(1, this.#workers.length);
  }

  /**
   * Gives every worker the job's setup (each prepares its own model), or, for size 0, takes
   * the job thread's model.
   *
   * @param setup cell, settings and recorded sites shared by all sweeps
   * @param local the job thread's model and probes (required for size 0, unused otherwise)
   */
  init(setup: SweepSetup, local?: LocalModel): void {
    if (this.#workers.length === 0) {
      if (local === undefined) throw new InternalError("an in-thread sweep pool needs the model");
      this.#local = local;
      this.#receptor = receptorLookup(local.synapses);
    }
    const msg: SweepRequest = { type: "init", setup };
    for (const w of this.#workers) w.postMessage(msg);
    this.#idle.push(...this.#workers);
    this.#ready = true;
  }

  /**
   * Simulates one sweep.
   *
   * @param packed packed synaptic inputs (its `times` buffer is transferred to a worker)
   * @param sweep the sweep number, for messages
   * @returns `runSweep()`'s result
   */
  simulate(packed: PackedSweep, sweep: number): Promise<SimulationResult> {
    return new Promise<SimulationResult>((resolve, reject) => {
      if (this.#failure !== undefined) return reject(this.#failure);
      if (this.#closed) return reject(new InternalError("sweep pool is closed"));
      if (!this.#ready) return reject(new InternalError("sweep pool used before init()"));
      const local = this.#local;
      if (local !== undefined) {
        try {
          const inputs = unpackSweep(packed, this.#receptor);
          resolve(runSweep(local.model, inputs, { probes: local.probes, sweep }));
        } catch (e) {
          this.#failure ??= e as Error;
          reject(e as Error);
        }
        return;
      }
      this.#queue.push({ id: this.#nextId++, sweep, packed, resolve, reject });
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
      const msg: SweepRequest = {
        type: "sweep",
        id: task.id,
        sweep: task.sweep,
        packed: task.packed,
      };
      w.postMessage(msg, [task.packed.times.buffer]);
    }
  }

  #reply(w: Worker, m: SweepReply): void {
    const task = this.#running.get(w);
    if (task === undefined || task.id !== m.id) {
      this.#fail(new InternalError(`sweep worker replied to an unknown sweep ${m.id}`));
      return;
    }
    this.#running.delete(w);
    if (m.type === "error") {
      const e = deserializeError(m.error);
      this.#failure ??= e;
      task.reject(e);
      for (const t of this.#queue) t.reject(this.#failure);
      this.#queue.length = 0;
      return;
    }
    this.#idle.push(w);
    task.resolve({ t: m.t, soma: m.soma, traces: m.traces });
    if (this.#failure === undefined) this.#dispatch();
  }

  #fail(e: Error): void {
    if (this.#closed) return;
    this.#failure ??= e;
    this.terminate();
  }
}
