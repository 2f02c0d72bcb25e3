import assert from "node:assert/strict";
import { formatDuration, Progress } from "./progress.ts";

Deno.test("Progress in lines mode prints at most once per interval plus a final line", () => {
  const out: string[] = [];
  let t = 0;
  const p = new Progress({
    jobs: 2,
    totalSweeps: 4,
    mode: "lines",
    write: (s) => out.push(s),
    now: () => t,
    intervalMs: 1000,
  });
  t = 500;
  p.sweepDone(); // first line is always shown
  t = 900;
  p.sweepDone(); // within the interval: suppressed
  t = 2000;
  p.sweepDone();
  p.jobDone();
  p.finish();
  assert.equal(out.length, 3);
  assert.match(out[0]!, /^simrun: jobs 0\/2 done, sweeps 1\/4, 2\.00 sweeps\/s, ETA 2 s\n$/);
  assert.match(out[2]!, /jobs 1\/2 done, sweeps 3\/4, 1\.50 sweeps\/s, ETA 1 s\n$/);
});

Deno.test("Progress in tty mode redraws one line; quiet prints nothing", () => {
  const out: string[] = [];
  const p = new Progress({
    jobs: 1,
    totalSweeps: 1,
    mode: "tty",
    write: (s) => out.push(s),
    now: () => 1,
  });
  p.sweepDone();
  p.finish();
  assert.ok(out.every((s) => s.startsWith("\r\x1b[K") || s === "\n"));
  assert.equal(out.at(-1), "\n");
  const q: string[] = [];
  const quiet = new Progress({ jobs: 1, totalSweeps: 1, mode: "quiet", write: (s) => q.push(s) });
  quiet.sweepDone();
  quiet.finish();
  assert.deepEqual(q, []);
});

Deno.test("formatDuration() picks units", () => {
  assert.equal(formatDuration(42.4), "42 s");
  assert.equal(formatDuration(185), "3 min 5 s");
  assert.equal(formatDuration(3720), "1 h 2 min");
  assert.equal(formatDuration(Infinity), "?");
});
