/**
 * A stand-in for the SLURM commands in unit tests: `scontrol show config` reports a MaxArraySize,
 * `sbatch` hands out job ids, `squeue` reports the states set by the test, `sacct` has no
 * accounting. Every call is recorded.
 *
 * @module
 */
import type { CommandOutput, SlurmRunner } from "../slurm_client.ts";

/** The fake cluster's state, changed by the test as it goes. */
export interface FakeSlurm {
  /** The runner to pass as `run`. */
  readonly run: SlurmRunner;
  /** Every call: command and arguments. */
  readonly calls: string[][];
  /** `<jobId>_<arrayIndex>` → state reported by squeue. */
  readonly states: Map<string, string>;
  /** MaxArraySize (undefined: scontrol fails). */
  maxArraySize: number | undefined;
  /** False: squeue fails as with an unreachable controller. */
  queueUp: boolean;
  /** The next id sbatch hands out. */
  nextJobId: number;
}

/**
 * Makes a fake cluster.
 *
 * @param maxArraySize the MaxArraySize scontrol reports (null: scontrol fails)
 * @returns the fake
 */
export function fakeSlurm(maxArraySize: number | null = 1001): FakeSlurm {
  const ok = (stdout: string): CommandOutput => ({ code: 0, stdout, stderr: "" });
  const fail = (stderr: string): CommandOutput => ({ code: 1, stdout: "", stderr });
  const fake: FakeSlurm = {
    calls: [],
    states: new Map(),
    maxArraySize: maxArraySize ?? undefined,
    queueUp: true,
    nextJobId: 100,
    run: (command, args) => {
      fake.calls.push([command, ...args]);
      if (command === "scontrol") {
        return Promise.resolve(
          fake.maxArraySize === undefined
            ? fail("slurm_load_ctl_conf error: Unable to contact slurm controller")
            : ok(`Configuration data as of now\nMaxArraySize            = ${fake.maxArraySize}\n`),
        );
      }
      if (command === "sbatch") return Promise.resolve(ok(`${fake.nextJobId++}\n`));
      if (command === "squeue") {
        if (!fake.queueUp) {
          return Promise.resolve(fail("squeue: error: Unable to contact slurm controller"));
        }
        const ids = (args[args.indexOf("-j") + 1] ?? "").split(",");
        const lines = [...fake.states].filter(([e]) => ids.includes(e.split("_")[0]!))
          .map(([e, s]) => `${e.replace("_", "|")}|${s}`);
        return Promise.resolve(ok(lines.join("\n") + "\n"));
      }
      if (command === "sacct") return Promise.resolve(fail("Slurm accounting storage is disabled"));
      return Promise.resolve({ code: 127, stdout: "", stderr: `${command}: command not found` });
    },
  };
  return fake;
}
