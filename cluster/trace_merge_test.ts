import assert from "node:assert/strict";
import { CampaignError } from "./campaign_error.ts";
import { mergeTraceFiles } from "./trace_merge.ts";

async function withDir(fn: (d: string) => Promise<void>): Promise<void> {
  const d = await Deno.makeTempDir({ prefix: "simrun_trace_merge_" });
  try {
    await fn(d);
  } finally {
    await Deno.remove(d, { recursive: true });
  }
}

Deno.test("mergeTraceFiles() joins columns in input order and keeps every byte", async () => {
  await withDir(async (d) => {
    await Deno.writeTextFile(
      `${d}/a`,
      "t\tVm run 00\tVm run 01\n0.0\t-75.0\t-75.0\n0.025\t-74.99\t-74.98\n",
    );
    await Deno.writeTextFile(`${d}/b`, "t\tVm run 02\n0.0\t-75.0\n0.025\t1e-05\n");
    await Deno.writeTextFile(`${d}/c`, "t\tVm run 03\n0.0\t-70.5\n0.025\t-70.25\n");
    const rows = await mergeTraceFiles([`${d}/a`, `${d}/b`, `${d}/c`], `${d}/m`);
    assert.equal(rows, 2);
    assert.equal(
      await Deno.readTextFile(`${d}/m`),
      "t\tVm run 00\tVm run 01\tVm run 02\tVm run 03\n" +
        "0.0\t-75.0\t-75.0\t-75.0\t-70.5\n0.025\t-74.99\t-74.98\t1e-05\t-70.25\n",
    );
  });
});

Deno.test("mergeTraceFiles() streams files larger than its 1 MiB buffers", async () => {
  await withDir(async (d) => {
    const n = 60_000;
    const mk = (run: string, v: string) =>
      `t\tVm run ${run}\n` +
      Array.from({ length: n }, (_, k) => `${k * 0.025}\t${v}${k}\n`).join("");
    await Deno.writeTextFile(`${d}/a`, mk("00", "-1."));
    await Deno.writeTextFile(`${d}/b`, mk("01", "-2."));
    assert.equal(await mergeTraceFiles([`${d}/a`, `${d}/b`], `${d}/m`), n);
    const lines = (await Deno.readTextFile(`${d}/m`)).split("\n");
    assert.equal(lines.length, n + 2);
    assert.equal(lines[n], `${(n - 1) * 0.025}\t-1.${n - 1}\t-2.${n - 1}`);
  });
});

Deno.test("mergeTraceFiles() refuses different t columns, row counts and cut files", async () => {
  await withDir(async (d) => {
    await Deno.writeTextFile(`${d}/a`, "t\tVm run 00\n0.0\t-75.0\n0.025\t-74.0\n");
    await Deno.writeTextFile(`${d}/t`, "t\tVm run 01\n0.0\t-75.0\n0.05\t-74.0\n");
    await Deno.writeTextFile(`${d}/short`, "t\tVm run 01\n0.0\t-75.0\n");
    await Deno.writeTextFile(`${d}/cut`, "t\tVm run 01\n0.0\t-75.0\n0.025\t-7");
    await assert.rejects(
      () => mergeTraceFiles([`${d}/a`, `${d}/t`], `${d}/m1`),
      CampaignError,
      "row 2",
    );
    await assert.rejects(() => mergeTraceFiles([`${d}/a`, `${d}/short`], `${d}/m2`), /fewer rows/);
    await assert.rejects(() => mergeTraceFiles([`${d}/a`, `${d}/cut`], `${d}/m3`), /no newline/);
    // Never overwrites.
    await Deno.writeTextFile(`${d}/m4`, "x");
    await assert.rejects(() => mergeTraceFiles([`${d}/a`], `${d}/m4`), Deno.errors.AlreadyExists);
  });
});
