/**
 * A `.mod` file is untrusted input: names outside the whitelist, enormous TABLEs, recursion,
 * runaway inlining, deep nesting, huge files, C code and loops are refused at compile time with
 * one line (file:line:column: message); text of the file never reaches the generated code.
 *
 * @module
 */
import assert from "node:assert/strict";
import { compileNmodl } from "../solver/nmodl/mod.ts";
import { allocateInstances } from "../solver/mechanisms/_types.ts";
import { makeNodes, prepareContext } from "../solver/mechanisms/_testing.ts";
import { toDensityMechanism } from "../solver/nmodl/mod.ts";

const HEAD = `NEURON { SUFFIX h NONSPECIFIC_CURRENT i RANGE g }
PARAMETER { g = 0.001 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) }
`;

function refused(text: string, pattern: RegExp): string {
  const r = compileNmodl(text, { file: "hostile.mod" });
  assert.ok(!r.ok, "compiled, expected a refusal");
  const m = r.error.message;
  assert.ok(!m.includes("\n"), `one line: ${m}`);
  assert.match(m, /^hostile\.mod:\d+(:\d+)?: /);
  assert.match(m, pattern);
  return m;
}

Deno.test("compileNmodl() refuses a call of a function outside the whitelist", () => {
  refused(HEAD + "BREAKPOINT { i = g*eval(v) }", /Unknown function "eval"/);
  refused(HEAD + "BREAKPOINT { i = g*require(v) }", /Unknown function "require"/);
});

Deno.test("compileNmodl() refuses names that are not declared", () => {
  refused(HEAD + "BREAKPOINT { i = g*(v - globalThis) }", /Unknown name "globalThis"/);
  refused(HEAD + "BREAKPOINT { Deno = 1 i = g*v }", /Unknown name "Deno"/);
});

Deno.test("compileNmodl() refuses an enormous TABLE", () => {
  const text = HEAD + `BREAKPOINT { i = g*f(v) }
FUNCTION f(x) {
  TABLE FROM -100 TO 100 WITH 1000000000
  f = exp(x/10)
}`;
  refused(text, /TABLE WITH 1000000000/);
});

Deno.test("compileNmodl() refuses direct and mutual recursion", () => {
  refused(HEAD + "BREAKPOINT { i = g*f(v) }\nFUNCTION f(x) { f = f(x - 1) }", /Recursion.*f → f/);
  refused(
    HEAD + "BREAKPOINT { i = g*a(v) }\nFUNCTION a(x) { a = b(x) }\nFUNCTION b(x) { b = a(x) }",
    /Recursion.*a → b → a/,
  );
});

Deno.test("compileNmodl() refuses inlining that would explode (2^40 calls)", () => {
  let text = HEAD + "BREAKPOINT { i = g*f0(v) }\n";
  for (let k = 0; k < 40; k++) {
    text += `FUNCTION f${k}(x) { f${k} = f${k + 1}(x) + f${k + 1}(x) }\n`;
  }
  text += "FUNCTION f40(x) { f40 = x }\n";
  refused(text, /too large after inlining/);
});

Deno.test("compileNmodl() refuses deep nesting and huge files with one line", () => {
  refused(HEAD + `BREAKPOINT { i = g*${"(".repeat(5000)}v${")".repeat(5000)} }`, /Nesting deeper/);
  let ifs = HEAD + "BREAKPOINT { i = 0 ";
  for (let k = 0; k < 200; k++) ifs += "if (v > 0) { ";
  ifs += "i = g*v " + "}".repeat(200) + " }";
  refused(ifs, /Nesting deeper/);
  refused(HEAD + ":".repeat(2_000_000), /File too large/);
});

Deno.test("compileNmodl() refuses C code in VERBATIM and loops that could run forever", () => {
  refused(HEAD + 'VERBATIM\nsystem("rm -rf /");\nENDVERBATIM\nBREAKPOINT { i = g*v }', /VERBATIM/);
  refused(HEAD + "BREAKPOINT { i = g*v\n while (1) { i = i } }", /while loop is not supported/);
});

Deno.test("compileNmodl() keeps the file's text out of the generated code", () => {
  const evil = `TITLE */ }); globalThis.pwned = 1; (function(){ //
${HEAD.replace("RANGE g", "RANGE g, constructor, toString")}
PARAMETER { constructor = 2 toString = 3 }
BREAKPOINT { i = g*(v - constructor*toString) }`;
  const r = compileNmodl(evil, { file: "evil.mod" });
  if (!r.ok) throw r.error;
  const src = r.mechanism.kernels.source;
  for (const word of ["pwned", "globalThis", "constructor", "toString", "TITLE"]) {
    assert.ok(!src.includes(word), `"${word}" reached the generated code`);
  }
  // Field names are data: a RANGE variable named "constructor" works.
  const m = toDensityMechanism(r.mechanism);
  const s = allocateInstances(m, new Int32Array([0]));
  const n = makeNodes(1, { v: -60 });
  m.prepare(s, prepareContext(n));
  m.init(s, n);
  m.current(s, n);
  assert.ok(Math.abs(n.i[0] - 0.001 * (-60 - 6)) < 1e-15, `current ${n.i[0]}`);
  assert.equal((globalThis as Record<string, unknown>).pwned, undefined);
});
