/**
 * Self events of one set of point-process instances (NMODL `net_send`), kept in a derived slot
 * of the instance storage ({@link EVENTS_SLOT}): a binary min-heap on (time, sequence) in one
 * `Float64Array`, so events with equal times keep their sending order as in NEURON's queue.
 * The slot grows by doubling (the array is replaced); a steady simulation allocates nothing.
 *
 * Layout: `[size, counter, e₀, e₁, …]`, each entry 5 numbers: time [ms], sequence, instance,
 * flag, weight-vector offset (−1: sent from INITIAL).
 *
 * @module
 */

/** Derived slot of a point mechanism's pending self events. */
export const EVENTS_SLOT = "nmodl.events";

const HEAD = 2;
const W = 5;

/**
 * An empty queue with room for `capacity` events.
 *
 * @param capacity initial capacity (events)
 * @returns the queue storage
 */
export function createSelfEvents(capacity = 8): Float64Array {
  return new Float64Array(HEAD + W * Math.max(1, capacity));
}

/**
 * Removes every event (keeps the storage).
 *
 * @param q the queue storage
 */
export function clearSelfEvents(q: Float64Array): void {
  q[0] = 0;
  q[1] = 0;
}

function less(q: Float64Array, a: number, t: number, s: number): boolean {
  const ta = q[a];
  return ta < t || (ta === t && q[a + 1] < s);
}

function move(q: Float64Array, from: number, to: number): void {
  for (let j = 0; j < W; j++) q[to + j] = q[from + j];
}

/**
 * Schedules an event in `derived[EVENTS_SLOT]` (replacing the array when it is full).
 *
 * @param derived the instance set's derived slots
 * @param instance target instance
 * @param time delivery time [ms]
 * @param flag NET_RECEIVE flag
 * @param offset weight-vector offset of the NetCon that sent it (−1 from INITIAL)
 */
export function pushSelfEvent(
  derived: Record<string, Float64Array>,
  instance: number,
  time: number,
  flag: number,
  offset: number,
): void {
  let q = derived[EVENTS_SLOT];
  const size = q[0];
  if (HEAD + W * (size + 1) > q.length) {
    const bigger = new Float64Array(HEAD + 2 * (q.length - HEAD));
    bigger.set(q);
    derived[EVENTS_SLOT] = q = bigger;
  }
  const seq = q[1];
  q[0] = size + 1;
  q[1] = seq + 1;
  let i = size;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const pa = HEAD + W * p;
    // Parent later than the new event (time, then sequence): move it down.
    if (!(time < q[pa] || (time === q[pa] && seq < q[pa + 1]))) break;
    move(q, pa, HEAD + W * i);
    i = p;
  }
  const a = HEAD + W * i;
  q[a] = time;
  q[a + 1] = seq;
  q[a + 2] = instance;
  q[a + 3] = flag;
  q[a + 4] = offset;
}

/**
 * Number of pending events.
 *
 * @param q the queue storage
 * @returns the count
 */
export function selfEventCount(q: Float64Array): number {
  return q[0];
}

/**
 * Time of the earliest event, or Infinity.
 *
 * @param q the queue storage
 * @returns [ms]
 */
export function nextSelfEventTime(q: Float64Array): number {
  return q[0] > 0 ? q[HEAD] : Infinity;
}

/**
 * Removes the earliest event and writes it into `out`: [time, instance, flag, offset].
 *
 * @param q the queue storage (not empty)
 * @param out receives the event
 */
export function popSelfEvent(q: Float64Array, out: Float64Array): void {
  out[0] = q[HEAD];
  out[1] = q[HEAD + 2];
  out[2] = q[HEAD + 3];
  out[3] = q[HEAD + 4];
  const last = q[0] - 1;
  q[0] = last;
  if (last === 0) return;
  const la = HEAD + W * last;
  const t = q[la], s = q[la + 1], k = q[la + 2], f = q[la + 3], o = q[la + 4];
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= last) break;
    const r = l + 1;
    const la2 = HEAD + W * l, ra = HEAD + W * r;
    const c = r < last && less(q, ra, q[la2], q[la2 + 1]) ? r : l;
    const ca = HEAD + W * c;
    if (!less(q, ca, t, s)) break;
    move(q, ca, HEAD + W * i);
    i = c;
  }
  const a = HEAD + W * i;
  q[a] = t;
  q[a + 1] = s;
  q[a + 2] = k;
  q[a + 3] = f;
  q[a + 4] = o;
}
