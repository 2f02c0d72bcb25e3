/**
 * `simrun demo`: runs the bundled example (`examples/model`, made by `make_example.ts`) with two
 * parallel jobs of two sweeps and returns a summary naming the result folders.
 *
 * @module
 */
import { fileUrlToPath } from "../io/mod.ts";
import { jobSeeds, runJobs } from "../mod.ts";

/** Seed of the demo's first job (the second gets a seed derived from it). */
export const DEMO_SEED = 20250101;

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Results go to `<dirPrefix>/results/` ("" = working directory). */
  readonly dirPrefix: string;
  /** No progress output. */
  readonly quiet: boolean;
}

/**
 * Runs the demo and returns a printable summary.
 *
 * @param options where the results go, and whether to show progress
 * @returns lines: the result folders and one summary line
 */
export async function runDemo(options: DemoOptions): Promise<string> {
  const model = (name: string) => fileUrlToPath(new URL(`./model/${name}`, import.meta.url));
  const t0 = performance.now();
  const results = await runJobs({
    cellParam: model("example_pyramid.param"),
    networkParam: model("example_network.param"),
    dirPrefix: options.dirPrefix,
    nSweeps: 2,
    seeds: jobSeeds(2, DEMO_SEED),
    tStop: 345,
    tStopIsFloat: false,
    rng: "simrun",
    tar: false,
    pathMap: { rules: [] },
    plugins: [],
    progress: options.quiet ? "quiet" : undefined,
  });
  const spikes = results.map((r) => r.somaSpikes.join(" ")).join(" | ");
  const sweeps = results.reduce((a, r) => a + r.sweeps.length, 0);
  const s = ((performance.now() - t0) / 1000).toFixed(1);
  return [
    ...results.map((r) => `results: ${r.output}`),
    `demo: ${sweeps} sweeps in ${results.length} jobs (${s} s); soma spikes per sweep: ${spikes}`,
  ].join("\n");
}
