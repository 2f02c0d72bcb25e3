import assert from "node:assert/strict";
import { analyze } from "./_analyze.ts";
import { foldExpr, optimize } from "./_optimize.ts";
import { parseNmodl } from "./_parser.ts";

Deno.test("foldExpr() folds constants with the kernels' own operations", () => {
  const e = foldExpr({
    op: "pow",
    a: { op: "const", value: 2.3 },
    b: {
      op: "div",
      a: { op: "sub", a: { op: "const", value: 34 }, b: { op: "const", value: 21 } },
      b: { op: "const", value: 10 },
    },
  });
  assert.deepEqual(e, { op: "const", value: Math.pow(2.3, (34 - 21) / 10) });
  assert.deepEqual(foldExpr({ op: "call", fn: "exp", args: [{ op: "const", value: 800 }] }), {
    op: "const",
    value: Math.exp(700),
  });
});

Deno.test("optimize() hoists parameter/dt-only expressions into prepare and keeps invisible ASSIGNED in locals", () => {
  const ir = optimize(analyze(parseNmodl(
    `NEURON { SUFFIX d RANGE tau, gbar NONSPECIFIC_CURRENT i }
     PARAMETER { tau = 5 (ms) gbar = 0.001 }
     ASSIGNED { v (mV) i (mA/cm2) xinf }
     STATE { x }
     INITIAL { x = 0 }
     BREAKPOINT { SOLVE st METHOD cnexp i = gbar*x*(v + 60) }
     DERIVATIVE st { xinf = 1/(1 + exp(-v/5)) x' = (xinf - x)/tau }`,
    "d.mod",
  )));
  // 1 − exp(dt·((−1)/tau)) and friends depend on tau and dt only.
  assert.ok(ir.prepare.body.length >= 2, JSON.stringify(ir.prepare.body));
  assert.ok(ir.fields.some((f) => f.name.startsWith("_derived") && f.role === "internal"));
  // xinf: written before read in every kernel, not RANGE → a local in advance.
  const xinf = ir.fields.findIndex((f) => f.name === "xinf");
  assert.ok(!JSON.stringify(ir.advance.body).includes(`"space":"field","index":${xinf}}`));
});
