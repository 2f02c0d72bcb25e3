/**
 * Notices when the wrapper that started simrun has been terminated, so that simrun stops too.
 *
 * `npx deno task simrun …` runs simrun under five wrapper processes (npm exec, its `sh -c`, the
 * `deno` npm package's node shim, `deno task`, and Deno running that shim for the task's `deno`);
 * `deno task simrun …` under two. A SIGTERM or SIGINT sent to the outermost one (a batch
 * scheduler, a user's `kill`) ends it and the next one or two, but the shims do not forward
 * signals: simrun would run on, orphaned, and finish its folders. On Linux, simrun therefore
 * records the chain of launcher processes above it (found in `/proc`) and checks every
 * `intervalMs` that each still runs; when one has ended, `onGone` is called. Deno lets only
 * `--allow-all` programs read `/proc`; simrun, which has `--allow-ffi` for the C math library,
 * reads those few small files through the C library's `open`/`read` instead. The chain stops at
 * the first process that is not a launcher (a shell, a batch script, `deno test`), so a run kept
 * alive with `nohup` is not affected when its login shell exits. Without `/proc`, or when simrun
 * is not started by a launcher (the compiled binary, `deno run main.ts`), nothing is watched:
 * signals then reach simrun itself.
 *
 * @module
 */

/** One process of the launcher chain. */
export interface LauncherProcess {
  /** Process id. */
  readonly pid: number;
  /** Its start time (clock ticks since boot, `/proc/<pid>/stat` field 22): tells a reused pid apart. */
  readonly start: string;
  /** Its command line, for messages. */
  readonly command: string;
}

/** What `/proc/<pid>` tells: parent, start time, state and command line; undefined when gone. */
export interface ProcInfo {
  /** Parent process id. */
  readonly ppid: number;
  /** Start time (field 22 of `stat`). */
  readonly start: string;
  /** State letter (`R`, `S`, `Z` zombie, `X` dead, …). */
  readonly state: string;
  /** The command line's arguments. */
  readonly argv: readonly string[];
}

/** Options of {@linkcode watchLauncher}. */
export interface WatchLauncherOptions {
  /** Time between two checks [ms] (default 200). */
  readonly intervalMs?: number;
  /** Reads a process's info (default: from `/proc`); injected by tests. */
  readonly readProc?: (pid: number) => ProcInfo | undefined;
  /** simrun's parent process id (default `Deno.ppid`). */
  readonly ppid?: number;
}

/** A running watch. */
export interface LauncherWatch {
  /** The launcher processes watched, innermost first. */
  readonly chain: readonly LauncherProcess[];
  /** Stops watching. */
  stop(): void;
}

const DEC = new TextDecoder();
const ENC = new TextEncoder();

const LIBC_SYMBOLS = {
  open: { parameters: ["buffer", "i32"], result: "i32" },
  read: { parameters: ["i32", "buffer", "usize"], result: "isize" },
  close: { parameters: ["i32"], result: "i32" },
} as const;

let libc: Deno.DynamicLibrary<typeof LIBC_SYMBOLS> | null | undefined;

/** The C library (glibc, then musl), opened once; null when it cannot be opened. */
function openLibc(): Deno.DynamicLibrary<typeof LIBC_SYMBOLS> | null {
  if (libc !== undefined) return libc;
  libc = null;
  for (const name of ["libc.so.6", "libc.musl-x86_64.so.1", "libc.musl-aarch64.so.1"]) {
    try {
      libc = Deno.dlopen(name, LIBC_SYMBOLS);
      break;
    } catch {
      // try the next name
    }
  }
  return libc;
}

/** A whole small `/proc` file, read with the C library; undefined when it cannot be read. */
function readProcFile(path: string): string | undefined {
  const lib = openLibc();
  if (lib === null) return undefined;
  const fd = lib.symbols.open(ENC.encode(path + "\0"), 0); // O_RDONLY
  if (fd < 0) return undefined;
  try {
    const buf = new Uint8Array(4096);
    let len = 0;
    for (;;) {
      const n = Number(lib.symbols.read(fd, buf.subarray(len), BigInt(buf.length - len)));
      if (n < 0) return undefined;
      if (n === 0 || len + n >= buf.length) return DEC.decode(buf.subarray(0, len + n));
      len += n;
    }
  } finally {
    lib.symbols.close(fd);
  }
}

/**
 * Reads `/proc/<pid>/stat` and `/proc/<pid>/cmdline` (command lines longer than 4 kB are cut).
 *
 * @param pid the process
 * @returns its info, or undefined when it does not exist (or `/proc` cannot be read)
 */
export function readProcInfo(pid: number): ProcInfo | undefined {
  try {
    const stat = readProcFile(`/proc/${pid}/stat`);
    if (stat === undefined) return undefined;
    // "pid (comm) state ppid …": comm may hold spaces and parentheses.
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const cmdline = readProcFile(`/proc/${pid}/cmdline`) ?? "";
    const argv = cmdline.split("\0").filter((a) => a !== "");
    return { state: f[0] ?? "", ppid: Number(f[1]), start: f[19] ?? "", argv };
  } catch {
    return undefined;
  }
}

function base(path: string | undefined): string {
  return (path ?? "").replace(/^.*\//, "");
}

/**
 * True for the command line of a process that only starts simrun: `deno task`, Deno or node
 * running the `deno` npm package's shim, npm's `sh -c '<deno task …>'`, `npm exec` / `npx`.
 *
 * @param argv the command line
 * @returns whether it is a launcher
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isLauncher } from "./launcher_watch.ts";
 * assert.ok(isLauncher(["/usr/bin/deno", "task", "simrun", "run", "a.param", "n.param"]));
 * assert.ok(isLauncher(["npm exec deno task simrun run a.param n.param"]));
 * assert.ok(!isLauncher(["/usr/bin/deno", "test", "-A"]));
 * assert.ok(!isLauncher(["/bin/bash", "job.sh"]));
 * ```
 */
export function isLauncher(argv: readonly string[]): boolean {
  const exe = base(argv[0]);
  // The deno npm package's shim, run by node or by Deno (for a task's `deno`).
  if (argv.some((a) => /(^|\/)(\.bin\/deno|deno\/bin\.cjs)$/.test(a))) return true;
  if (exe === "deno" || exe === "deno.exe") {
    return argv.slice(1).find((a) => !a.startsWith("-")) === "task";
  }
  // npm runs a bin through `sh -c '<command>'`.
  if (["sh", "bash", "dash", "zsh"].includes(exe) && argv[1] === "-c") {
    return /(^|[\s'"/])deno['"]?\s+task(\s|$)/.test(argv[2] ?? "");
  }
  // npm exec / npx (npm sets its title to "npm exec …").
  if (/^npm exec\b|^npx\b/.test(argv[0] ?? "") || exe === "npx") return true;
  if (argv.some((a) => /(^|\/)npx-cli\.js$/.test(a))) return true;
  return (exe === "npm" || argv.some((a) => /(^|\/)npm-cli\.js$/.test(a))) &&
    argv.some((a) => a === "exec" || a === "x");
}

/**
 * The launcher processes above simrun, innermost first, as far as they are launchers.
 *
 * @param ppid simrun's parent
 * @param readProc reads a process's info
 * @returns the chain (empty when simrun's parent is not a launcher)
 */
export function launcherChain(
  ppid: number,
  readProc: (pid: number) => ProcInfo | undefined = readProcInfo,
): LauncherProcess[] {
  const chain: LauncherProcess[] = [];
  let pid = ppid;
  for (let depth = 0; depth < 8 && pid > 1; depth++) {
    const info = readProc(pid);
    if (info === undefined || !isLauncher(info.argv)) break;
    chain.push({ pid, start: info.start, command: info.argv.join(" ") });
    pid = info.ppid;
  }
  return chain;
}

/**
 * Watches the launchers above simrun and calls `onGone` once when one of them has ended.
 *
 * @param onGone called with the launcher that ended (the watch then stops)
 * @param options check interval, process reader, parent pid
 * @returns the watch, or undefined when there is nothing to watch (not Linux, no launcher)
 * @example Nothing to watch for a parent that is no launcher
 * ```ts
 * import assert from "node:assert/strict";
 * import { watchLauncher } from "./launcher_watch.ts";
 * const w = watchLauncher(() => {}, { ppid: 42, readProc: () => ({ ppid: 1, start: "9", state: "S", argv: ["bash"] }) });
 * assert.equal(w, undefined);
 * ```
 */
export function watchLauncher(
  onGone: (launcher: LauncherProcess) => void,
  options: WatchLauncherOptions = {},
): LauncherWatch | undefined {
  const readProc = options.readProc ?? readProcInfo;
  if (options.readProc === undefined && Deno.build.os !== "linux") return undefined;
  const chain = launcherChain(options.ppid ?? Deno.ppid, readProc);
  if (chain.length === 0) return undefined;
  const id = setInterval(() => {
    for (const p of chain) {
      const now = readProc(p.pid);
      if (now === undefined || now.start !== p.start || now.state === "Z" || now.state === "X") {
        clearInterval(id);
        onGone(p);
        return;
      }
    }
  }, options.intervalMs ?? 200);
  Deno.unrefTimer(id); // never keeps simrun alive by itself
  return { chain, stop: () => clearInterval(id) };
}
