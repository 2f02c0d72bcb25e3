/**
 * The stored IR of the built-in descriptions (solver/mechanisms/builtin/stored_ir.ts) is what the
 * compiler makes of them today, so a process that skips the compiler's front half runs the same
 * kernels as one that compiles the text.
 */
import assert from "node:assert/strict";
import {
  builtinDescriptions,
  builtinFileName,
  descriptionHash,
  storedIrText,
} from "../solver/builtin_mechanisms.ts";
import { STORED_BUILTIN_IR } from "../solver/mechanisms/builtin/stored_ir.ts";
import { compileNmodl } from "../solver/nmodl/mod.ts";
import { fromFileUrl } from "./_url.ts";

/** A copy without properties whose value is undefined (JSON leaves them out). */
function withoutUndefined(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(withoutUndefined);
  if (typeof x !== "object" || x === null) return x;
  return Object.fromEntries(
    Object.entries(x).filter(([, v]) => v !== undefined).map(([k, v]) => [k, withoutUndefined(v)]),
  );
}

Deno.test("stored_ir.ts is up to date (else run `deno task builtin-ir`)", async () => {
  const path = fromFileUrl(new URL("../solver/mechanisms/builtin/stored_ir.ts", import.meta.url));
  assert.equal(await Deno.readTextFile(path), storedIrText(builtinDescriptions()));
});

Deno.test("every built-in's stored IR equals a fresh compile of its text, −0 included", () => {
  const stored = JSON.parse(
    STORED_BUILTIN_IR,
    (_k, v) =>
      typeof v === "object" && v !== null && Object.hasOwn(v, "$number") ? Number(v.$number) : v,
  );
  const descriptions = builtinDescriptions();
  assert.equal(Object.keys(descriptions).length, 16);
  assert.deepEqual(Object.keys(stored), Object.keys(descriptions));
  let negativeZeros = 0;
  for (const [name, text] of Object.entries(descriptions)) {
    const r = compileNmodl(text, { file: builtinFileName(name) });
    assert.ok(r.ok);
    assert.equal(stored[name].hash, descriptionHash(text), name);
    // deepStrictEqual compares numbers with Object.is: 0 and −0 differ.
    assert.deepStrictEqual(stored[name].ir, withoutUndefined(r.mechanism.ir), name);
    JSON.stringify(stored[name].ir, (_k, v) => {
      if (Object.is(v, -0)) negativeZeros++;
      return v;
    });
  }
  assert.ok(negativeZeros > 0, "the IR holds −0 somewhere (gaba_syn), which JSON alone loses");
});

Deno.test("descriptionHash tells an edited description from the stored one", () => {
  const [name, text] = Object.entries(builtinDescriptions())[0]!;
  assert.notEqual(descriptionHash(text + " "), descriptionHash(text), name);
  assert.notEqual(descriptionHash(text.replace("0", "1")), descriptionHash(text), name);
});
