import assert from "node:assert/strict";
import { cnexpDecay, cnexpGate, cnexpStep } from "./_gate.ts";

Deno.test("cnexpStep() solves x' = a + b·x exactly for one step", () => {
  // x' = 2 − 0.5·x from x = 1 over dt = 0.3: x∞ = 4, x = 4 − 3·e^(−0.15).
  const want = 4 - 3 * Math.exp(-0.15);
  // A few ulp of 4 (ulp 8.9e-16): NEURON's operation order vs this closed form.
  assert.ok(Math.abs(cnexpStep(1, 2, -0.5, 0.3) - want) <= 1e-15 * 4);
});

Deno.test("cnexpGate() relaxes towards x∞ with time constant τ", () => {
  // x0 = 0.2, x∞ = 0.9, τ = 3 ms, dt = 0.025 ms.
  const want = 0.9 + (0.2 - 0.9) * Math.exp(-0.025 / 3);
  // About 2 ulp of 0.2 (ulp 2.8e-17 … 1.1e-16 near 0.2): operation order only.
  assert.ok(Math.abs(cnexpGate(0.2, 0.9, 3, 0.025) - want) <= 1e-16 * 4);
  // A gate at its steady state stays there (up to one rounding of x∞).
  assert.ok(Math.abs(cnexpGate(0.9, 0.9, 3, 0.025) - 0.9) <= 2e-16);
});

Deno.test("cnexpGate() keeps NEURON's operation order: dt·((−1)/τ) and −(x∞/τ)/((−1)/τ)", () => {
  const x = 0.123, inf = 0.456, tau = 7.89, dt = 0.025;
  const b = -1.0 / tau;
  const neuron = x + (1 - Math.exp(dt * b)) * (-(inf / tau) / b - x);
  assert.equal(cnexpGate(x, inf, tau, dt), neuron); // bit-identical by construction
});

Deno.test("cnexpDecay() decays by e^(−dt/τ)", () => {
  // A few ulp of 3·e^(−0.05) ≈ 2.85 (ulp 4.4e-16): NEURON's 1 − (1 − e^x) form rounds twice.
  assert.ok(Math.abs(cnexpDecay(3, 2, 0.1) - 3 * Math.exp(-0.05)) <= 3e-16 * 3);
  assert.equal(cnexpDecay(0, 2, 0.1), 0);
});
