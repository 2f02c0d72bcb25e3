import assert from "node:assert/strict";
import { allocateInstances } from "../mechanisms/_types.ts";
import { makeNodes, prepareContext } from "../mechanisms/_testing.ts";
import { toDensityMechanism, toPointMechanism } from "./adapter.ts";
import { compileNmodl } from "./compile.ts";

function compile(text: string) {
  const r = compileNmodl(text, { file: "a.mod" });
  if (!r.ok) throw r.error;
  return r.mechanism;
}

const CHANNEL = `
    NEURON { SUFFIX ch USEION k READ ek WRITE ik RANGE gbar, gch GLOBAL q }
    PARAMETER { gbar = 0.01 (S/cm2) q = 2 }
    ASSIGNED { v (mV) ek (mV) ik (mA/cm2) gch (S/cm2) }
    STATE { n }
    INITIAL { n = 0.3 }
    BREAKPOINT { SOLVE st METHOD cnexp gch = gbar*n ik = gch*(v - ek) }
    DERIVATIVE st { n' = (0.5 - n)/q }`;

Deno.test("toDensityMechanism() describes RANGE parameters, GLOBALs, states and assigned (current first)", () => {
  const m = toDensityMechanism(compile(CHANNEL));
  assert.deepEqual(Object.keys(m.parameters), ["gbar"]);
  assert.equal(m.parameters.gbar.default, 0.01);
  assert.equal(m.globals.q.default, 2);
  assert.ok(!Object.hasOwn(m.globals, "gbar"), "a RANGE parameter is not a global");
  assert.deepEqual(m.states, ["n"]);
  assert.equal(m.assigned[0], "ik");
  assert.deepEqual(m.ions, [{ name: "k", read: ["ek"], write: ["ik"] }]);
});

Deno.test("toDensityMechanism() takes GLOBAL values from the instances (mech_globals) in prepare", () => {
  const m = toDensityMechanism(compile(CHANNEL));
  const s = allocateInstances(m, new Int32Array([0]), { q: 4 });
  const n = makeNodes(1, { v: -60, ek: -80 });
  m.prepare(s, prepareContext(n));
  m.init(s, n);
  m.current(s, n);
  assert.ok(Math.abs(n.i[0] - 0.01 * 0.3 * 20) < 1e-15);
  m.advance(s, n);
  // cnexp with tau = q = 4: n + (1 - exp(−dt/4))·(0.5 − n)
  const expect = 0.3 + (1 - Math.exp(0.025 * (-1 / 4))) * (-(0.5 / 4) / (-1 / 4) - 0.3);
  assert.equal(s.fields.n[0], expect);
  assert.ok(!Object.hasOwn(s.fields, "q"), "fields hold only RANGE variables");
});

Deno.test("toDensityMechanism() takes UNITS constants from the run's unit system", () => {
  const m = toDensityMechanism(compile(`
    NEURON { SUFFIX u RANGE f }
    UNITS { FARADAY = (faraday) (coulombs) }
    ASSIGNED { f }
    INITIAL { f = FARADAY }`));
  const s = allocateInstances(m, new Int32Array([0]));
  const n = makeNodes(1);
  m.prepare(s, prepareContext(n));
  m.init(s, n);
  assert.equal(s.fields.f[0], 96485.33212331001);
  m.prepare(s, { ...prepareContext(n), units: "legacy" });
  m.init(s, n);
  assert.equal(s.fields.f[0], 96485.3);
});

Deno.test("toPointMechanism() runs NET_RECEIVE, its INITIAL block per NetCon, and self events", () => {
  const m = toPointMechanism(compile(`
    NEURON { POINT_PROCESS ps RANGE x NONSPECIFIC_CURRENT i }
    ASSIGNED { v (mV) i (nA) x }
    BREAKPOINT { i = 0 }
    NET_RECEIVE (w, count) {
      INITIAL { count = 10 }
      if (flag == 0) {
        count = count + 1
        x = x + w*count
        net_send(1, 7)
      } else {
        x = x + flag
      }
    }`));
  assert.equal(m.weightCount, 2);
  const s = allocateInstances(m, new Int32Array([0]));
  const n = makeNodes(1);
  m.prepare(s, prepareContext(n));
  m.init(s, n);
  const w = new Float64Array([2, 0]);
  m.netConInit!(s, 0, w, 0, n);
  assert.equal(w[1], 10, "NET_RECEIVE INITIAL");
  n.t = 5;
  m.netReceive!(s, 0, w, 0, n);
  assert.equal(w[1], 11, "INITIAL then +1");
  assert.equal(s.fields.x[0], 22);
  n.t = 5.9875; // t_n + dt/2 < 6: not due yet
  m.current(s, n);
  assert.equal(s.fields.x[0], 22);
  n.t = 6.0125; // t_n + dt/2 ≥ 6: the self event is due
  m.current(s, n);
  assert.equal(s.fields.x[0], 29, "flag 7 delivered");
});
