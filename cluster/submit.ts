/**
 * `simrun slurm submit`: checks the inputs as `simrun run` would, plans the tasks, writes the
 * campaign folder (campaign.json, copies of the params, simrun.sbatch, tasks/) and submits one job
 * array, or several when the cluster's MaxArraySize is smaller than the number of tasks.
 *
 * @module
 */
import {
  basename,
  InputValueError,
  isAbsolute,
  type PathMap,
  readParamFile,
  resolve,
  resolveInputPath,
} from "../io/mod.ts";
import { readNetworkSpec } from "../network/mod.ts";
import { userPluginResolver } from "../plugins/mod.ts";
import {
  createCell,
  jobSeeds,
  paramMechanismFolders,
  resultsDir,
  timestamp,
} from "../simrun/mod.ts";
import { defaultSimrunCommand, formatBatchScript } from "./batch_script.ts";
import {
  type Campaign,
  CAMPAIGN_FILES,
  CAMPAIGN_FORMAT,
  campaignPath,
  type Submission,
  writeJsonAtomic,
} from "./campaign.ts";
import { CampaignError } from "./campaign_error.ts";
import { collectInputs } from "./inputs.ts";
import { sbatchCommand, submitArrays } from "./submit_arrays.ts";
import { planArrays, type PlannedArray, planTasks } from "./plan.ts";
import {
  DEFAULT_MAX_ARRAY_SIZE,
  maxArraySize,
  type SlurmRunner,
  systemSlurm,
} from "./slurm_client.ts";

/** Options of {@link submitCampaign}: those of `simrun run`, then SLURM's. */
export interface SubmitOptions {
  /** Merged results go to `<dirPrefix>/results/` ("" = working directory); so does the campaign. */
  readonly dirPrefix: string;
  /** Seed of job 0 (jobs k ≥ 1 get seeds derived from it); drawn at random when undefined. */
  readonly seed?: number | undefined;
  /** Number of jobs (seeds). */
  readonly nprocs: number;
  /** Sweeps per job. */
  readonly nSweeps: number;
  /** Simulated time per sweep [ms]. */
  readonly tStop: number;
  /** Save `sim.tStop` as a float. */
  readonly tStopIsFloat: boolean;
  /** Random streams. */
  readonly rng: "simrun" | "isf";
  /** NEURON's rate formulas every step. */
  readonly exact: boolean;
  /** Physical constants. */
  readonly units?: "modern" | "legacy";
  /** Sweep threads per task. */
  readonly threads: number;
  /** Archive each merged job folder. */
  readonly tar: boolean;
  /** Path map (command line, then environment). */
  readonly pathMap: PathMap;
  /** Recorder plugins. */
  readonly plugins: readonly string[];
  /** Extra read grants of plugins. */
  readonly pluginRead: readonly string[];
  /** Time limit of one plugin call [ms]. */
  readonly pluginTimeLimitMs?: number | undefined;
  /** `--mechanisms` folders of the user's `.mod` files. */
  readonly mechanismFolders?: readonly string[] | undefined;
  /** At most this many sweeps per task (K). */
  readonly sweepsPerTask: number;
  /** `--partition`. */
  readonly partition?: string | undefined;
  /** `--time`. */
  readonly time?: string | undefined;
  /** `--mem`. */
  readonly mem?: string | undefined;
  /** CPUs per task (default: `threads`). */
  readonly cpusPerTask?: number | undefined;
  /** At most this many elements of one array at a time. */
  readonly maxParallel?: number | undefined;
  /** Further `#SBATCH` options. */
  readonly sbatchArgs: readonly string[];
  /** The command that runs simrun on a node (default: this program, see batch_script.ts). */
  readonly simrunCommand?: string | undefined;
  /** Write everything, submit nothing. */
  readonly dryRun: boolean;
  /** Runs sbatch and scontrol (default: the system's). */
  readonly run?: SlurmRunner;
  /** Clock (default: now). */
  readonly now?: () => Date;
}

/** What {@link submitCampaign} did. */
export interface SubmitResult {
  /** The campaign folder (absolute). */
  readonly dir: string;
  /** The campaign. */
  readonly campaign: Campaign;
  /** The arrays planned. */
  readonly arrays: readonly PlannedArray[];
  /** The sbatch command of each array (argument lists). */
  readonly commands: readonly (readonly string[])[];
  /** The submitted arrays (empty for a dry run). */
  readonly submitted: readonly Submission[];
  /** MaxArraySize used, and whether the cluster said so (false: SLURM's default, assumed). */
  readonly maxArraySize: { readonly value: number; readonly fromCluster: boolean };
}

/** A path-map rule with a relative `TO` made absolute (relative to the submission's directory). */
function absoluteRule(rule: PathMap["rules"][number], cwd: string): string {
  const to = rule.to === "" || isAbsolute(rule.to)
    ? rule.to
    : resolve(cwd, rule.to) + (rule.to.endsWith("/") ? "/" : "");
  return `${rule.anyPrefix ? "*" : ""}${rule.from}=${to}`;
}

/** Checks what `simrun run` checks before its first sweep, as far as it can be done here. */
async function checkInputs(
  cellParam: string,
  networkParam: string,
  o: SubmitOptions,
): Promise<void> {
  await createCell(cellParam, {
    pathMap: o.pathMap,
    networkMechanismFolders: paramMechanismFolders(
      await readParamFile(networkParam),
      networkParam,
      o.pathMap,
    ),
    ...(o.mechanismFolders !== undefined ? { mechanismFolders: o.mechanismFolders } : {}),
    cellModify: {
      resolvePlugin: userPluginResolver({
        read: o.pluginRead,
        ...(o.pluginTimeLimitMs !== undefined ? { timeLimitMs: o.pluginTimeLimitMs } : {}),
      }),
    },
  });
  readNetworkSpec(await readParamFile(networkParam), {
    resolvePath: (p) =>
      resolveInputPath(p, {
        map: o.pathMap,
        file: networkParam,
        what: "anatomical realization file",
      }),
  });
  for (const p of o.plugins) {
    try {
      if (!(await Deno.stat(p)).isFile) throw new Deno.errors.NotFound();
    } catch {
      throw new InputValueError({ file: p, key: "--plugin" }, "Recorder plugin not found");
    }
  }
}

/** A path that goes into `#SBATCH` lines must not need quoting there. */
function plainPath(path: string, what: string): void {
  if (/[\s%"'\\]/.test(path)) {
    throw new InputValueError(
      { file: path, key: what },
      `The ${what} path must not contain spaces, quotes, backslashes or "%" (it goes into #SBATCH lines)`,
    );
  }
}

/**
 * Plans, writes and (unless `dryRun`) submits a campaign.
 *
 * @param cellParam the cell param
 * @param networkParam the network param
 * @param options run and SLURM options
 * @returns the campaign folder, the arrays and the sbatch commands
 * @throws InputValueError for bad input (nothing written); CampaignError when SLURM refuses
 */
export async function submitCampaign(
  cellParam: string,
  networkParam: string,
  options: SubmitOptions,
): Promise<SubmitResult> {
  const run = options.run ?? systemSlurm;
  const cwd = Deno.cwd();
  const cell = resolve(cwd, cellParam);
  const network = resolve(cwd, networkParam);
  const o = {
    ...options,
    plugins: options.plugins.map((p) => resolve(cwd, p)),
    pluginRead: options.pluginRead.map((p) => resolve(cwd, p)),
    mechanismFolders: (options.mechanismFolders ?? []).map((p) => resolve(cwd, p)),
  };
  for (
    const [v, name] of [[o.sweepsPerTask, "--sweeps-per-task"], [o.nSweeps, "--sweeps"], [
      o.nprocs,
      "--nprocs",
    ]] as const
  ) {
    if (!(Number.isInteger(v) && v >= 1)) {
      throw new InputValueError(
        { file: "<command line>", key: name },
        `${name} must be an integer >= 1, got ${v}`,
      );
    }
  }
  await checkInputs(cell, network, o);
  const seeds = jobSeeds(o.nprocs, o.seed);
  const tasks = planTasks(seeds, o.nSweeps, o.sweepsPerTask);
  const found = await maxArraySize(run);
  if (found === undefined && !o.dryRun) {
    throw new CampaignError(
      "SLURM does not answer (scontrol show config failed): submit from a SLURM login node, " +
        "or write the campaign with --dry-run",
    );
  }
  const maxArray = found ?? DEFAULT_MAX_ARRAY_SIZE;
  const inputs = await collectInputs(cell, network, {
    pathMap: o.pathMap,
    plugins: o.plugins,
    mechanismFolders: o.mechanismFolders,
  });
  const simrunCommand = o.simrunCommand ?? await defaultSimrunCommand();

  const now = (o.now ?? (() => new Date()))();
  const results = resolve(cwd, resultsDir(o.dirPrefix));
  const name = `${timestamp(now)}_campaign_seed${seeds[0]}`;
  const dir = `${results}/${name}`;
  plainPath(dir, "campaign folder");
  plainPath(cwd, "working directory");
  await Deno.mkdir(results, { recursive: true });
  try {
    await Deno.mkdir(dir);
  } catch (e) {
    if (e instanceof Deno.errors.AlreadyExists) {
      throw new Deno.errors.AlreadyExists(
        `${dir} already exists (a campaign of the same seed this minute); simrun never overwrites results`,
      );
    }
    throw e;
  }
  await Deno.mkdir(campaignPath(dir, CAMPAIGN_FILES.params));
  await Deno.mkdir(campaignPath(dir, CAMPAIGN_FILES.logs), { recursive: true });
  const copies: string[] = [];
  for (const [path, prefix] of [[cell, "cell_"], [network, "network_"]] as const) {
    let copy = `${CAMPAIGN_FILES.params}/${basename(path)}`;
    if (copies.includes(copy)) copy = `${CAMPAIGN_FILES.params}/${prefix}${basename(path)}`;
    await Deno.copyFile(path, campaignPath(dir, copy));
    copies.push(copy);
  }
  const campaign: Campaign = {
    format: CAMPAIGN_FORMAT,
    name,
    created: now.toISOString(),
    cwd,
    run: {
      cellParam: cell,
      networkParam: network,
      dirPrefix: resolve(cwd, o.dirPrefix === "" ? "." : o.dirPrefix),
      ...(o.seed !== undefined ? { seed: o.seed } : {}),
      seeds,
      nSweeps: o.nSweeps,
      tStop: o.tStop,
      tStopIsFloat: o.tStopIsFloat,
      rng: o.rng,
      exact: o.exact,
      units: o.units ?? "modern",
      threads: o.threads,
      tar: o.tar,
      pathMap: o.pathMap.rules.map((r) => absoluteRule(r, cwd)),
      plugins: o.plugins,
      pluginRead: o.pluginRead,
      ...(o.pluginTimeLimitMs !== undefined ? { pluginTimeLimitMs: o.pluginTimeLimitMs } : {}),
      ...(o.mechanismFolders.length > 0 ? { mechanismFolders: o.mechanismFolders } : {}),
    },
    slurm: {
      sweepsPerTask: o.sweepsPerTask,
      ...(o.partition !== undefined ? { partition: o.partition } : {}),
      ...(o.time !== undefined ? { time: o.time } : {}),
      ...(o.mem !== undefined ? { mem: o.mem } : {}),
      cpusPerTask: o.cpusPerTask ?? o.threads,
      ...(o.maxParallel !== undefined ? { maxParallel: o.maxParallel } : {}),
      sbatchArgs: [...o.sbatchArgs],
      simrunCommand,
    },
    inputs,
    copies,
    tasks,
  };
  await writeJsonAtomic(campaignPath(dir, CAMPAIGN_FILES.campaign), campaign);
  await Deno.writeTextFile(
    campaignPath(dir, CAMPAIGN_FILES.script),
    formatBatchScript(campaign, dir),
    {
      mode: 0o755,
    },
  );
  const arrays = planArrays(tasks.map((t) => t.index), maxArray, o.maxParallel);
  const commands = arrays.map((a) => sbatchCommand(dir, a));
  const submitted = o.dryRun ? [] : await submitArrays(dir, arrays, run);
  return {
    dir,
    campaign,
    arrays,
    commands,
    submitted,
    maxArraySize: { value: maxArray, fromCluster: found !== undefined },
  };
}
