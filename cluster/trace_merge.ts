/**
 * Joins the trace files of a job's tasks column-wise (outputs.md §5: `t`, then one `Vm run NN`
 * column per sweep), streaming, so that a long campaign's traces never sit in memory at once.
 * The cells are copied as text, so the result is byte for byte what one process writes for all
 * sweeps; every task's `t` column must be the same.
 *
 * @module
 */
import { CampaignError } from "./campaign_error.ts";

/** Reads a file line by line (without the `\n`). */
async function* lines(path: string): AsyncGenerator<string> {
  using file = await Deno.open(path, { read: true });
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const buf = new Uint8Array(1 << 20);
  let rest = "";
  for (;;) {
    const n = await file.read(buf);
    if (n === null) break;
    rest += decoder.decode(buf.subarray(0, n), { stream: true });
    let nl: number;
    let from = 0;
    while ((nl = rest.indexOf("\n", from)) >= 0) {
      yield rest.slice(from, nl);
      from = nl + 1;
    }
    rest = rest.slice(from);
  }
  rest += decoder.decode();
  if (rest !== "") throw new CampaignError(`${path}: the last line has no newline (cut short?)`);
}

/** `t` and the rest of a row (`\t…`). */
function split(line: string): [string, string] {
  const tab = line.indexOf("\t");
  return tab < 0 ? [line, ""] : [line.slice(0, tab), line.slice(tab)];
}

/**
 * Writes `out` with the `t` column of the inputs and all their other columns, input after input.
 *
 * @param inputs trace files in sweep order (each: header `t\tVm run …`, then rows)
 * @param out the merged file (must not exist)
 * @returns the number of data rows
 * @throws CampaignError when the files differ in row count or in their `t` column
 * @example Two sweeps from two tasks
 * ```ts
 * import assert from "node:assert/strict";
 * import { mergeTraceFiles } from "./trace_merge.ts";
 * const d = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${d}/a`, "t\tVm run 00\n0.0\t-75.0\n");
 * await Deno.writeTextFile(`${d}/b`, "t\tVm run 01\n0.0\t-74.0\n");
 * await mergeTraceFiles([`${d}/a`, `${d}/b`], `${d}/m`);
 * assert.equal(await Deno.readTextFile(`${d}/m`), "t\tVm run 00\tVm run 01\n0.0\t-75.0\t-74.0\n");
 * await Deno.remove(d, { recursive: true });
 * ```
 */
export async function mergeTraceFiles(inputs: readonly string[], out: string): Promise<number> {
  if (inputs.length === 0) throw new CampaignError(`${out}: no trace files to merge`);
  const readers = inputs.map((p) => lines(p));
  using file = await Deno.open(out, { write: true, createNew: true });
  const enc = new TextEncoder();
  let pending = "";
  const flush = async () => {
    const bytes = enc.encode(pending);
    let off = 0;
    while (off < bytes.length) off += await file.write(bytes.subarray(off));
    pending = "";
  };
  let rows = -1; // the header is row -1
  try {
    for (;;) {
      const got = await Promise.all(readers.map((r) => r.next()));
      const ended = got.filter((g) => g.done).length;
      if (ended === got.length) break;
      if (ended > 0) {
        const short = inputs[got.findIndex((g) => g.done)]!;
        throw new CampaignError(`${short} has fewer rows than the other trace files of its job`);
      }
      const cells = got.map((g) => split(g.value as string));
      const t = cells[0]![0];
      for (let i = 1; i < cells.length; i++) {
        if (cells[i]![0] !== t) {
          throw new CampaignError(
            `${inputs[i]}: ${rows < 0 ? "header" : `row ${rows + 1}`} starts with "${
              cells[i]![0]
            }", ${inputs[0]} with "${t}"`,
          );
        }
      }
      pending += t + cells.map((c) => c[1]).join("") + "\n";
      rows++;
      if (pending.length >= 1 << 20) await flush();
    }
    await flush();
  } finally {
    await Promise.all(readers.map((r) => r.return(undefined)));
  }
  return rows;
}
