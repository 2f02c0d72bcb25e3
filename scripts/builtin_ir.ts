/**
 * Stores the IR of every built-in NMODL description (solver/mechanisms/builtin/) in
 * solver/mechanisms/builtin/stored_ir.ts, so that a simrun process compiles only the back half
 * (the kernels) of its built-ins (solver/builtin_mechanisms.ts). Run it after editing a
 * description: `deno task builtin-ir`; tests/stored_builtin_ir_test.ts fails until then.
 *
 * @module
 */
import { builtinDescriptions, storedIrText } from "../solver/builtin_mechanisms.ts";

if (import.meta.main) {
  const path = new URL("../solver/mechanisms/builtin/stored_ir.ts", import.meta.url);
  await Deno.writeTextFile(path, storedIrText(builtinDescriptions()));
  console.error(`builtin-ir: wrote ${path.pathname.split("/").slice(-4).join("/")}`);
}
