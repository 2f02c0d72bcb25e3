/**
 * Progress of a run on stderr: a live line redrawn in place on a terminal, plain lines at most every
 * few seconds otherwise (logs), nothing with `--quiet`.
 *
 * @module
 */

/** How progress is shown. */
export type ProgressMode = "tty" | "lines" | "quiet";

/** Options of {@link Progress}. */
export interface ProgressOptions {
  /** Number of jobs. */
  readonly jobs: number;
  /** Sweeps over all jobs. */
  readonly totalSweeps: number;
  /** Display mode (default: `tty` when stderr is a terminal, else `lines`). */
  readonly mode?: ProgressMode;
  /** Output sink (default: stderr). */
  readonly write?: (text: string) => void;
  /** Clock [ms] (default `performance.now`). */
  readonly now?: () => number;
  /** Least time between two plain lines [ms] (default 10000). */
  readonly intervalMs?: number;
}

function stderrWriter(): (text: string) => void {
  const enc = new TextEncoder();
  return (text) => {
    const b = enc.encode(text);
    let off = 0;
    while (off < b.length) off += Deno.stderr.writeSync(b.subarray(off));
  };
}

/** Seconds as `42 s`, `3 min 5 s`, `1 h 2 min`. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  const r = Math.round(s);
  if (r < 60) return `${r} s`;
  if (r < 3600) return `${Math.floor(r / 60)} min ${r % 60} s`;
  return `${Math.floor(r / 3600)} h ${Math.floor((r % 3600) / 60)} min`;
}

/**
 * Counts finished sweeps and jobs and reports them.
 *
 * @example Plain lines
 * ```ts
 * import assert from "node:assert/strict";
 * import { Progress } from "./progress.ts";
 * const out: string[] = [];
 * let t = 0;
 * const p = new Progress({ jobs: 1, totalSweeps: 2, mode: "lines", write: (s) => out.push(s), now: () => t });
 * t = 2000; p.sweepDone();
 * p.finish();
 * assert.match(out.join(""), /sweeps 1\/2/);
 * ```
 */
export class Progress {
  readonly #jobs: number;
  readonly #total: number;
  readonly #mode: ProgressMode;
  readonly #write: (text: string) => void;
  readonly #now: () => number;
  readonly #interval: number;
  readonly #start: number;
  #done = 0;
  #jobsDone = 0;
  #lastLine = -Infinity;
  #drawn = false;

  /**
   * Starts the clock.
   *
   * @param options jobs, sweeps and display
   */
  constructor(options: ProgressOptions) {
    this.#jobs = options.jobs;
    this.#total = options.totalSweeps;
    this.#mode = options.mode ?? (Deno.stderr.isTerminal() ? "tty" : "lines");
    this.#write = options.write ?? stderrWriter();
    this.#now = options.now ?? (() => performance.now());
    this.#interval = options.intervalMs ?? 10000;
    this.#start = this.#now();
  }

  /** The status text, e.g. `jobs 0/2 done, sweeps 3/10, 0.50 sweeps/s, ETA 14 s`. */
  line(): string {
    const el = (this.#now() - this.#start) / 1000;
    const rate = el > 0 ? this.#done / el : 0;
    const eta = rate > 0 ? formatDuration((this.#total - this.#done) / rate) : "?";
    return `simrun: jobs ${this.#jobsDone}/${this.#jobs} done, sweeps ${this.#done}/${this.#total}, ` +
      `${rate.toFixed(2)} sweeps/s, ETA ${eta}`;
  }

  /** Records one finished sweep (of any job). */
  sweepDone(): void {
    this.#done++;
    this.#show(false);
  }

  /** Records one finished job. */
  jobDone(): void {
    this.#jobsDone++;
    this.#show(false);
  }

  /** Draws the last state and ends the live line. */
  finish(): void {
    this.#show(true);
    if (this.#mode === "tty" && this.#drawn) this.#write("\n");
  }

  #show(force: boolean): void {
    if (this.#mode === "quiet") return;
    if (this.#mode === "tty") {
      this.#write("\r\x1b[K" + this.line());
      this.#drawn = true;
      return;
    }
    const t = this.#now();
    if (force || t - this.#lastLine >= this.#interval) {
      this.#lastLine = t;
      this.#write(this.line() + "\n");
    }
  }
}
