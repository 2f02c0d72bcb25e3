/**
 * Compares a per-sweep activation file (synapses or presynaptic cells, outputs.md §3/§4) with
 * ISF's. Every column except the times must be identical, and so must the number of times per
 * line. Times may differ in the last bits: spike-train intervals use ln(), and V8's `Math.log`
 * (fdlibm) and glibc's `log` (used by NumPy) round a few near-tie arguments differently
 * (≈ 1 in 1,300 draws), so a handful of times differ by one ulp. This is the known gap to
 * byte-identity (see the notes on issue #4).
 *
 * @module
 */
import assert from "node:assert/strict";

/** Allowed |Δt| [ms]: a few ulps of a 345 ms time (5.7e-14), from libm log rounding (see above). */
export const MAX_ABS_DT_MS = 1e-12;
/** Lines allowed to differ at all (ulp-level times); measured 7–13 of ≈ 7,000 per file. */
export const MAX_DIFFERING_LINES = 40;

export function compareActivationFiles(got: string, want: string, what: string, timeColumn: number): void {
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
