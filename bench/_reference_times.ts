/**
 * NEURON/ISF timings on this machine type that the benches print ratios against, and a helper
 * that times a whole simrun process. Source: issue 13's side-by-side table (one 2-core machine,
 * one run, best of 2, NEURON 8.2.2 from Debian, ISF git 6c2c82f1); shared/reference/README.md
 * gives the earlier single measurements in brackets.
 *
 * @module
 */
import { cliCommand } from "../tests/_cli.ts";

/** A2_step_1p0 (400 ms, soma IClamp 1 nA), NEURON simulation only [s] (README: 4.4 s). */
export const NEURON_A2_S = 4.6;
/** Replay of B's sweep 0 (345 ms, 4,314 synapses), NEURON simulation only [s] (README: 8.0–8.3 s). */
export const NEURON_REPLAY_S = 8.4;
/** ISF example, 2 sweeps, one job, one thread, ISF's whole job incl. writing [s] (README: 32.7 s). */
export const ISF_JOB_S = 30.9;

/** Issue 13's goals for simrun's whole process, as fractions of the figures above. */
export const TARGET = { a2: 0.10, replay: 0.10, job: 0.05 } as const;

/**
 * `simrun's time [s] (ratio× reference, goal ≤ target×)`.
 *
 * @param s simrun's time [s]
 * @param reference the NEURON/ISF time [s]
 * @param who `NEURON` or `ISF`
 * @param target the goal as a fraction of the reference, if there is one
 * @returns the printable fragment
 */
export function ratio(s: number, reference: number, who: string, target?: number): string {
  const goal = target === undefined ? "" : `, goal ≤ ${target.toFixed(2)}×`;
  return `${s.toFixed(2)} s (${who} ${reference.toFixed(2)} s: ${
    (s / reference).toFixed(2)
  }×${goal})`;
}

/**
 * Wall time of a whole `simrun <args>` process (start-up to exit), best of `runs`.
 *
 * @param args CLI arguments
 * @param cwd working directory
 * @param runs how many runs (default 2)
 * @returns best wall time [s]
 * @throws Error when the process fails
 */
export async function processSeconds(args: string[], cwd: string, runs = 2): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const out = await new Deno.Command(Deno.execPath(), {
      args: cliCommand(args),
      cwd,
      stdout: "null",
      stderr: "piped",
    }).output();
    const s = (performance.now() - t0) / 1000;
    if (!out.success) {
      throw new Error(`simrun ${args[0]} failed: ${new TextDecoder().decode(out.stderr).trim()}`);
    }
    best = Math.min(best, s);
  }
  return best;
}
