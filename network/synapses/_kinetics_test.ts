import assert from "node:assert/strict";
import { decayFactor, paramOrDefault, peakFactor } from "./_kinetics.ts";
import { GABA_SYN } from "./gaba_syn.ts";

Deno.test("peakFactor() gives the spec's normalisation factors (mechanisms.md §4)", () => {
  // NEURON's values; Math.exp/log may differ from glibc by an ulp: 1e-15 relative.
  for (const [decay, rise, want] of [[20, 1, 1.2323999091818731], [26, 2, 1.3415001295600049]]) {
    assert.ok(Math.abs(peakFactor(decay, rise) / want - 1) <= 1e-15, `${decay}/${rise}`);
  }
  // The peak of e^(−t/τd) − e^(−t/τr), scaled by the factor, is 1 (sampled on 1e-4 ms).
  let peak = 0;
  for (let t = 0; t < 10; t += 1e-4) peak = Math.max(peak, Math.exp(-t / 20) - Math.exp(-t));
  // Sampling misses the peak by ≈ |f''|·h²/8 with h = 1e-4 ms and |f''| ≤ 1 /ms²: ≤ 1.3e-9.
  assert.ok(Math.abs(peak * peakFactor(20, 1) - 1) <= 1e-8);
});

Deno.test("decayFactor() and paramOrDefault()", () => {
  assert.equal(decayFactor(2, 0.025), 1 - Math.exp(0.025 * (-1.0 / 2)));
  assert.equal(paramOrDefault(GABA_SYN, { decaygaba: 1 }, "decaygaba"), 1);
  assert.equal(paramOrDefault(GABA_SYN, {}, "decaygaba"), 0.8);
});
