/**
 * Sweep worker entry (`--threads T`, simrun/sweep_pool.ts): receives the job's setup once and
 * prepares its own model from it (identical to the job thread's), then runs the one or two sweeps
 * of each message (lock-step lanes where the engine allows) and returns each sweep's traces
 * (transferred) or its error, as plain data; an error fails the job.
 *
 * @module
 */
import { loadSeedrandom } from "../network/mod.ts";
import {
  type PointMechanism,
  type PreparedModel,
  prepareModel,
  type Probe,
  resolveProbes,
} from "../solver/mod.ts";
import {
  serializeError,
  type SweepReply,
  type SweepRequest,
  unpackSweep,
} from "./_worker_protocol.ts";
import { mechanismsFromSources } from "./job_mechanisms.ts";
import { receptorLookup, simulateGroup, type SweepOutcome } from "./sweep_pool.ts";

declare const self: {
  onmessage: ((e: MessageEvent<SweepRequest>) => void) | null;
  postMessage(msg: SweepReply, transfer?: Transferable[]): void;
};

let model: PreparedModel | undefined;
let probes: readonly Probe[] = [];
let receptorMechanism: (name: string) => PointMechanism = receptorLookup([]);
let setupError: unknown;
/** Messages are handled one after the other, also while one waits for `loadSeedrandom()`. */
let queue: Promise<void> = Promise.resolve();

self.onmessage = (e: MessageEvent<SweepRequest>) => {
  queue = queue.then(() => handle(e.data));
};

async function handle(m: SweepRequest): Promise<void> {
  if (m.type === "init") {
    try {
      // The job's .mod files, compiled once per worker and job.
      const mechanisms = mechanismsFromSources(m.setup.mechanisms);
      receptorMechanism = receptorLookup(mechanisms.synapses);
      model = prepareModel(m.setup.cell, m.setup.settings, { catalogue: mechanisms.catalogue });
      probes = resolveProbes(model, m.setup.sites, { synapseMechanisms: mechanisms.synapses });
      // Stochastic synapses draw from seedrandom streams (loaded on demand, per worker).
      if (mechanisms.synapses.some((s) => s.randomStreams === true)) await loadSeedrandom();
    } catch (err) {
      setupError = err; // reported with the first sweep
    }
    return;
  }
  let outcomes: SweepOutcome[];
  try {
    if (setupError !== undefined) throw setupError;
    if (model === undefined) throw new Error("sweep before init");
    const group = m.sweeps.map((s) => ({
      synapses: unpackSweep(s.packed, receptorMechanism),
      sweep: s.sweep,
    }));
    outcomes = simulateGroup(model, probes, group);
  } catch (error) {
    outcomes = m.sweeps.map(() => ({ ok: false, error }));
  }
  m.sweeps.forEach((s, j) => {
    const o = outcomes[j];
    if (!o.ok) {
      self.postMessage({ type: "error", id: s.id, error: serializeError(o.error) });
      return;
    }
    const res = o.result;
    self.postMessage(
      { type: "result", id: s.id, t: res.t, soma: res.soma, traces: res.traces },
      [res.t, res.soma, ...res.traces].map((a) => a.buffer as ArrayBuffer),
    );
  });
}
