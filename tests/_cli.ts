/**
 * Runs the simrun CLI as a user would: `deno run <the simrun task's flags> main.ts …` (the same
 * flags the compiled binary gets, see scripts/compile.ts).
 *
 * @module
 */
import { simrunTaskFlags } from "../scripts/compile.ts";
import { repoDir } from "./_shared.ts";

/** Output of one CLI run. */
export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Working directory (default: a caller-chosen temp folder is recommended). */
  readonly cwd?: string;
  /** Extra environment variables. */
  readonly env?: Record<string, string>;
}

let flags: string[] | undefined;

/** The `simrun` task's flags from deno.json. */
export function cliFlags(): string[] {
  flags ??= simrunTaskFlags(Deno.readTextFileSync(`${repoDir()}/deno.json`));
  return flags;
}

/** The full argument list for `deno` to run the CLI with `args`. */
export function cliCommand(args: readonly string[]): string[] {
  return ["run", ...cliFlags(), `${repoDir()}/main.ts`, ...args];
}

/**
 * Runs `simrun <args>` and collects its output.
 *
 * @param args command-line arguments
 * @param options working directory, environment
 * @returns exit code, stdout, stderr
 */
export async function runCli(
  args: readonly string[],
  options: RunCliOptions = {},
): Promise<CliResult> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: cliCommand(args),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    env: { NO_COLOR: "1", ...(options.env ?? {}) },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr) };
}
