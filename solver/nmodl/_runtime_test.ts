import assert from "node:assert/strict";
import { fmax, fmin, newtonSolve, newtonWorkspace } from "./_runtime.ts";

Deno.test("newtonSolve() finds the root of a nonlinear system (scopmath's Newton)", () => {
  const x = new Float64Array([1, 1]);
  const value = new Float64Array(2);
  // x0² + x1² = 4, x0 = x1 → (√2, √2)
  const evaluate = () => {
    value[0] = x[0] * x[0] + x[1] * x[1] - 4;
    value[1] = x[0] - x[1];
  };
  evaluate();
  const err = newtonSolve(newtonWorkspace(2), x, value, evaluate);
  assert.equal(err, 0);
  assert.ok(Math.abs(x[0] - Math.SQRT2) < 1e-9 && Math.abs(x[1] - Math.SQRT2) < 1e-9, `${x}`);
});

Deno.test("newtonSolve() reports a singular Jacobian", () => {
  const x = new Float64Array([1, 1]);
  const value = new Float64Array(2);
  const evaluate = () => {
    value[0] = 1;
    value[1] = 2;
  };
  evaluate();
  assert.equal(newtonSolve(newtonWorkspace(2), x, value, evaluate), 2);
});

Deno.test("fmin()/fmax() ignore a NaN argument as C does", () => {
  assert.equal(fmin(NaN, 2), 2);
  assert.equal(fmax(3, NaN), 3);
  assert.equal(fmin(1, 2), 1);
  assert.equal(fmax(1, 2), 2);
});
