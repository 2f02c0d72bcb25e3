/**
 * Fast mode for compiled channels: the cnexp gates whose rates depend only on v, or on one
 * concentration, are advanced from the solver's rate tables (solver/mechanisms/_rate_table.ts:
 * cubic tables of x∞ and 1 − exp(−dt/τ)) instead of evaluating `exp` per instance and step —
 * the same tables and kernels as the built-in Hay channels.
 *
 * Detection works on the IR of the `advance` kernel. It is tabulable when every statement either
 * computes kernel locals, loads node values, or updates a STATE in nocmodl's cnexp form
 * x ← x + F·(T − x), and for every state T and F depend only on
 * - v (a voltage gate: T and F tabulated over v), or
 * - one concentration for T while F is free of v and concentrations (a concentration gate:
 *   T tabulated over the concentration, F computed once per dt),
 * besides constants, globals, dt, celsius and RANGE parameters that are equal on all instances
 * (checked at initialisation; otherwise the exact kernel runs). A gate function generated from
 * the same IR computes (T, F) of every gate for the table builder.
 *
 * @module
 */
import { inlineDerived } from "./_optimize.ts";
import type { Expr, KernelIR, MechanismIR, Slot, Stmt } from "./ir.ts";

/** How one state is tabulated. */
export interface GatePlan {
  /** Field index of the state. */
  readonly field: number;
  /** Table variable. */
  readonly over: "v" | "concentration";
}

/** The fast-mode plan of a mechanism, or the reason it has none. */
export type GateTablePlan =
  | {
    readonly ok: true;
    /** Gates in update order. */
    readonly gates: readonly GatePlan[];
    /** Node-variable index of the concentration of concentration gates (−1 if none). */
    readonly concentrationNode: number;
    /** RANGE fields the rates read: must be uniform over the instances. */
    readonly uniformFields: readonly number[];
    /** The advance body rewritten to write (T, F) of gate i into out[2i], out[2i + 1]. */
    readonly gateBody: readonly Stmt[];
    /** Locals of `gateBody`. */
    readonly locals: number;
    /** Local slot holding v in `gateBody`, or undefined. */
    readonly vLocal: number | undefined;
    /** Local slot holding the concentration in `gateBody`, or undefined. */
    readonly concLocal: number | undefined;
  }
  | { readonly ok: false; readonly reason: string };

type Deps = Set<string>;

function exprDeps(e: Expr, locals: Map<number, Deps>, out: Deps): void {
  switch (e.op) {
    case "const":
      return;
    case "read": {
      const s = e.slot;
      if (s.space === "local") locals.get(s.index)?.forEach((d) => out.add(d));
      else if (s.space === "field") out.add(`field:${s.index}`);
      else if (s.space === "builtin") out.add(`builtin:${s.name}`);
      else if (s.space === "global") out.add("global");
      else out.add(`other:${s.space}`);
      return;
    }
    case "neg":
    case "not":
      return exprDeps(e.arg, locals, out);
    case "call":
      for (const a of e.args) exprDeps(a, locals, out);
      return;
    default:
      exprDeps(e.a, locals, out);
      exprDeps(e.b, locals, out);
  }
}

/** Matches x + F·(T − x) for state slot x (nocmodl's cnexp update). */
function cnexpParts(value: Expr, x: Slot): { F: Expr; T: Expr } | undefined {
  const isX = (e: Expr) =>
    e.op === "read" && e.slot.space === x.space && (e.slot as { index: number }).index ===
      (x as { index: number }).index;
  if (value.op !== "add" || !isX(value.a)) return undefined;
  const m = value.b;
  if (m.op !== "mul") return undefined;
  const d = m.b;
  if (d.op !== "sub" || !isX(d.b)) return undefined;
  return { F: m.a, T: d.a };
}

/**
 * Plans the fast mode of a mechanism's advance kernel.
 *
 * @param ir the (optimised) IR
 * @returns the plan, or why the exact kernel must run
 */
export function planGateTables(ir: MechanismIR): GateTablePlan {
  const adv: KernelIR = { locals: ir.advance.locals, body: inlineDerived(ir, ir.advance.body) };
  const localDeps = new Map<number, Deps>();
  const gates: GatePlan[] = [];
  const uniform = new Set<number>();
  let concentrationNode = -1;
  let vLocal: number | undefined, concLocal: number | undefined;
  const gateBody: Stmt[] = [];
  let gateCount = 0;
  const fail = (reason: string): GateTablePlan => ({ ok: false, reason });
  const addDeps = (local: number, d: Deps) => {
    const cur = localDeps.get(local) ?? new Set<string>();
    d.forEach((x) => cur.add(x));
    localDeps.set(local, cur);
  };
  // Dependencies are collected flow-insensitively (a local's deps = all its assignments').
  function scan(list: readonly Stmt[], control: Deps): string | undefined {
    for (const s of list) {
      switch (s.op) {
        case "loadNode": {
          if (s.slot.space !== "local") return "a node value is stored in a field";
          const nv = ir.nodeVars[s.node];
          if (nv.kind === "v") {
            addDeps(s.slot.index, new Set(["v"]));
            vLocal = s.slot.index;
          } else if (nv.kind === "concentrationIn" || nv.kind === "concentrationOut") {
            if (concentrationNode >= 0 && concentrationNode !== s.node) {
              return "rates depend on two concentrations";
            }
            concentrationNode = s.node;
            concLocal = s.slot.index;
            addDeps(s.slot.index, new Set(["conc"]));
          } else addDeps(s.slot.index, new Set(["other:node"]));
          break;
        }
        case "assign": {
          const d = new Set(control);
          exprDeps(s.value, localDeps, d);
          if (s.slot.space === "local") addDeps(s.slot.index, d);
          else if (s.slot.space === "field" && ir.fields[s.slot.index].role === "state") {
            if (cnexpParts(s.value, s.slot) === undefined) return "a state update is not cnexp";
          } else return `the advance writes ${s.slot.space} values besides the states`;
          break;
        }
        case "if": {
          const c = new Set(control);
          exprDeps(s.cond, localDeps, c);
          const r = scan(s.then, c) ?? scan(s.otherwise, c);
          if (r !== undefined) return r;
          break;
        }
        default:
          return `the advance has a ${s.op} statement`;
      }
    }
    return undefined;
  }
  // Two passes settle dependencies through reassigned locals (v shifted by the guards).
  for (let pass = 0; pass < 2; pass++) {
    const r = scan(adv.body, new Set());
    if (r !== undefined) return fail(r);
  }
  function classify(d: Deps, what: string): string | undefined {
    for (const x of d) {
      if (
        x === "v" || x === "conc" || x === "global" || x === "builtin:dt" || x === "builtin:celsius"
      ) {
        continue;
      }
      if (x.startsWith("field:")) {
        const f = Number(x.slice(6));
        if (ir.fields[f].role !== "parameter") return `${what} reads ${ir.fields[f].name}`;
        uniform.add(f);
        continue;
      }
      return `${what} depends on ${x}`;
    }
    return undefined;
  }
  function rewrite(list: readonly Stmt[]): Stmt[] | string {
    const out: Stmt[] = [];
    for (const s of list) {
      if (s.op === "assign" && s.slot.space === "field") {
        const parts = cnexpParts(s.value, s.slot)!;
        const dT = new Set<string>(), dF = new Set<string>();
        exprDeps(parts.T, localDeps, dT);
        exprDeps(parts.F, localDeps, dF);
        const r = classify(dT, "x∞") ?? classify(dF, "the step factor");
        if (r !== undefined) return r;
        let over: "v" | "concentration";
        if (!dT.has("conc") && !dF.has("conc")) over = "v";
        else if (
          !dT.has("v") && !dT.has("builtin:dt") && !dF.has("v") && !dF.has("conc")
        ) over = "concentration";
        else {return "a gate depends on v and a concentration, or its step factor on the concentration";}
        const i = gateCount++;
        gates.push({ field: s.slot.index, over });
        out.push({ op: "assign", slot: { space: "rhs", index: 2 * i }, value: parts.T });
        out.push({ op: "assign", slot: { space: "rhs", index: 2 * i + 1 }, value: parts.F });
      } else if (s.op === "if") {
        const a = rewrite(s.then), b = rewrite(s.otherwise);
        if (typeof a === "string") {
          return a;
        }
        if (typeof b === "string") {
          return b;
        }
        out.push({ ...s, then: a, otherwise: b });
      } else if (s.op === "loadNode") {
        const nv = ir.nodeVars[s.node];
        if (nv.kind !== "v" && nv.kind !== "concentrationIn" && nv.kind !== "concentrationOut") {
          continue; // unused by the gates (checked by classify)
        }
        out.push(s);
      } else out.push(s);
    }
    return out;
  }
  const body = rewrite(adv.body);
  if (typeof body === "string") return fail(body);
  if (gates.length === 0) return fail("no gates");
  gateBody.push(...body);
  return {
    ok: true,
    gates,
    concentrationNode,
    uniformFields: [...uniform].sort((a, b) => a - b),
    gateBody,
    locals: adv.locals,
    vLocal,
    concLocal,
  };
}
