/**
 * Reads job folders for comparisons: generic file name (no stamp, pid or host) → content, for
 * each `<stamp>_seed<S>_pid<P>` folder of a results folder.
 *
 * @module
 */

/**
 * The job folders under `results`, by seed.
 *
 * @param results a `results/` folder
 * @returns seed → (generic file name → content)
 */
export async function jobFolders(results: string): Promise<Map<string, Map<string, string>>> {
  const out = new Map<string, Map<string, string>>();
  for await (const e of Deno.readDir(results)) {
    const m = /^\d{8}-\d{4}_seed(\d+)_pid\d+$/.exec(e.name);
    if (!m) continue;
    const files = new Map<string, string>();
    for await (const f of Deno.readDir(`${results}/${e.name}`)) {
      const generic = f.name.replace(/^seed\d+_pid\d+_/, "").replace(
        /^hostname_.*/,
        "hostname_<host>",
      );
      files.set(generic, await Deno.readTextFile(`${results}/${e.name}/${f.name}`));
    }
    out.set(m[1]!, files);
  }
  return out;
}
