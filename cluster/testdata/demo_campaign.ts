/**
 * A dry-run campaign of the demo model (examples/model, copied to a temp folder so tests may edit
 * it) for unit tests that need no cluster.
 *
 * @module
 */
import { fileUrlToPath, parsePathMap } from "../../io/mod.ts";
import { submitCampaign, type SubmitOptions, type SubmitResult } from "../submit.ts";
import { type FakeSlurm, fakeSlurm } from "./fake_slurm.ts";

/** A demo campaign in a temp folder. */
export interface DemoCampaign extends Disposable {
  /** The temp folder (model copy in `model/`, results in `results/`). */
  readonly tmp: string;
  /** The copied cell param. */
  readonly cell: string;
  /** The copied network param. */
  readonly network: string;
  /** The submission. */
  readonly submitted: SubmitResult;
  /** The fake cluster it was planned with. */
  readonly slurm: FakeSlurm;
}

/** Options every demo campaign uses, as `simrun slurm submit` fills them. */
export function demoOptions(tmp: string, slurm: FakeSlurm): SubmitOptions {
  return {
    dirPrefix: tmp,
    seed: 7,
    nprocs: 2,
    nSweeps: 3,
    tStop: 20,
    tStopIsFloat: false,
    rng: "simrun",
    exact: false,
    threads: 1,
    tar: false,
    pathMap: parsePathMap([]),
    plugins: [],
    pluginRead: [],
    sweepsPerTask: 2,
    sbatchArgs: [],
    dryRun: true,
    run: slurm.run,
  };
}

/**
 * Copies the demo model and writes a dry-run campaign of it: 2 jobs × 3 sweeps (tStop 20 ms),
 * 2 sweeps per task (4 tasks).
 *
 * @param overrides options to change
 * @returns the campaign; dispose to remove the temp folder
 */
export async function demoCampaign(overrides: Partial<SubmitOptions> = {}): Promise<DemoCampaign> {
  const tmp = await Deno.makeTempDir({ prefix: "simrun_campaign_" });
  const model = fileUrlToPath(new URL("../../examples/model", import.meta.url));
  await Deno.mkdir(`${tmp}/model`);
  for await (const e of Deno.readDir(model)) {
    await Deno.copyFile(`${model}/${e.name}`, `${tmp}/model/${e.name}`);
  }
  const slurm = fakeSlurm(4);
  const cell = `${tmp}/model/example_pyramid.param`;
  const network = `${tmp}/model/example_network.param`;
  let submitted: SubmitResult;
  try {
    submitted = await submitCampaign(cell, network, { ...demoOptions(tmp, slurm), ...overrides });
  } catch (e) {
    await Deno.remove(tmp, { recursive: true });
    throw e;
  }
  return {
    tmp,
    cell,
    network,
    submitted,
    slurm,
    [Symbol.dispose]() {
      Deno.removeSync(tmp, { recursive: true });
    },
  };
}
