import assert from "node:assert/strict";
import { lumpableWith } from "./_lumping.ts";
import { compileNmodl } from "./compile.ts";

function ir(text: string) {
  const r = compileNmodl(text, { file: "syn.mod" });
  if (!r.ok) throw r.error;
  return r.mechanism.ir;
}

/** A dual-exponential synapse with depression d (decay per event) and a Mg block. */
const SYN = `NEURON { POINT_PROCESS syn NONSPECIFIC_CURRENT i RANGE e, decay, g, tau1, tau2, taud }
  PARAMETER { e = 0 (mV) tau1 = 0.5 (ms) tau2 = 5 (ms) decay = 0.5 taud = 100 (ms) }
  ASSIGNED { v (mV) i (nA) g }
  STATE { A B d }
  INITIAL { A = 0 B = 0 d = 1 }
  BREAKPOINT { SOLVE st METHOD cnexp
    g = (B - A)/(1 + 0.25*exp(-0.08*v))
    i = g*(v - e) }
  DERIVATIVE st { A' = -A/tau1 B' = -B/tau2 d' = (1 - d)/taud }
  NET_RECEIVE (w) { A = A + w*d B = B + w*d d = d*decay }`;

Deno.test("lumpableWith(): a linear synapse merges; depression that acts does not", () => {
  const m = ir(SYN);
  assert.equal(lumpableWith(m, { decay: 1 }), true, "d stays 1: events just add");
  assert.equal(lumpableWith(m, {}), false, "decay 0.5: d changes with every event");
  assert.equal(lumpableWith(m, { decay: 0.5 }), false);
});

Deno.test("lumpableWith(): affine currents, state-dependent increments and self events do not merge", () => {
  assert.equal(
    lumpableWith(ir(SYN.replace("i = g*(v - e)", "i = g*(v - e) + 0.001")), { decay: 1 }),
    false,
  );
  assert.equal(lumpableWith(ir(SYN.replace("A = A + w*d", "A = A + w*A")), { decay: 1 }), false);
  assert.equal(
    lumpableWith(ir(SYN.replace("d = d*decay }", "d = d*decay net_send(1, 1) }")), { decay: 1 }),
    false,
  );
  // A state that does not start at its resting value.
  assert.equal(lumpableWith(ir(SYN.replace("A = 0 B = 0", "A = 1 B = 0")), { decay: 1 }), false);
});
