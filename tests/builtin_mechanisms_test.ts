/**
 * Our NMODL descriptions of the built-in mechanisms (solver/mechanisms/builtin/, compiled by the
 * NMODL compiler) against the hand-written reference kernels they replace: the same fields, and
 * in exact mode the same values after INITIAL, one current evaluation and one state step at 400
 * voltages (and calcium levels) spread over [−120, 60] mV, and for the synapses after events.
 *
 * Tolerance: 1e-12 relative (plus 1e-300 absolute). Both sides transcribe the same equations in
 * NMODL operation order; what may differ is NEURON's clamped `exp` (equal in this range) and
 * the order of a few products, i.e. a few units in the last place.
 *
 * @module
 */
import assert from "node:assert/strict";
import { SYNAPSE_MECHANISMS } from "../network/mod.ts";
import { GABA_SYN, GLUTAMATE_SYN } from "../network/synapses/mod.ts";
import { builtinDensityMechanisms, builtinPointMechanisms } from "../solver/builtin_mechanisms.ts";
import { makeNodes, prepareContext } from "../solver/mechanisms/_testing.ts";
import { allocateInstances } from "../solver/mechanisms/_types.ts";
import type { Mechanism, NodeArrays } from "../solver/mechanisms/_types.ts";
import { DENSITY_MECHANISMS, POINT_MECHANISMS } from "../solver/mechanisms/mod.ts";

const REL = 1e-12;
const N = 400;

function nodes(): NodeArrays {
  const n = makeNodes(N, { area: 250 });
  for (let k = 0; k < N; k++) {
    n.v[k] = -120 + (180 * k) / (N - 1) + 1e-3 * Math.sin(k);
    n.cai[k] = 1e-5 * Math.exp(8 * (k / N)); // 1e-5 … 3e-2 mM
    n.ica[k] = -1e-3 * (k / N);
    n.t = 2.5;
  }
  return n;
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= REL * Math.max(Math.abs(a), Math.abs(b)) + 1e-300;
}

/** Runs init, netReceive (points), current, advance on both entries; returns the differing values. */
function compare(compiled: Mechanism, reference: Mechanism): string[] {
  const bad: string[] = [];
  const node = Int32Array.from({ length: N }, (_, k) => k);
  const nc = nodes(), nr = nodes();
  const sc = allocateInstances(compiled, node), sr = allocateInstances(reference, node);
  for (const [name, info] of Object.entries(reference.parameters)) {
    // Parameters off their defaults (positive time constants stay positive).
    const f = info.min !== undefined ? 1.5 : 1.25;
    sc.fields[name].fill(info.default * f);
    sr.fields[name].fill(info.default * f);
  }
  compiled.prepare(sc, prepareContext(nc));
  reference.prepare(sr, prepareContext(nr));
  const check = (what: string) => {
    for (const name of [...reference.states, ...reference.assigned]) {
      for (let k = 0; k < N; k++) {
        if (!close(sc.fields[name][k], sr.fields[name][k])) {
          bad.push(`${what} ${name}[${k}]: ${sc.fields[name][k]} vs ${sr.fields[name][k]}`);
          break;
        }
      }
    }
    for (const a of ["i", "g", "cai", "ica"] as const) {
      for (let k = 0; k < N; k++) {
        if (!close(nc[a][k], nr[a][k])) {
          bad.push(`${what} node ${a}[${k}]: ${nc[a][k]} vs ${nr[a][k]}`);
          break;
        }
      }
    }
  };
  compiled.init(sc, nc);
  reference.init(sr, nr);
  check("init");
  if (compiled.kind === "point" && reference.kind === "point" && reference.netReceive) {
    const w = new Float64Array([1.5, 1.25]);
    for (let k = 0; k < N; k += 3) {
      compiled.netReceive!(sc, k, w, 0, nc);
      reference.netReceive(sr, k, w, 0, nr);
    }
    check("netReceive");
  }
  compiled.current(sc, nc);
  reference.current(sr, nr);
  check("current");
  for (let step = 0; step < 3; step++) {
    compiled.advance(sc, nc);
    reference.advance(sr, nr);
  }
  check("advance");
  return bad;
}

Deno.test("built-in descriptions list the reference entries' parameters, states and assigned variables", () => {
  const compiled = [
    ...builtinDensityMechanisms(),
    ...builtinPointMechanisms(),
    ...SYNAPSE_MECHANISMS,
  ];
  const refs = [...DENSITY_MECHANISMS, ...POINT_MECHANISMS, GABA_SYN, GLUTAMATE_SYN];
  assert.deepEqual(compiled.map((m) => m.name).sort(), refs.map((m) => m.name).sort());
  for (const m of compiled) {
    const r = refs.find((x) => x.name === m.name)!;
    assert.ok(m.ir !== undefined, `${m.name} carries its IR`);
    assert.deepEqual(m.parameters, r.parameters, `${m.name} parameters`);
    assert.deepEqual(m.globals, r.globals, `${m.name} globals`);
    assert.deepEqual(m.states, r.states, `${m.name} states`);
    assert.deepEqual([...m.assigned].sort(), [...r.assigned].sort(), `${m.name} assigned`);
    assert.equal(m.check, r.check, `${m.name} check`);
  }
});

for (const ref of [...DENSITY_MECHANISMS, ...POINT_MECHANISMS, GABA_SYN, GLUTAMATE_SYN]) {
  Deno.test(`built-in description of ${ref.name} equals the hand-written kernels to 1e-12 (exact mode)`, () => {
    const compiled = [
      ...builtinDensityMechanisms(),
      ...builtinPointMechanisms(),
      ...SYNAPSE_MECHANISMS,
    ].find((m) => m.name === ref.name)!;
    const bad = compare(compiled, ref);
    assert.deepEqual(bad, [], `${ref.name}: ${bad.slice(0, 5).join("; ")}`);
  });
}
