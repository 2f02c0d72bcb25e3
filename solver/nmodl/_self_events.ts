/**
 * Self events of one set of point-process instances (NMODL `net_send`): a binary min-heap on
 * (time, sequence), so events with equal times keep their sending order as in NEURON's queue.
 * Storage grows by doubling; a steady simulation allocates nothing.
 *
 * @module
 */

/** Pending `net_send` events. */
export class SelfEventQueue {
  #time = new Float64Array(16);
  #seq = new Float64Array(16);
  #instance = new Int32Array(16);
  #flag = new Float64Array(16);
  #offset = new Int32Array(16);
  #size = 0;
  #counter = 0;

  /** Number of pending events. */
  get size(): number {
    return this.#size;
  }

  /** Removes every event. */
  clear(): void {
    this.#size = 0;
    this.#counter = 0;
  }

  /**
   * Schedules an event.
   *
   * @param instance target instance
   * @param time delivery time [ms]
   * @param flag NET_RECEIVE flag
   * @param offset weight-vector offset of the NetCon that sent it (−1 from INITIAL)
   */
  push(instance: number, time: number, flag: number, offset: number): void {
    if (this.#size === this.#time.length) this.#grow();
    let i = this.#size++;
    const seq = this.#counter++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(time, seq, this.#time[p], this.#seq[p])) break;
      this.#move(p, i);
      i = p;
    }
    this.#set(i, time, seq, instance, flag, offset);
  }

  /** Time of the earliest event, or Infinity. */
  peekTime(): number {
    return this.#size > 0 ? this.#time[0] : Infinity;
  }

  /**
   * Removes the earliest event and writes it into `out`: [time, instance, flag, offset].
   *
   * @param out receives the event
   */
  pop(out: Float64Array): void {
    out[0] = this.#time[0];
    out[1] = this.#instance[0];
    out[2] = this.#flag[0];
    out[3] = this.#offset[0];
    const last = --this.#size;
    if (last === 0) return;
    const t = this.#time[last], s = this.#seq[last];
    const k = this.#instance[last], f = this.#flag[last], o = this.#offset[last];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= last) break;
      const r = l + 1;
      const c = r < last && this.#less(this.#time[r], this.#seq[r], this.#time[l], this.#seq[l])
        ? r
        : l;
      if (!this.#less(this.#time[c], this.#seq[c], t, s)) break;
      this.#move(c, i);
      i = c;
    }
    this.#set(i, t, s, k, f, o);
  }

  #less(t1: number, s1: number, t2: number, s2: number): boolean {
    return t1 < t2 || (t1 === t2 && s1 < s2);
  }

  #move(from: number, to: number): void {
    this.#time[to] = this.#time[from];
    this.#seq[to] = this.#seq[from];
    this.#instance[to] = this.#instance[from];
    this.#flag[to] = this.#flag[from];
    this.#offset[to] = this.#offset[from];
  }

  #set(i: number, t: number, s: number, k: number, f: number, o: number): void {
    this.#time[i] = t;
    this.#seq[i] = s;
    this.#instance[i] = k;
    this.#flag[i] = f;
    this.#offset[i] = o;
  }

  #grow(): void {
    const n = this.#time.length * 2;
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.#time = f64(this.#time);
    this.#seq = f64(this.#seq);
    this.#instance = i32(this.#instance);
    this.#flag = f64(this.#flag);
    this.#offset = i32(this.#offset);
  }
}
