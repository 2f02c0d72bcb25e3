import assert from "node:assert/strict";
import { analyze } from "./_analyze.ts";
import { planGateTables } from "./_gate_tables.ts";
import { optimize } from "./_optimize.ts";
import { parseNmodl } from "./_parser.ts";

function plan(text: string) {
  return planGateTables(optimize(analyze(parseNmodl(text, "g.mod"))));
}

Deno.test("planGateTables() tabulates voltage gates and a concentration gate", () => {
  const p = plan(`
    NEURON { SUFFIX g USEION k READ ek WRITE ik USEION ca READ cai RANGE gbar }
    PARAMETER { gbar = 0.01 ztau = 2 }
    ASSIGNED { v (mV) ek (mV) ik (mA/cm2) cai (mM) minf mtau zinf }
    STATE { m z }
    BREAKPOINT { SOLVE st METHOD cnexp ik = gbar*m*z*(v - ek) }
    DERIVATIVE st {
      minf = 1/(1 + exp(-(v + 30)/6)) mtau = 1 + exp(-v/20)
      zinf = cai/(cai + 0.001)
      m' = (minf - m)/mtau
      z' = (zinf - z)/ztau
    }`);
  assert.ok(p.ok, p.ok ? "" : p.reason);
  assert.deepEqual(p.gates.map((g) => g.over), ["v", "concentration"]);
});

Deno.test("planGateTables() refuses rates that depend on time, states or v and cai together", () => {
  const t = plan(`NEURON { SUFFIX g } ASSIGNED { v (mV) } STATE { m }
    BREAKPOINT { SOLVE st METHOD cnexp } DERIVATIVE st { m' = (t - m)/3 }`);
  assert.ok(!t.ok && /builtin:t/.test(t.reason), JSON.stringify(t));
  const both = plan(`NEURON { SUFFIX g USEION ca READ cai } ASSIGNED { v (mV) cai (mM) } STATE { m }
    BREAKPOINT { SOLVE st METHOD cnexp } DERIVATIVE st { m' = (cai*v - m)/3 }`);
  assert.ok(!both.ok && /v and a concentration/.test(both.reason), JSON.stringify(both));
  const other = plan(`NEURON { SUFFIX g } ASSIGNED { v (mV) } STATE { m n }
    BREAKPOINT { SOLVE st METHOD cnexp } DERIVATIVE st { m' = (n - m)/3 n' = -n }`);
  assert.ok(!other.ok, "a rate reading another state");
});
