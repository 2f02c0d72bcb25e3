/**
 * Where a job's sweeps are simulated: `new SweepPool(0)` runs them in the job's own thread,
 * `new SweepPool(T)` in T sweep workers (`--threads T`) that each prepare their own copy of the
 * job's model from the {@link SweepSetup} (so cell-modify plugins do not run again). The job's
 * thread realizes the networks in sweep order and writes the files either way; the files are
 * byte-identical for any T.
 *
 * Sweeps go two at a time ({@link SWEEP_LANES}) to the thread or worker that simulates them, which
 * runs them in lock-step SIMD lanes where the engine allows (solver's `runSweeps`; a sweep's
 * result is bit for bit the one it gets alone).
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
  runSweeps,
  type SimulationResult,
  type SynapticInput,
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

/** Sweeps simulated together: lock-step lanes of the engine. */
export const SWEEP_LANES = 2;

/** The outcome of one sweep of a group: its result or its own error. */
export type SweepOutcome =
  | { readonly ok: true; readonly result: SimulationResult }
  | { readonly ok: false; readonly error: unknown };

/**
 * Simulates a group of sweeps (lock-step lanes where the engine allows) and returns each
 * sweep's own outcome: when the group fails, each sweep is run again alone.
 *
 * @param model the job's prepared model
 * @param probes its probes
 * @param group the sweeps' inputs and numbers
 * @returns one outcome per sweep, in order
 */
export function simulateGroup(
  model: PreparedModel,
  probes: readonly Probe[],
  group: readonly { readonly synapses: readonly SynapticInput[]; readonly sweep: number }[],
): SweepOutcome[] {
  try {
    return runSweeps(model, group, { probes }).map((result) => ({ ok: true, result }));
  } catch (error) {
    if (group.length === 1) return [{ ok: false, error }];
  }
  return group.map((s) => simulateGroup(model, probes, [s])[0]);
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
  readonly #running = new Map<Worker, Task[]>();
  #dispatchQueued = false;
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

  /** Sweeps that may be in flight at once: {@link SWEEP_LANES} per worker (or this thread). */
  get capacity(): number {
    return SWEEP_LANES * Math.max(1, this.#workers.length);
  }

  /** Sweeps handed over together: a caller that submits this many at once lets them pair. */
  get lanes(): number {
    return SWEEP_LANES;
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
   * Simulates one sweep. Sweeps submitted in the same turn of the event loop are simulated
   * together, {@link SWEEP_LANES} at a time, where that leaves no worker idle; a single sweep
   * waits for a partner only until the turn ends.
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
      this.#queue.push({ id: this.#nextId++, sweep, packed, resolve, reject });
      if (!this.#dispatchQueued) {
        this.#dispatchQueued = true;
        queueMicrotask(() => {
          this.#dispatchQueued = false;
          this.#dispatch();
        });
      }
    });
  }

  /** Stops every worker; sweeps not yet returned are rejected. Safe to call more than once. */
  terminate(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const w of this.#workers) w.terminate();
    const err = this.#failure ?? new InternalError("sweep pool terminated");
    for (const t of [...[...this.#running.values()].flat(), ...this.#queue]) t.reject(err);
    this.#running.clear();
    this.#queue.length = 0;
  }

  #dispatch(): void {
    if (this.#closed || this.#failure !== undefined) return;
    const local = this.#local;
    if (local !== undefined) {
      while (this.#queue.length > 0) this.#runHere(local, this.#queue.splice(0, SWEEP_LANES));
      return;
    }
    // Pairs while the queue fills every idle worker with one; else single sweeps, so that
    // idle workers are never left waiting while another one runs a pair.
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const size = this.#queue.length >= SWEEP_LANES * this.#idle.length ? SWEEP_LANES : 1;
      const w = this.#idle.pop()!;
      const tasks = this.#queue.splice(0, size);
      this.#running.set(w, tasks);
      const msg: SweepRequest = {
        type: "sweeps",
        sweeps: tasks.map((t) => ({ id: t.id, sweep: t.sweep, packed: t.packed })),
      };
      w.postMessage(msg, tasks.map((t) => t.packed.times.buffer));
    }
  }

  /** Simulates a group in this thread; a failure rejects the sweeps queued behind it. */
  #runHere(local: LocalModel, tasks: Task[]): void {
    let outcomes: SweepOutcome[];
    try {
      const group = tasks.map((t) => ({
        synapses: unpackSweep(t.packed, this.#receptor),
        sweep: t.sweep,
      }));
      outcomes = simulateGroup(local.model, local.probes, group);
    } catch (error) {
      outcomes = tasks.map(() => ({ ok: false, error }));
    }
    tasks.forEach((t, j) => {
      const o = outcomes[j];
      if (o.ok && this.#failure === undefined) return t.resolve(o.result);
      this.#failure ??= (o.ok ? undefined : o.error) as Error;
      t.reject(this.#failure);
    });
    if (this.#failure !== undefined) {
      for (const t of this.#queue) t.reject(this.#failure);
      this.#queue.length = 0;
    }
  }

  #reply(w: Worker, m: SweepReply): void {
    const tasks = this.#running.get(w);
    const task = tasks?.[0];
    if (tasks === undefined || task === undefined || task.id !== m.id) {
      this.#fail(new InternalError(`sweep worker replied to an unknown sweep ${m.id}`));
      return;
    }
    tasks.shift();
    if (tasks.length === 0) {
      this.#running.delete(w);
      this.#idle.push(w);
    }
    if (m.type === "error") {
      const e = deserializeError(m.error);
      this.#failure ??= e;
      task.reject(e);
      for (const t of this.#queue) t.reject(this.#failure);
      this.#queue.length = 0;
      return;
    }
    task.resolve({ t: m.t, soma: m.soma, traces: m.traces });
    if (this.#failure === undefined) this.#dispatch();
  }

  #fail(e: Error): void {
    if (this.#closed) return;
    this.#failure ??= e;
    this.terminate();
  }
}
