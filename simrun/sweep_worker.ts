/**
 * Sweep worker entry (`--threads T`, simrun/sweep_pool.ts): receives the job's cell and simulate
 * options once, then simulates one sweep per message and returns its traces (transferred).
 * Errors go back as plain data and fail the job.
 *
 * @module
 */
import { synapseMechanism } from "../network/mod.ts";
import { type Cell, simulate, type SynapticInput } from "../solver/mod.ts";
import { serializeError } from "./run.ts";
import type { PackedSweep, SweepReply, SweepRequest, SweepSimulation } from "./sweep_pool.ts";

declare const self: {
  onmessage: ((e: MessageEvent<SweepRequest>) => void) | null;
  postMessage(msg: SweepReply, transfer?: Transferable[]): void;
};

let cell: Cell | undefined;
let sim: SweepSimulation | undefined;

/** The solver's inputs of a packed sweep: names → the network catalogue's mechanisms. */
function unpack(sweep: PackedSweep): SynapticInput[] {
  return sweep.inputs.map((p) => {
    const mechanism = synapseMechanism(p.mechanism);
    if (mechanism === undefined) throw new Error(`unknown receptor mechanism "${p.mechanism}"`);
    return {
      mechanism,
      section: p.section,
      x: p.x,
      params: p.params,
      weights: p.weights,
      eventTimes: sweep.times.subarray(p.start, p.end),
    };
  });
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
    const res = simulate(cell, {
      vInit: sim.vInit,
      tStop: sim.tStop,
      dt: sim.dt,
      celsius: sim.celsius,
      record: sim.record,
      synapses: unpack(m.sweep),
      rateTables: sim.rateTables,
      ...(sim.units !== undefined ? { units: sim.units } : {}),
    });
    self.postMessage(
      { type: "result", id: m.id, t: res.t, soma: res.soma, traces: res.traces },
      [res.t, res.soma, ...res.traces].map((a) => a.buffer as ArrayBuffer),
    );
  } catch (err) {
    self.postMessage({ type: "error", id: m.id, error: serializeError(err) });
  }
};
