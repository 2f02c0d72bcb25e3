import assert from "node:assert/strict";
import { compileNmodl } from "./compile.ts";

const HH = `
NEURON { SUFFIX hhx USEION na READ ena WRITE ina RANGE gbar }
PARAMETER { gbar = 0.12 (S/cm2) }
ASSIGNED { v (mV) ena (mV) ina (mA/cm2) minf mtau (ms) }
STATE { m }
BREAKPOINT { SOLVE st METHOD cnexp ina = gbar*m*m*m*(v - ena) }
INITIAL { rates(v) m = minf }
DERIVATIVE st { rates(v) m' = (minf - m)/mtau }
PROCEDURE rates(v (mV)) {
  minf = 1/(1 + exp(-(v + 40)/5))
  mtau = 0.5
}`;

Deno.test("compileNmodl() returns the mechanism and its IR for a valid file", () => {
  const r = compileNmodl(HH, { file: "hhx.mod" });
  if (!r.ok) throw r.error;
  const m = r.mechanism;
  assert.equal(m.kind, "density");
  assert.deepEqual(m.ir.ions, [{ ion: "na", valence: undefined, reads: ["ena"], writes: ["ina"] }]);
  // ina is affine in v: dI/dV in closed form.
  assert.ok(m.ir.current?.conductance !== undefined);
  // minf/mtau are written before read in every kernel and invisible: kept in registers.
  assert.ok(!m.kernels.source.includes("f1[k] ="), m.kernels.source);
});

Deno.test("compileNmodl() gives a structured error (file, line, column, construct)", () => {
  const r = compileNmodl(HH.replace("mtau = 0.5", "mtau = tau_unknown"), { file: "hhx.mod" });
  assert.ok(!r.ok);
  assert.equal(r.error.file, "hhx.mod");
  assert.equal(r.error.line, 11);
  assert.equal(r.error.column, 10);
  assert.equal(r.error.key, "name");
  assert.equal(r.error.message, 'hhx.mod:11:10: Unknown name "tau_unknown"');
});

Deno.test("compileNmodl() falls back from cnexp to derivimplicit as nocmodl, with a note", () => {
  const r = compileNmodl(
    `NEURON { SUFFIX fb } STATE { x } INITIAL { x = 1 }
     BREAKPOINT { SOLVE st METHOD cnexp }
     DERIVATIVE st { x' = -exp(x) }`,
    { file: "fb.mod" },
  );
  if (!r.ok) throw r.error;
  assert.match(r.mechanism.warnings.join("\n"), /fb\.mod:3: Could not translate st using cnexp/);
  assert.ok(r.mechanism.ir.advance.body.some((s) => s.op === "newton"));
});

Deno.test("compileNmodl() refuses STEADYSTATE derivimplicit of a derivimplicit block (NEURON cannot compile it)", () => {
  const r = compileNmodl(
    `NEURON { SUFFIX ss } STATE { x } INITIAL { SOLVE st STEADYSTATE derivimplicit }
     BREAKPOINT { SOLVE st METHOD derivimplicit }
     DERIVATIVE st { x' = 1 - x*x }`,
    { file: "ss.mod" },
  );
  assert.ok(!r.ok);
  assert.match(r.error.message, /^ss\.mod:1:44: STEADYSTATE derivimplicit of st/);
});

Deno.test("compileNmodl() uses the numeric difference quotient when asked", () => {
  const r = compileNmodl(HH, { file: "hhx.mod", conductance: "numeric" });
  if (!r.ok) throw r.error;
  assert.match(r.mechanism.kernels.source, /g = \(g - rhs\) \/ 0\.001;/);
});
