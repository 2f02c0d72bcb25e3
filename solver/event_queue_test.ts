import assert from "node:assert/strict";
import { createEventQueue, dueUntil } from "./event_queue.ts";
import { InternalError } from "../io/mod.ts";

Deno.test("createEventQueue() merges sources by time and keeps source order on ties", () => {
  const q = createEventQueue([
    { target: 0, instance: 0, weightOffset: 0, times: new Float64Array([1, 2, 5]) },
    { target: 1, instance: 3, weightOffset: 2, times: new Float64Array([2, 4]) },
    { target: 0, instance: 1, weightOffset: 1, times: new Float64Array([]) },
  ]);
  assert.equal(q.length, 5);
  assert.deepEqual([...q.time], [1, 2, 2, 4, 5]);
  assert.deepEqual([...q.target], [0, 0, 1, 1, 0]);
  assert.deepEqual([...q.instance], [0, 0, 3, 3, 0]);
  assert.deepEqual([...q.weightOffset], [0, 0, 2, 2, 0]);
});

Deno.test("dueUntil() delivers τ ≤ t_n + dt/2, an exact tie to the earlier step", () => {
  const q = createEventQueue([
    { target: 0, instance: 0, weightOffset: 0, times: new Float64Array([0, 0.0125, 0.0126, 0.05]) },
  ]);
  assert.equal(dueUntil(q, 0), 1);
  assert.equal(dueUntil(q, 0.0125), 2);
  q.next = 2;
  assert.equal(dueUntil(q, 0.0375), 3);
  q.next = 3;
  assert.equal(dueUntil(q, 0.0375), 3);
  assert.equal(dueUntil(q, 1), 4);
});

Deno.test("createEventQueue() rejects unsorted or non-finite times", () => {
  assert.throws(
    () =>
      createEventQueue([{
        target: 0,
        instance: 0,
        weightOffset: 0,
        times: new Float64Array([2, 1]),
      }]),
    InternalError,
  );
  assert.throws(
    () =>
      createEventQueue([{
        target: 0,
        instance: 0,
        weightOffset: 0,
        times: new Float64Array([NaN]),
      }]),
    InternalError,
  );
});
