import assert from "node:assert/strict";
import { eliminationProgram } from "./_sparse.ts";

/** Runs an elimination program on a dense matrix (row-major) and right-hand side. */
function solve(n: number, a: number[], b: number[]): number[] {
  const elements: { row: number; col: number }[] = [];
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (a[r * n + c] !== 0) elements.push({ row: r, col: c });
  }
  const s = { n, elements };
  const prog = eliminationProgram(s);
  const mat = s.elements.map((e) => a[e.row * n + e.col] ?? 0);
  const rhs = [...b];
  for (const st of prog) {
    if (st.op === "pivot") assert.ok(Math.abs(mat[st.pivot]) > 1e-20);
    else if (st.op === "eliminate") {
      const r = mat[st.sub] / mat[st.pivot];
      rhs[st.subRow] -= rhs[st.pivotRow] * r;
      for (const [p, q] of st.pairs) mat[q] -= mat[p] * r;
    } else {
      for (const [e, col] of st.terms) rhs[st.row] -= mat[e] * rhs[col];
      rhs[st.row] /= mat[st.diag];
    }
  }
  return rhs;
}

Deno.test("eliminationProgram() solves sparse systems, with fill-in", () => {
  // Arrow matrix: the first row and column full (fill-in if pivoted first).
  const n = 4;
  const a = [4, 1, 1, 1, 1, 3, 0, 0, 1, 0, 2, 0, 1, 0, 0, 5];
  const xTrue = [1, -2, 0.5, 3];
  const b = [0, 1, 2, 3].map((r) => [0, 1, 2, 3].reduce((s, c) => s + a[r * n + c] * xTrue[c], 0));
  const x = solve(n, a, b);
  x.forEach((v, i) => assert.ok(Math.abs(v - xTrue[i]) < 1e-12, `x${i} = ${v}`));
});

Deno.test("eliminationProgram() pivots rows with fewer elements first (NEURON's minimum ordering)", () => {
  const s = {
    n: 3,
    elements: [
      { row: 0, col: 0 },
      { row: 0, col: 1 },
      { row: 0, col: 2 },
      { row: 1, col: 1 },
      { row: 1, col: 0 },
      { row: 2, col: 2 },
    ],
  };
  const prog = eliminationProgram(s);
  const pivots = prog.filter((p) => p.op === "pivot").map((p) =>
    s.elements[(p as { pivot: number }).pivot].row
  );
  // Counts 3, 2, 1: row 2 first. Its column also holds row 0, whose count drops to 2; a row
  // re-inserted goes before rows of equal count, so row 0 comes before row 1 (sparse_thread.c).
  assert.deepEqual(pivots, [2, 0, 1]);
});
