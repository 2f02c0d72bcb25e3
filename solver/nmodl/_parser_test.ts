import assert from "node:assert/strict";
import type { AstExpr } from "./_ast.ts";
import { parseNmodl } from "./_parser.ts";

function show(e: AstExpr): string {
  switch (e.kind) {
    case "num":
      return String(e.value);
    case "name":
      return e.name;
    case "unary":
      return `(${e.op}${show(e.arg)})`;
    case "binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case "call":
      return `${e.name}(${e.args.map(show).join(", ")})`;
    case "string":
      return JSON.stringify(e.value);
  }
}

function expr(text: string): string {
  const f = parseNmodl(`NEURON { SUFFIX x } BREAKPOINT { y = ${text} }`, "p.mod");
  const s = f.breakpoint![0];
  if (s.kind !== "assign") throw new Error("not an assignment");
  return show(s.value);
}

Deno.test("parseNmodl() uses NEURON's operator precedence", () => {
  assert.equal(expr("-a^b"), "(-(a ^ b))");
  assert.equal(expr("a^b^c"), "(a ^ (b ^ c))");
  assert.equal(expr("a - b - c"), "((a - b) - c)");
  assert.equal(expr("a + b*c/d"), "(a + ((b * c) / d))");
  assert.equal(expr("a < b && c || !d"), "(((a < b) && c) || (!d))");
  assert.equal(expr("0.062 (/mV) * -v"), "(0.062 * (-v))"); // units after a number
  assert.equal(expr("exp(-(v + 38)/6)"), "exp(((-(v + 38)) / 6))");
});

Deno.test("parseNmodl() reads declarations with values, units, limits and ranges", () => {
  const f = parseNmodl(
    `NEURON { SUFFIX x USEION ca READ cai, eca WRITE ica VALENCE 2 RANGE g GLOBAL q }
     UNITS { (mV) = (millivolt) FARADAY = (faraday) (coulombs) }
     PARAMETER { g = 0.001 (S/cm2) <0, 1e9> q = -2 v (mV) }
     STATE { z FROM 0 TO 1 }`,
    "d.mod",
  );
  assert.deepEqual(f.parameters.map((d) => [d.name, d.value, d.units]), [
    ["g", 0.001, "S/cm2"],
    ["q", -2, undefined],
    ["v", undefined, "mV"],
  ]);
  assert.deepEqual(f.neuron.ions[0].read.map((r) => r.name), ["cai", "eca"]);
  assert.equal(f.neuron.ions[0].valence, 2);
  assert.deepEqual(f.units.map((u) => [u.name, u.from, u.to]), [
    [undefined, "mV", "millivolt"],
    ["FARADAY", "faraday", "coulombs"],
  ]);
  assert.equal(f.states[0].name, "z");
});

Deno.test("parseNmodl() reads KINETIC reactions, fluxes and CONSERVE", () => {
  const f = parseNmodl(
    `NEURON { SUFFIX x } STATE { a b c }
     KINETIC k { ~ a + 2 b <-> c (kf, kb) ~ a << (1) ~ c -> (2) CONSERVE a + b + c = 1 }`,
    "k.mod",
  );
  const body = f.procs[0].body.map((s) => s.kind);
  assert.deepEqual(body, ["reaction", "flux", "flux", "conserve"]);
  const r = f.procs[0].body[0];
  assert.ok(r.kind === "reaction" && r.rhs[0].name === "c" && r.lhs[1].count === 2);
});

Deno.test("parseNmodl() reports the position of a syntax error", () => {
  assert.throws(
    () => parseNmodl("NEURON { SUFFIX x }\nBREAKPOINT {\n  i = (v - \n}", "e.mod"),
    /^InputSyntaxError: e\.mod:4:1: Expected an expression, got "}"/,
  );
  assert.throws(
    () => parseNmodl("NEURON { SUFFIX x }\nFOO { }", "e.mod"),
    /e\.mod:2:1: Unknown block "FOO"/,
  );
  assert.throws(
    () => parseNmodl("NEURON { SUFFIX x\n", "e.mod"),
    /e\.mod:1:8: Unclosed NEURON block/,
  );
});
