/**
 * Compares a per-sweep activation file (synapses or presynaptic cells, outputs.md §3/§4) with
 * ISF's.
 *
 * Where the C library's `log` can be bound (simrun/system_libm.ts: what NumPy calls), simrun's
 * `--rng isf` output must be byte-identical to ISF's. Elsewhere (no FFI, an unknown platform)
 * V8's `Math.log` (fdlibm) rounds about 1 in 1,300 arguments differently from glibc, so a
 * handful of spike times differ in their last digit: then every column except the times must
 * be identical, the number of times per line too, and times agree to a few ulps.
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadSystemLibm } from "../simrun/system_libm.ts";

/** True when the comparison is byte-exact (the system libm is available to simrun). */
export function activationFilesExact(): boolean {
  const libm = loadSystemLibm();
  if (!libm.ok) {
    console.warn(`NOTE: ${libm.reason}; comparing ISF activation files to ulps, not bytes`);
  }
  return libm.ok;
}

/** Allowed |Δt| [ms]: a few ulps of a 345 ms time (5.7e-14), from libm log rounding (see above). */
export const MAX_ABS_DT_MS = 1e-12;
/** Lines allowed to differ at all (ulp-level times); measured 7–13 of ≈ 7,000 per file. */
export const MAX_DIFFERING_LINES = 40;

export function compareActivationFiles(
  got: string,
  want: string,
  what: string,
  timeColumn: number,
): void {
  if (activationFilesExact()) {
    if (got === want) return;
    const g = got.split("\n"), w = want.split("\n");
    const k = w.findIndex((l, i) => l !== g[i]);
    assert.fail(`${what} differs from ISF's at line ${k + 1}:\n  ours: ${g[k]}\n  ISF:  ${w[k]}`);
  }
  const g = got.split("\n"), w = want.split("\n");
  assert.equal(
    g.length,
    w.length,
    `${what}: ${g.length - 2} data lines, ISF wrote ${w.length - 2}`,
  );
  let differing = 0, worst = 0, worstLine = 0;
  for (let i = 0; i < w.length; i++) {
    if (g[i] === w[i]) continue;
    differing++;
    const gf = g[i].split("\t"), wf = w[i].split("\t");
    assert.deepEqual(
      gf.slice(0, timeColumn),
      wf.slice(0, timeColumn),
      `${what} line ${i + 1}: ${g[i]} vs ${w[i]}`,
    );
    const gt = gf[timeColumn].split(",").filter((s) => s !== "").map(Number);
    const wt = wf[timeColumn].split(",").filter((s) => s !== "").map(Number);
    assert.equal(gt.length, wt.length, `${what} line ${i + 1}: number of times differs`);
    for (let k = 0; k < gt.length; k++) {
      const d = Math.abs(gt[k] - wt[k]);
      if (d > worst) [worst, worstLine] = [d, i + 1];
    }
  }
  assert.ok(
    worst <= MAX_ABS_DT_MS,
    `${what}: max |Δt| ${worst} ms at line ${worstLine} > ${MAX_ABS_DT_MS} ms`,
  );
  assert.ok(
    differing <= MAX_DIFFERING_LINES,
    `${what}: ${differing} lines differ > ${MAX_DIFFERING_LINES}`,
  );
}
