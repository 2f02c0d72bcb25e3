/**
 * The step loop allocates nothing (DEVELOPERS.md: "the hot loop allocates nothing"): on the
 * example pyramid with every Hay channel, both synapse mechanisms receiving events and recorded
 * probes, a sweep of more steps allocates no more JavaScript heap than a shorter one, once the
 * code is optimized. V8's `total_allocated_bytes` counts every heap allocation (a double boxed
 * as a HeapNumber, a closure, an array); the trace arrays' backing stores live outside the heap.
 *
 * Before optimization V8's interpreter boxes doubles, so the first sweep of a process allocates
 * about 1 KB per step until the kernels are compiled (scavenges during a process's first sweep
 * come from there and from the sweep's set-up, not from the optimized loop).
 *
 * @module
 */
import assert from "node:assert/strict";
import v8 from "node:v8";
import { parsePathMap } from "../io/mod.ts";
import { createCell } from "../simrun/mod.ts";
import { GABA_SYN, GLUTAMATE_SYN } from "../network/mod.ts";
import {
  type ModelSettings,
  prepareModel,
  resolveProbes,
  runSweep,
  type SynapticInput,
} from "../solver/mod.ts";
import { repoDir } from "./_shared.ts";

/**
 * Fast mode: bound on heap bytes per step of the loop. A loop that boxed one double per step
 * (the step time as an on-stack-replaced loop variable did) allocates 16 B per step; the bound is
 * half of that. The counter moves in steps of V8's allocation buffers: one reading of it shows
 * 70–270 KB more than the one before even with nothing allocated between them, so the window
 * spans 78,000 steps (≤ 3.5 B per step of that noise) and the least of several sweeps is taken.
 */
const FAST_MAX_BYTES_PER_STEP = 8;

/**
 * Exact mode: bound on heap bytes per mechanism instance and step. A kernel that boxes its rate
 * results (the exact channel kernels stored m∞, τm, h∞, τh in module variables) allocates 64 B per
 * instance and step; short sweeps keep this test fast, so the bound is looser per step (and
 * still 640 times below that).
 */
const EXACT_MAX_BYTES_PER_INSTANCE_STEP = 0.1;

function allocatedBytes(): number {
  // V8 reports it; Node's type declarations predate the field.
  const bytes = (v8.getHeapStatistics() as { total_allocated_bytes?: number })
    .total_allocated_bytes;
  if (bytes === undefined) throw new Error("V8 does not report total_allocated_bytes");
  return bytes;
}

/** Synapses of both kinds on the soma and dendrites, 20 events per 400 ms each. */
function synapses(tStop: number): SynapticInput[] {
  const out: SynapticInput[] = [];
  for (let s = 0; s < 40; s++) {
    const glu = s % 4 !== 0;
    out.push({
      mechanism: glu ? GLUTAMATE_SYN : GABA_SYN,
      section: s % 7,
      x: ((s * 37) % 100) / 100,
      params: glu ? { decayampa: 1, decaynmda: 1, facilampa: 0, facilnmda: 0 } : {},
      weights: glu ? [0.5, 0.5] : [0.4],
      eventTimes: Float64Array.from({ length: tStop / 20 }, (_, k) => 3 + 19.7 * k + 0.31 * s),
    });
  }
  return out;
}

/**
 * Heap bytes per step of the step loop alone: the progress callback (every 1,000 steps) reads
 * the allocation counter after step 1,000 and after the last step, so the sweep's set-up and
 * results are outside the window. The least of `runs` sweeps after `runs` warm-up sweeps.
 */
async function loopBytesPerStep(
  settings: ModelSettings,
  runs: number,
): Promise<{ perStep: number; instances: number }> {
  const { cell } = await createCell(`${repoDir()}/examples/model/example_pyramid.param`, {
    pathMap: parsePathMap([]),
    resolveRecordingSites: false,
  });
  const model = prepareModel(cell, settings);
  const probes = resolveProbes(model, [
    { section: 3, x: 0.5 },
    { section: 0, x: 0.5, variable: "cai" },
    { section: 0, x: 0.5, variable: "m_NaTa_t" },
  ]);
  const inputs = synapses(settings.tStop);
  let from = 0, to = 0;
  const onProgress = (done: number, total: number) => {
    if (done === 1000) from = allocatedBytes();
    else if (done === total) to = allocatedBytes();
  };
  let perStep = Infinity;
  for (let r = 0; r < 2 * runs; r++) {
    runSweep(model, inputs, { probes, onProgress });
    if (r >= runs) perStep = Math.min(perStep, (to - from) / (model.steps - 1000));
  }
  const instances = model.lowered.mechanisms.reduce((n, m) => n + m.instances.node.length, 0);
  return { perStep, instances };
}

const SETTINGS = { vInit: -75, dt: 0.025, celsius: 34, units: "modern" } as const;

Deno.test("runSweep() step loop allocates nothing once optimized (fast mode)", async () => {
  const { perStep } = await loopBytesPerStep({ ...SETTINGS, tStop: 2000, rateTables: true }, 3);
  console.log(`fast mode: ${perStep.toFixed(3)} B of heap per step`);
  assert.ok(
    perStep <= FAST_MAX_BYTES_PER_STEP,
    `${perStep.toFixed(2)} B allocated per step > ${FAST_MAX_BYTES_PER_STEP} B`,
  );
});

Deno.test("runSweep() step loop allocates nothing once optimized (exact mode)", async () => {
  const { perStep, instances } = await loopBytesPerStep(
    { ...SETTINGS, tStop: 200, rateTables: false },
    3,
  );
  const perInstance = perStep / instances;
  console.log(
    `exact mode: ${perStep.toFixed(3)} B of heap per step, ${instances} instances: ` +
      `${perInstance.toFixed(5)} B per instance-step`,
  );
  assert.ok(
    perInstance <= EXACT_MAX_BYTES_PER_INSTANCE_STEP,
    `${
      perInstance.toFixed(4)
    } B allocated per instance-step > ${EXACT_MAX_BYTES_PER_INSTANCE_STEP} B`,
  );
});

Deno.test("allocatedBytes() sees a loop that boxes one double per step", () => {
  // The probe of the tests above, checked on a loop known to allocate: a double stored in an
  // object that escapes is a heap object (≥ 16 B).
  const kept: { t: number }[] = [];
  for (let k = 0; k < 1000; k++) kept.push({ t: k * 0.025 }); // warm-up
  kept.length = 0;
  const a = allocatedBytes();
  for (let k = 0; k < 8000; k++) kept.push({ t: k * 0.025 + 0.5 });
  const perStep = (allocatedBytes() - a) / 8000;
  assert.equal(kept.length, 8000);
  assert.ok(perStep >= 16, `${perStep} B per boxed step`);
});
