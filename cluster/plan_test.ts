import assert from "node:assert/strict";
import { arrayRanges, planArrays, planTasks } from "./plan.ts";

Deno.test("planTasks() cuts each job into ranges of at most K sweeps, job after job", () => {
  const t = planTasks([11, 22], 5, 2);
  assert.deepEqual(
    t.map((x) => [x.index, x.job, x.seed, x.start, x.end]),
    [[0, 0, 11, 0, 2], [1, 0, 11, 2, 4], [2, 0, 11, 4, 5], [3, 1, 22, 0, 2], [4, 1, 22, 2, 4], [
      5,
      1,
      22,
      4,
      5,
    ]],
  );
});

Deno.test("planTasks() with K >= nSweeps gives one task per job; rejects K < 1", () => {
  assert.deepEqual(planTasks([1, 2, 3], 4, 9).map((x) => [x.start, x.end]), [[0, 4], [0, 4], [
    0,
    4,
  ]]);
  assert.throws(() => planTasks([1], 4, 0), RangeError);
  assert.throws(() => planTasks([1], 0, 1), RangeError);
});

Deno.test("planTasks() covers every sweep of every job exactly once", () => {
  for (const [n, k] of [[1, 1], [7, 3], [12, 5], [1000, 7]]) {
    const seen = new Map<number, number[]>();
    for (const t of planTasks([5, 6], n!, k!)) {
      assert.ok(t.end - t.start <= k! && t.end > t.start);
      for (let s = t.start; s < t.end; s++) {
        seen.set(t.job * n! + s, [...(seen.get(t.job * n! + s) ?? []), t.index]);
      }
    }
    assert.equal(seen.size, 2 * n!);
    assert.ok([...seen.values()].every((v) => v.length === 1));
  }
});

Deno.test("arrayRanges() writes runs as a-b and single values alone", () => {
  assert.equal(arrayRanges([0]), "0");
  assert.equal(arrayRanges([3, 1, 2, 7, 5]), "1-3,5,7");
  assert.equal(arrayRanges([]), "");
});

Deno.test("planArrays() keeps every array index below MaxArraySize, with offsets", () => {
  const tasks = Array.from({ length: 2500 }, (_, i) => i);
  const arrays = planArrays(tasks, 1001, 50);
  assert.deepEqual(arrays.map((a) => [a.offset, a.array]), [
    [0, "0-1000%50"],
    [1001, "0-1000%50"],
    [2002, "0-497%50"],
  ]);
  assert.deepEqual(arrays.flatMap((a) => a.tasks), tasks);
});

Deno.test("planArrays() of scattered tasks (resume) lists only those, grouped by offset", () => {
  assert.deepEqual(planArrays([9, 1, 4, 5], 4), [
    { offset: 0, tasks: [1], array: "1" },
    { offset: 4, tasks: [4, 5], array: "0-1" },
    { offset: 8, tasks: [9], array: "1" },
  ]);
  assert.throws(() => planArrays([0], 0), RangeError);
});
