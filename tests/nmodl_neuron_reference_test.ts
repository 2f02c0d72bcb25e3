/**
 * Compiled `.mod` files against NEURON 8.2.2 itself: every protocol of
 * solver/nmodl/testdata/neuron/ (generate_neuron_fixtures.py: ISF's channels and synapses, and
 * test mechanisms for KINETIC/sparse, derivimplicit, TABLE, net_send, NET_RECEIVE INITIAL,
 * units, point-process ion currents, electrode currents and nocmodl's cnexp quirks) runs through
 * the solver's catalogue path (prepareModel → runSweep) with the compiled kernels, in exact mode.
 *
 * @module
 */
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import {
  type Fixture,
  fixtureRunnable,
  loadFixture,
  maxAbsDiff,
  runFixture,
} from "./_nmodl_harness.ts";
import { fromFileUrl } from "./_url.ts";

/**
 * Voltage bar: 1e-8 mV. Generated code follows nocmodl's operation order, so what remains is
 * the last-bit difference of glibc's exp/pow against V8's, amplified on spike upstrokes:
 * measured ≤ 7.2e-10 mV (natg_shifted), ≤ 1e-12 mV without spikes. NEURON's traces are stored
 * with full double precision.
 */
const MAX_ABS_DV_MV = 1e-8;
/** Other variables (states, concentrations, currents): 1e-9 of the trace's largest magnitude. */
const MAX_REL_DIFF = 1e-9;

const NEURON_DIR = fromFileUrl(new URL("../solver/nmodl/testdata/neuron/", import.meta.url));
const names = readdirSync(NEURON_DIR).filter((f) => f.endsWith(".json") && !f.startsWith("release"))
  .map((f) => f.replace(/\.json$/, "")).sort();

function check(f: Fixture, conductance: "analytic" | "numeric"): string[] {
  const run = runFixture(f, { conductance });
  assert.equal(run.samples, f.samples, "sample count differs from NEURON's");
  const lines: string[] = [];
  f.record.forEach((rec, j) => {
    const ref = f.traces[j];
    const scale = Math.max(...ref.map(Math.abs));
    // A recorded variable that never moves would make the comparison vacuous; t_ssd2's state is
    // only set by INITIAL's steady state (from 0.1), so it must have left its start value.
    if (rec.var === "x_t_ssd2") assert.ok(ref[0] !== 0.1, "steady state not solved");
    else assert.ok(ref.some((x) => x !== ref[0]), `${rec.var}: NEURON's trace is constant`);
    if (rec.var === "eca") {
      // NEURON records eca before the next step's ion update, simrun after the state update:
      // compare the value after finitialize (Nernst of the INITIAL block's cai).
      assert.ok(
        Math.abs(run.traces[j][0] - ref[0]) <= 1e-12 * scale,
        `eca after finitialize: ${run.traces[j][0]} vs NEURON ${ref[0]}`,
      );
      return;
    }
    const d = maxAbsDiff(run.traces[j], ref, f.t);
    const bar = rec.var === "v" ? MAX_ABS_DV_MV : MAX_REL_DIFF * scale;
    lines.push(`${rec.var}@${rec.section}(${rec.x}) ${d.worst.toExponential(2)}`);
    assert.ok(
      d.worst <= bar,
      `${f.name} (${conductance}) ${rec.var}@${rec.section}(${rec.x}): max |Δ| ${d.worst} at t=${d.at} ms > ${bar}`,
    );
  });
  return lines;
}

for (const name of names) {
  const f = loadFixture(name);
  Deno.test({
    name: `compiled mechanisms match NEURON 8.2.2 on ${name} (|ΔV| ≤ ${MAX_ABS_DV_MV} mV)`,
    ignore: !fixtureRunnable(f),
    fn() {
      console.log(`${name}: ${check(f, "analytic").join("; ")}`);
    },
  });
}

Deno.test({
  name: "compiled Hay channels match NEURON with NEURON's numeric dI/dV too",
  ignore: !fixtureRunnable(loadFixture("hay_two_compartments")),
  fn() {
    console.log(`numeric: ${check(loadFixture("hay_two_compartments"), "numeric").join("; ")}`);
  },
});

Deno.test({
  name: "CaDynamics_E2_v2: cai starts at minCai (INITIAL) and eca follows it at finitialize",
  ignore: !fixtureRunnable(loadFixture("cadynamics_e2_v2")),
  fn() {
    const f = loadFixture("cadynamics_e2_v2");
    const run = runFixture(f);
    const cai = f.record.findIndex((r) => r.var === "cai");
    const eca = f.record.findIndex((r) => r.var === "eca");
    assert.equal(run.traces[cai][0], 2e-4, "cai after finitialize = minCai");
    assert.equal(f.traces[cai][0], 2e-4, "NEURON: cai after finitialize = minCai");
    // Nernst at 34 °C with modern constants: (k_T/2)·ln(2/2e-4).
    const kT = 1000 * 8.31446261815324 * (34 + 273.15) / 96485.33212331001;
    assert.ok(Math.abs(run.traces[eca][0] - (kT / 2) * Math.log(2 / 2e-4)) < 1e-12);
  },
});
