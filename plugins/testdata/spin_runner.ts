/**
 * Test helper run as a subprocess by tests/plugins_sandbox_test.ts: runs the "spin" action of
 * `misbehaving_cell_modify.ts` with a short time limit, prints the error, and exits the process
 * (Deno cannot stop a worker stuck in a synchronous loop; exiting the process does).
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { PluginError } from "../../io/errors.ts";
import { runCellModifyPlugin } from "../user_cell_modify.ts";
import { tinyCell } from "./tiny_cell.ts";

const limitMs = Number(Deno.args[0] ?? "300");
const path = fileURLToPath(new URL("./misbehaving_cell_modify.ts", import.meta.url));
const t0 = performance.now();
try {
  await runCellModifyPlugin(path, tinyCell(), { action: "spin" }, {
    timeLimitMs: limitMs,
    name: "misbehaving_cell_modify.ts",
  });
  console.log("RESULT no error");
} catch (e) {
  const kind = e instanceof PluginError ? "PluginError" : "other";
  console.log(
    `RESULT ${kind} after ${Math.round(performance.now() - t0)} ms: ${(e as Error).message}`,
  );
}
Deno.exit(0);
