/**
 * The stored IR of the built-in descriptions (solver/mechanisms/builtin/stored_ir.ts) is what the
 * compiler makes of them today, so a process that skips the compiler's front half runs the same
 * kernels as one that compiles the text.
 */
import assert from "node:assert/strict";
import {
  builtinDescriptions,
  builtinFileName,
  storedBuiltinIr,
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
  const descriptions = builtinDescriptions();
  assert.equal(Object.keys(descriptions).length, 16);
  assert.deepEqual(Object.keys(STORED_BUILTIN_IR), Object.keys(descriptions));
  let negativeZeros = 0;
  for (const [name, text] of Object.entries(descriptions)) {
    const fresh = compileNmodl(text, { file: builtinFileName(name) });
    const stored = storedBuiltinIr(name, text);
    assert.ok(fresh.ok && stored !== undefined, name);
    // deepStrictEqual compares numbers with Object.is: 0 and −0 differ.
    assert.deepStrictEqual(stored, withoutUndefined(fresh.mechanism.ir), name);
    JSON.stringify(stored, (_k, v) => {
      if (Object.is(v, -0)) negativeZeros++;
      return v;
    });
  }
  assert.ok(negativeZeros > 0, "the IR holds −0 somewhere (gaba_syn), which JSON alone loses");
});

Deno.test("an edited description is compiled from its text, not taken from the store", () => {
  const [name, text] = Object.entries(builtinDescriptions())[0]!;
  assert.notEqual(storedBuiltinIr(name, text), undefined);
  assert.equal(storedBuiltinIr(name, text + "\n: edited\n"), undefined);
  assert.equal(storedBuiltinIr("no_such_mechanism", text), undefined);
});
