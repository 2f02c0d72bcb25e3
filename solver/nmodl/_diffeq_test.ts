import assert from "node:assert/strict";
import { cnexpUpdate, decompose } from "./_diffeq.ts";
import type { Expr, Slot } from "./ir.ts";

const X: Slot = { space: "field", index: 0 };
const x: Expr = { op: "read", slot: X };
const g = (i: number): Expr => ({ op: "read", slot: { space: "field", index: i } });
const dt: Expr = { op: "read", slot: { space: "builtin", name: "dt" } };

function show(e: Expr | undefined): string {
  if (e === undefined) return "0.0";
  switch (e.op) {
    case "const":
      return String(e.value);
    case "read":
      return e.slot.space === "builtin" ? e.slot.name : `f${(e.slot as { index: number }).index}`;
    case "neg":
      return `(-${show(e.arg)})`;
    case "not":
      return `(!${show(e.arg)})`;
    case "call":
      return `${e.fn}(${e.args.map(show).join(", ")})`;
    default: {
      const ops: Record<string, string> = { add: "+", sub: "-", mul: "*", div: "/" };
      return `(${show(e.a)} ${ops[e.op] ?? e.op} ${show(e.b)})`;
    }
  }
}

Deno.test("cnexpUpdate() builds nocmodl's update of m' = (minf - m)/mtau", () => {
  // nocmodl: m = m + (1. - exp(dt*((((-1.0)))/mTau)))*(-(((mInf))/mTau)/((((-1.0)))/mTau) - m)
  const f: Expr = { op: "div", a: { op: "sub", a: g(1), b: x }, b: g(2) };
  assert.equal(
    show(cnexpUpdate(f, X, dt)),
    "(f0 + ((1 - exp((dt * ((-1) / f2)))) * (((-(f1 / f2)) / ((-1) / f2)) - f0)))",
  );
});

Deno.test("decompose() reads a pure decay and a source term as nocmodl does", () => {
  // Roff' = -Beta*Roff: de = (-Beta)*(1.0), b absent
  const d = decompose({ op: "mul", a: { op: "neg", arg: g(3) }, b: x }, X);
  assert.equal(show(d.de), "((-f3) * 1)");
  assert.equal(show(d.b), "0.0");
  // cai' = -(10000)*(ica*gamma/(2*F*depth)) - (cai - minCai)/decay
  const f: Expr = {
    op: "sub",
    a: { op: "mul", a: { op: "neg", arg: { op: "const", value: 10000 } }, b: g(4) },
    b: { op: "div", a: { op: "sub", a: x, b: g(5) }, b: g(6) },
  };
  const c = decompose(f, X);
  assert.equal(show(c.de), "(-(1 / f6))");
  assert.equal(show(c.a), "(-(1 / f6))");
  assert.equal(show(c.b), "(((-10000) * f4) - ((-f5) / f6))");
});

Deno.test("decompose() flags nonlinear ODEs the way nocmodl reads them", () => {
  const sq = decompose({ op: "mul", a: x, b: x }, X);
  assert.equal(sq.dInvalid, false);
  assert.equal(sq.eqInvalid, true);
  // nocmodl then emits x + (1 - exp(dt*de))*( - x): reproduced.
  assert.match(show(cnexpUpdate({ op: "mul", a: x, b: x }, X, dt)), /\* \(-f0\)\)\)$/);
  const inExp = decompose({ op: "call", fn: "exp", args: [x] }, X);
  assert.equal(inExp.dInvalid, true);
  assert.equal(cnexpUpdate({ op: "call", fn: "exp", args: [x] }, X, dt), undefined);
  assert.equal(decompose({ op: "div", a: g(1), b: x }, X).dInvalid, true);
});

Deno.test("cnexpUpdate() of an ODE without the state is explicit Euler x - dt*(-b)", () => {
  assert.equal(show(cnexpUpdate(g(7), X, dt)), "(f0 - (dt * (-f7)))");
});
