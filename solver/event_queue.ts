/**
 * The event queue of one simulation: every synaptic event is known before the run (release
 * times + NetCon delay), so the queue is a pre-sorted array walked by a cursor instead of a
 * heap (spec/algorithm.md §6.5, §8.3). Events are structure-of-arrays; delivering one costs
 * O(1) and allocates nothing.
 *
 * @module
 */
import { InternalError } from "../io/mod.ts";

/** The events of one source (one point-process instance receiving from one NetCon). */
export interface EventSource {
  /** Index of the receiving point-process group (one per mechanism). */
  readonly target: number;
  /** Instance of that group. */
  readonly instance: number;
  /** First weight of this NetCon in the shared weight array. */
  readonly weightOffset: number;
  /** Delivery times [ms] (release + delay), ascending. */
  readonly times: Float64Array;
}

/** Pre-sorted event queue: entry e is delivered at `time[e]` to (`target[e]`, `instance[e]`). */
export interface EventQueue {
  /** Delivery times [ms], ascending. */
  readonly time: Float64Array;
  /** Receiving point-process group. */
  readonly target: Int32Array;
  /** Receiving instance of that group. */
  readonly instance: Int32Array;
  /** First NetCon weight of the event in the shared weight array. */
  readonly weightOffset: Int32Array;
  /** Number of events. */
  readonly length: number;
  /** Cursor: the next event not yet delivered. */
  next: number;
}

/**
 * Merges the sources into one queue sorted by time; ties keep source order, then the order
 * within a source (a stable sort), so delivery order is deterministic.
 *
 * @param sources event sources; each source's `times` must be ascending
 * @returns the queue with its cursor at the first event
 * @throws InternalError when a source's times are not ascending or not finite
 * @example Two sources merged by time
 * ```ts
 * import assert from "node:assert/strict";
 * import { createEventQueue } from "./event_queue.ts";
 * const q = createEventQueue([
 *   { target: 0, instance: 0, weightOffset: 0, times: new Float64Array([1, 3]) },
 *   { target: 0, instance: 1, weightOffset: 1, times: new Float64Array([2]) },
 * ]);
 * assert.deepEqual([...q.time], [1, 2, 3]);
 * assert.deepEqual([...q.instance], [0, 1, 0]);
 * ```
 */
export function createEventQueue(sources: readonly EventSource[]): EventQueue {
  let total = 0;
  for (const s of sources) {
    for (let k = 0; k < s.times.length; k++) {
      const tk = s.times[k];
      if (!Number.isFinite(tk) || (k > 0 && tk < s.times[k - 1])) {
        throw new InternalError(
          `event times of a source must be finite and ascending (event ${k})`,
        );
      }
    }
    total += s.times.length;
  }
  // Every event's time and source, flat (the sort reads one typed array per comparison).
  const at = new Float64Array(total);
  const srcOf = new Int32Array(total);
  let e = 0;
  for (let s = 0; s < sources.length; s++) {
    const times = sources[s].times;
    for (let k = 0; k < times.length; k++, e++) {
      at[e] = times[k];
      srcOf[e] = s;
    }
  }
  const order = Array.from({ length: total }, (_, i) => i);
  // Small integers only: a double returned to the sort would be boxed on every comparison.
  order.sort((a, b) => (at[a] < at[b] ? -1 : at[a] > at[b] ? 1 : a - b));
  const time = new Float64Array(total);
  const target = new Int32Array(total);
  const instance = new Int32Array(total);
  const weightOffset = new Int32Array(total);
  for (let j = 0; j < total; j++) {
    const src = sources[srcOf[order[j]]];
    time[j] = at[order[j]];
    target[j] = src.target;
    instance[j] = src.instance;
    weightOffset[j] = src.weightOffset;
  }
  return { time, target, instance, weightOffset, length: total, next: 0 };
}

/**
 * End of the run of events due by `tm` [ms]: the events from the cursor `next` up to (not
 * including) the returned index have time ≤ `tm` (the caller delivers them and advances `next`).
 * NEURON delivers while τ ≤ t_n + dt/2.
 *
 * @param q the queue
 * @param tm delivery bound [ms]
 * @returns index one past the last event to deliver now
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createEventQueue, dueUntil } from "./event_queue.ts";
 * const q = createEventQueue([
 *   { target: 0, instance: 0, weightOffset: 0, times: new Float64Array([0.0125, 0.02]) },
 * ]);
 * assert.equal(dueUntil(q, 0.0125), 1); // an exact tie is delivered
 * ```
 */
export function dueUntil(q: EventQueue, tm: number): number {
  let e = q.next;
  const time = q.time;
  const n = q.length;
  while (e < n && time[e] <= tm) e++;
  return e;
}
