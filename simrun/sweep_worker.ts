/**
 * Sweep worker entry (`--threads T`, simrun/sweep_pool.ts): receives the job's cell and simulate
 * options once, then simulates one sweep per message and returns its traces (transferred).
 * Errors go back as plain data and fail the job.
 *
 * @module
 */
import { synapseMechanism } from "../network/mod.ts";
import { type Cell, type PointMechanism, simulate } from "../solver/mod.ts";
import { serializeError } from "./run.ts";
import {
  type SweepReply,
  type SweepRequest,
  type SweepSimulation,
  unpackSweep,
} from "./sweep_pool.ts";

declare const self: {
  onmessage: ((e: MessageEvent<SweepRequest>) => void) | null;
  postMessage(msg: SweepReply, transfer?: Transferable[]): void;
};

let cell: Cell | undefined;
let sim: SweepSimulation | undefined;

/** A receptor name → the network catalogue's mechanism (the one the job's thread uses). */
function mechanismOf(name: string): PointMechanism {
  const mechanism = synapseMechanism(name);
  if (mechanism === undefined) throw new Error(`unknown receptor mechanism "${name}"`);
  return mechanism;
}

self.onmessage = (e: MessageEvent<SweepRequest>) => {
  const m = e.data;
  if (m.type === "init") {
    cell = m.cell;
    sim = m.sim;
    return;
  }
  try {
    if (cell === undefined || sim === undefined) throw new Error("sweep before init");
    const res = simulate(cell, { ...sim, synapses: unpackSweep(m.sweep, mechanismOf) });
    self.postMessage(
      { type: "result", id: m.id, t: res.t, soma: res.soma, traces: res.traces },
      [res.t, res.soma, ...res.traces].map((a) => a.buffer as ArrayBuffer),
    );
  } catch (err) {
    self.postMessage({ type: "error", id: m.id, error: serializeError(err) });
  }
};
