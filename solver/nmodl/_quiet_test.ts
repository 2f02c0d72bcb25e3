import assert from "node:assert/strict";
import { allocateInstances } from "../mechanisms/_types.ts";
import { makeNodes, prepareContext } from "../mechanisms/_testing.ts";
import { classifyQuiet, quietEligible, quietInstance } from "./_quiet.ts";
import { toPointMechanism } from "./adapter.ts";
import { compileNmodl } from "./compile.ts";

/** A dual-exponential synapse with a Mg block; `extra` is added to the BREAKPOINT. */
function synapse(extra = "", assigned = "") {
  const range = assigned === "" ? "" : `, ${assigned}`;
  const r = compileNmodl(
    `NEURON { POINT_PROCESS syn NONSPECIFIC_CURRENT i RANGE e, tau1, tau2${range} }
     PARAMETER { e = 0 (mV) tau1 = 0.5 (ms) tau2 = 5 (ms) n = 0.25 gama = 0.08 }
     ASSIGNED { v (mV) i (nA) g ${assigned} }
     STATE { A B }
     INITIAL { A = 0 B = 0 }
     BREAKPOINT { SOLVE st METHOD cnexp
       g = (B - A)/(1 + n*exp(-gama*v))
       i = g*(v - e) ${extra} }
     DERIVATIVE st { A' = -A/tau1 B' = -B/tau2 }
     NET_RECEIVE (w) { A = A + w B = B + w }`,
    { file: "syn.mod" },
  );
  if (!r.ok) throw r.error;
  return r.mechanism;
}

function initialised(c: ReturnType<typeof synapse>, count = 2) {
  const m = toPointMechanism(c);
  const s = allocateInstances(m, new Int32Array(count));
  const n = makeNodes(1, { v: -70 });
  m.prepare(s, prepareContext(n));
  m.init(s, n);
  return { m, s, n };
}

Deno.test("quietInstance() proves a synapse without events exactly inactive", () => {
  const c = synapse();
  assert.ok(quietEligible(c.ir));
  const { s, n } = initialised(c);
  assert.ok(quietInstance(c.ir, s, 0, n.dt, n.celsius));
  // With A ≠ B the current is not zero.
  s.fields.A[1] = 1;
  assert.ok(!quietInstance(c.ir, s, 1, n.dt, n.celsius));
});

Deno.test("classifyQuiet() gives each instance quietInstance()'s answer, one proof per field values", () => {
  const c = synapse();
  const { s, n } = initialised(c, 6);
  s.fields.A[1] = 1; // A ≠ B: active
  s.fields.A[3] = 1;
  s.fields.e[4] = -0; // −0 and 0 are different doubles: proved apart (both quiet here)
  s.fields.B[5] = -0; // A − B = +0 − (−0) = +0: still quiet, but its own proof
  const q = new Float64Array([-1, -1, -1, -1, -1, 0]);
  classifyQuiet(c.ir, s, q, n.dt, n.celsius);
  const expected = [0, 1, 2, 3, 4].map((k) => quietInstance(c.ir, s, k, n.dt, n.celsius) ? 1 : 0);
  assert.deepEqual([...q], [...expected, 0]); // an instance already known keeps its flag
  assert.deepEqual(expected, [1, 0, 1, 0, 1]);
});

Deno.test("quietInstance() refuses a tonic current and an assigned value that depends on v", () => {
  const tonic = synapse("+ 0.001");
  const a = initialised(tonic);
  assert.ok(!quietInstance(tonic.ir, a.s, 0, a.n.dt, a.n.celsius));
  const block = synapse("mg = 1/(1 + exp(-0.062*v))", "mg");
  assert.ok(quietEligible(block.ir));
  const b = initialised(block);
  assert.ok(!quietInstance(block.ir, b.s, 0, b.n.dt, b.n.celsius));
});

Deno.test("a quiet synapse is skipped until its first event and then runs as NEURON's", () => {
  const c = synapse();
  const { m, s, n } = initialised(c);
  m.current(s, n);
  assert.deepEqual([...s.derived["nmodl.quiet"]], [1, 1]);
  assert.equal(n.i[0], 0);
  n.t = 1;
  m.netReceive!(s, 1, new Float64Array([0.5]), 0, n);
  assert.deepEqual([...s.derived["nmodl.quiet"]], [1, 0]);
  m.advance(s, n);
  m.current(s, n);
  assert.ok(n.i[0] !== 0, "the active instance adds its current");
  assert.equal(s.fields.A[0], 0);
  assert.ok(s.fields.A[1] > 0 && s.fields.A[1] < 0.5);
});
