/**
 * Sweep worker entry (`--threads T`, simrun/sweep_pool.ts): receives the job's setup once and
 * prepares its own model from it (identical to the job thread's), then runs one sweep per
 * message and returns its traces (transferred). Errors go back as plain data and fail the job.
 *
 * @module
 */
import {
  type PointMechanism,
  type PreparedModel,
  prepareModel,
  type Probe,
  resolveProbes,
  runSweep,
} from "../solver/mod.ts";
import {
  serializeError,
  type SweepReply,
  type SweepRequest,
  unpackSweep,
} from "./_worker_protocol.ts";
import { mechanismsFromSources } from "./job_mechanisms.ts";
import { receptorLookup } from "./sweep_pool.ts";

declare const self: {
  onmessage: ((e: MessageEvent<SweepRequest>) => void) | null;
  postMessage(msg: SweepReply, transfer?: Transferable[]): void;
};

let model: PreparedModel | undefined;
let probes: readonly Probe[] = [];
let receptorMechanism: (name: string) => PointMechanism = receptorLookup([]);
let setupError: unknown;

self.onmessage = (e: MessageEvent<SweepRequest>) => {
  const m = e.data;
  if (m.type === "init") {
    try {
      // The job's .mod files, compiled once per worker and job.
      const mechanisms = mechanismsFromSources(m.setup.mechanisms);
      receptorMechanism = receptorLookup(mechanisms.synapses);
      model = prepareModel(m.setup.cell, m.setup.settings, { catalogue: mechanisms.catalogue });
      probes = resolveProbes(model, m.setup.sites, { synapseMechanisms: mechanisms.synapses });
    } catch (err) {
      setupError = err; // reported with the first sweep
    }
    return;
  }
  try {
    if (setupError !== undefined) throw setupError;
    if (model === undefined) throw new Error("sweep before init");
    const res = runSweep(model, unpackSweep(m.packed, receptorMechanism), {
      probes,
      sweep: m.sweep,
    });
    self.postMessage(
      { type: "result", id: m.id, t: res.t, soma: res.soma, traces: res.traces },
      [res.t, res.soma, ...res.traces].map((a) => a.buffer as ArrayBuffer),
    );
  } catch (err) {
    self.postMessage({ type: "error", id: m.id, error: serializeError(err) });
  }
};
