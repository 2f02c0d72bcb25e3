import assert from "node:assert/strict";
import { InputSyntaxError } from "../io/mod.ts";
import { scanTraceFile } from "./trace_reader.ts";

async function withFile(text: string, fn: (file: string) => Promise<void>): Promise<void> {
  const f = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(f, text);
    await fn(f);
  } finally {
    await Deno.remove(f);
  }
}

Deno.test("scanTraceFile() finds upward 0 mV crossings at the first sample >= 0 in every column", async () => {
  const text = "t\tVm run 00\tVm run 01\n" +
    "0.0\t1.0\t-70.0\n" + // sweep 0 starts above 0: no crossing
    "0.025\t-5.0\t0.0\n" + // sweep 1 reaches exactly 0: a crossing
    "0.05\t30.0\t10.0\n" + // sweep 0 crosses
    "0.075\t-1.0\t-0.5\n" +
    "0.1\t-1.0\tnan\n" + // nan is skipped: -0.5 stays the predecessor of 3.0
    "0.125\t2.0\t3.0\n";
  await withFile(text, async (f) => {
    const s = await scanTraceFile(f);
    assert.deepEqual(s.sweeps, [0, 1]);
    assert.deepEqual(s.spikes[0].times, [0.05, 0.125]);
    assert.deepEqual(s.spikes[0].values, [30, 2]);
    assert.deepEqual(s.spikes[1].times, [0.025, 0.125]);
    assert.equal(s.rows, 6);
    assert.equal(s.t0, 0);
    assert.equal(s.t1, 0.125);
  });
});

Deno.test("scanTraceFile() envelopes keep each bin's minimum and maximum in time order", async () => {
  const rows = ["t\tVm run 07"];
  for (let k = 0; k < 1000; k++) rows.push(`${k * 0.025}\t${k === 501 ? 40 : -70 + (k % 3)}`);
  await withFile(rows.join("\r\n") + "\r\n", async (f) => {
    const s = await scanTraceFile(f, { select: (sweep) => sweep === 7, bins: 10 });
    assert.equal(s.envelopes.length, 1);
    const e = s.envelopes[0];
    assert.equal(e.sweep, 7);
    assert.ok(e.t.length <= 20, `at most two points per bin, got ${e.t.length}`);
    assert.equal(Math.max(...e.v), 40, "the peak survives downsampling");
    assert.equal(Math.min(...e.v), -70);
    for (let k = 1; k < e.t.length; k++) assert.ok(e.t[k] > e.t[k - 1], "time order");
  });
});

Deno.test("scanTraceFile() names file and line of a short row and of a value that is not a number", async () => {
  await withFile("t\tVm run 00\tVm run 01\n0.0\t-70.0\t-70.0\n0.025\t-70.0\n", async (f) => {
    await assert.rejects(scanTraceFile(f), (e: unknown) => {
      assert.ok(e instanceof InputSyntaxError);
      assert.equal(e.line, 3);
      assert.match(e.message, /Expected 3 tab-separated fields/);
      return true;
    });
  });
  await withFile("t\tVm run 00\n0.0\t-70.0\n0.025\t-7O.0\n", async (f) => {
    await assert.rejects(
      scanTraceFile(f),
      /:3: Cannot read a trace value: expected a number, got "-7O\.0"/,
    );
  });
  await withFile("time\tV\n0.0\t-70.0\n", async (f) => {
    await assert.rejects(scanTraceFile(f), /:1: Expected a header/);
  });
});
