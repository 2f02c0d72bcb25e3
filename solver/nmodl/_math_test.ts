import assert from "node:assert/strict";
import { MATH_FUNCTIONS, nrnExp } from "./_math.ts";

Deno.test("nrnExp() is NEURON's hoc_Exp: 0 below −700, exp(700) above 700", () => {
  assert.equal(nrnExp(-701), 0);
  assert.equal(nrnExp(701), Math.exp(700));
  assert.equal(nrnExp(1), Math.exp(1));
  assert.ok(Number.isNaN(nrnExp(NaN)));
});

Deno.test("MATH_FUNCTIONS: fmin/fmax ignore a NaN operand as C's do; fmod keeps the dividend's sign", () => {
  assert.equal(MATH_FUNCTIONS.fmin(NaN, 2), 2);
  assert.equal(MATH_FUNCTIONS.fmax(3, NaN), 3);
  assert.equal(MATH_FUNCTIONS.fmod(-7, 3), -1);
  assert.equal(MATH_FUNCTIONS.exp(-800), 0);
});
