/**
 * IR → IR optimisations that cannot change a result:
 *
 * - constant folding of operations on constants (evaluated with the same JavaScript operations
 *   the kernels would run, so the value is the one the kernel would compute);
 * - scalar replacement: an ASSIGNED variable that hoc cannot see (not RANGE) and that every
 *   kernel writes before it reads it lives in a kernel local instead of a per-instance array
 *   (NaTa_t's mAlpha … hTau: eight array stores per instance and step saved);
 * - removal of node loads whose local is never read.
 *
 * @module
 */
import type {
  CurrentKernelIR,
  Expr,
  KernelIR,
  MechanismIR,
  NetReceiveIR,
  Slot,
  Stmt,
} from "./ir.ts";
import { evalBinary, MATH_FUNCTIONS as MATH } from "./_math.ts";

/** Folds constant subexpressions. */
export function foldExpr(e: Expr): Expr {
  switch (e.op) {
    case "const":
    case "read":
      return e;
    case "neg": {
      const a = foldExpr(e.arg);
      return a.op === "const" ? { op: "const", value: -a.value } : { op: "neg", arg: a };
    }
    case "not": {
      const a = foldExpr(e.arg);
      return a.op === "const"
        ? { op: "const", value: a.value === 0 ? 1 : 0 }
        : { op: "not", arg: a };
    }
    case "call": {
      const args = e.args.map(foldExpr);
      const f = MATH[e.fn];
      if (f !== undefined && args.every((a) => a.op === "const")) {
        return { op: "const", value: f(...args.map((a) => (a as { value: number }).value)) };
      }
      return { op: "call", fn: e.fn, args };
    }
    default: {
      const a = foldExpr(e.a), b = foldExpr(e.b);
      if (a.op === "const" && b.op === "const") {
        return { op: "const", value: evalBinary(e.op, a.value, b.value) };
      }
      return { op: e.op, a, b } as Expr;
    }
  }
}

/** Applies `f` to every expression and `g` to every slot of a statement list. */
function mapStmts(list: readonly Stmt[], f: (e: Expr) => Expr, g: (s: Slot) => Slot): Stmt[] {
  return list.map((s): Stmt => {
    switch (s.op) {
      case "assign":
        return { op: "assign", slot: g(s.slot), value: f(s.value) };
      case "if":
        return {
          op: "if",
          cond: f(s.cond),
          then: mapStmts(s.then, f, g),
          otherwise: mapStmts(s.otherwise, f, g),
        };
      case "loadNode":
        return { op: "loadNode", slot: g(s.slot), node: s.node };
      case "storeNode":
      case "addNode":
        return { op: s.op, node: s.node, value: f(s.value) };
      case "table":
        return {
          op: "table",
          table: s.table,
          arg: f(s.arg),
          outputs: s.outputs.map(g),
          direct: mapStmts(s.direct, f, g),
        };
      case "random":
        return { op: "random", slot: g(s.slot), distribution: s.distribution };
      case "netSend":
        return { op: "netSend", delay: f(s.delay), flag: f(s.flag) };
      case "newton":
        return {
          op: "newton",
          states: s.states.map(g),
          derivs: s.derivs.map(g),
          body: mapStmts(s.body, f, g),
          dt: s.dt,
        };
      case "kinetic":
        return { ...s, states: s.states.map(g), assemble: mapStmts(s.assemble, f, g) };
    }
  });
}

function mapExprSlots(e: Expr, g: (s: Slot) => Slot): Expr {
  switch (e.op) {
    case "const":
      return e;
    case "read":
      return { op: "read", slot: g(e.slot) };
    case "neg":
    case "not":
      return { op: e.op, arg: mapExprSlots(e.arg, g) };
    case "call":
      return { op: "call", fn: e.fn, args: e.args.map((a) => mapExprSlots(a, g)) };
    default:
      return { op: e.op, a: mapExprSlots(e.a, g), b: mapExprSlots(e.b, g) } as Expr;
  }
}

/** Fields read before being written in this code (given the fields written before it). */
function earlyReads(list: readonly Stmt[], written: Set<number>, bad: Set<number>): void {
  const readExpr = (e: Expr): void => {
    switch (e.op) {
      case "const":
        return;
      case "read":
        if (e.slot.space === "field" && !written.has(e.slot.index)) bad.add(e.slot.index);
        return;
      case "neg":
      case "not":
        return readExpr(e.arg);
      case "call":
        return e.args.forEach(readExpr);
      default:
        readExpr(e.a);
        readExpr(e.b);
    }
  };
  const write = (s: Slot) => {
    if (s.space === "field") written.add(s.index);
  };
  for (const s of list) {
    switch (s.op) {
      case "assign":
        readExpr(s.value);
        write(s.slot);
        break;
      case "if": {
        readExpr(s.cond);
        const a = new Set(written), b = new Set(written);
        earlyReads(s.then, a, bad);
        earlyReads(s.otherwise, b, bad);
        for (const f of a) if (b.has(f)) written.add(f);
        break;
      }
      case "loadNode":
        write(s.slot);
        break;
      case "storeNode":
      case "addNode":
        readExpr(s.value);
        break;
      case "table": {
        readExpr(s.arg);
        const d = new Set(written);
        earlyReads(s.direct, d, bad);
        s.outputs.forEach(write);
        break;
      }
      case "random":
        write(s.slot);
        break;
      case "netSend":
        readExpr(s.delay);
        readExpr(s.flag);
        break;
      case "newton":
        // States are set by the solver before each evaluation.
        s.states.forEach((x) => x.space === "field" && bad.add(x.index));
        earlyReads(s.body, written, bad);
        break;
      case "kinetic":
        s.states.forEach((x) => x.space === "field" && bad.add(x.index));
        earlyReads(s.assemble, written, bad);
        break;
    }
  }
}

function localsUsed(list: readonly Stmt[], extra: readonly Expr[]): Set<number> {
  const used = new Set<number>();
  const e = (x: Expr): Expr => {
    if (x.op === "read" && x.slot.space === "local") used.add(x.slot.index);
    return x;
  };
  const walk = (x: Expr): void => {
    e(x);
    if (x.op === "neg" || x.op === "not") walk(x.arg);
    else if (x.op === "call") x.args.forEach(walk);
    else if (x.op !== "const" && x.op !== "read") {
      walk(x.a);
      walk(x.b);
    }
  };
  mapStmts(list, (x) => {
    walk(x);
    return x;
  }, (s) => s);
  extra.forEach(walk);
  // Newton derivative slots and table outputs are read by the solver/lookup.
  const visit = (l: readonly Stmt[]) => {
    for (const s of l) {
      if (s.op === "newton") {
        s.derivs.forEach((d) => d.space === "local" && used.add(d.index));
        visit(s.body);
      } else if (s.op === "kinetic") visit(s.assemble);
      else if (s.op === "if") {
        visit(s.then);
        visit(s.otherwise);
      } else if (s.op === "table") visit(s.direct);
    }
  };
  visit(list);
  return used;
}

function dropDeadLoads(list: readonly Stmt[], used: Set<number>): Stmt[] {
  return list.filter((s) =>
    !(s.op === "loadNode" && s.slot.space === "local" && !used.has(s.slot.index))
  );
}

/**
 * Optimises a mechanism's IR (see the module documentation).
 *
 * @param ir the analysed mechanism
 * @returns an equivalent IR
 */
export function optimize(ir: MechanismIR): MechanismIR {
  const fold = (e: Expr) => foldExpr(e);
  const id = (s: Slot) => s;
  // 1. Constant folding everywhere.
  let init: KernelIR = { locals: ir.init.locals, body: mapStmts(ir.init.body, fold, id) };
  let advance: KernelIR = { locals: ir.advance.locals, body: mapStmts(ir.advance.body, fold, id) };
  let current: CurrentKernelIR | undefined = ir.current && {
    ...ir.current,
    prologue: mapStmts(ir.current.prologue, fold, id),
    body: mapStmts(ir.current.body, fold, id),
    conductance: ir.current.conductance && foldExpr(ir.current.conductance),
  };
  let netReceive: NetReceiveIR | undefined = ir.netReceive && {
    ...ir.netReceive,
    body: mapStmts(ir.netReceive.body, fold, id),
    initial: mapStmts(ir.netReceive.initial, fold, id),
  };
  const tables = ir.tables.map((t) => ({
    ...t,
    from: foldExpr(t.from),
    to: foldExpr(t.to),
    build: mapStmts(t.build, fold, id),
  }));
  // 2. Scalar replacement of invisible ASSIGNED fields written before read in every kernel.
  const bad = new Set<number>();
  earlyReads(init.body, new Set(), bad);
  earlyReads(advance.body, new Set(), bad);
  if (current) {
    const w = new Set<number>();
    earlyReads(current.prologue, w, bad);
    earlyReads(current.body, w, bad);
    const after = new Set(w);
    const probe: Stmt[] = [
      ...current.currents.map((s): Stmt => ({
        op: "addNode",
        node: 0,
        value: { op: "read", slot: s },
      })),
      ...current.ionCurrents.map((c): Stmt => ({
        op: "addNode",
        node: 0,
        value: { op: "read", slot: c.slot },
      })),
    ];
    if (current.conductance) probe.push({ op: "addNode", node: 0, value: current.conductance });
    earlyReads(probe, after, bad);
    // Currents are recorded values: keep them in fields.
    current.currents.forEach((s) => s.space === "field" && bad.add(s.index));
  }
  if (netReceive) {
    earlyReads(netReceive.initial, new Set(), bad);
    earlyReads(netReceive.body, new Set(), bad);
  }
  const demote = new Set(
    ir.fields.map((_, i) => i).filter((i) =>
      ir.fields[i].role === "assigned" && !ir.fields[i].visible && !bad.has(i)
    ),
  );
  if (demote.size > 0) {
    const remap = (k: { locals: number }) => {
      const m = new Map<number, number>();
      for (const f of demote) m.set(f, k.locals++);
      return (s: Slot): Slot =>
        s.space === "field" && m.has(s.index) ? { space: "local", index: m.get(s.index)! } : s;
    };
    const apply = (list: readonly Stmt[], g: (s: Slot) => Slot) =>
      mapStmts(list, (e) => mapExprSlots(e, g), g);
    {
      const k = { locals: init.locals };
      const g = remap(k);
      init = { locals: k.locals, body: apply(init.body, g) };
    }
    {
      const k = { locals: advance.locals };
      const g = remap(k);
      advance = { locals: k.locals, body: apply(advance.body, g) };
    }
    if (current) {
      const k = { locals: current.locals };
      const g = remap(k);
      current = {
        ...current,
        locals: k.locals,
        prologue: apply(current.prologue, g),
        body: apply(current.body, g),
        conductance: current.conductance && mapExprSlots(current.conductance, g),
      };
    }
    if (netReceive) {
      const k = { locals: netReceive.locals };
      const g = remap(k);
      netReceive = {
        ...netReceive,
        locals: k.locals,
        body: apply(netReceive.body, g),
        initial: apply(netReceive.initial, g),
      };
    }
  }
  // 3. Node loads nobody reads.
  init = { ...init, body: dropDeadLoads(init.body, localsUsed(init.body, [])) };
  advance = { ...advance, body: dropDeadLoads(advance.body, localsUsed(advance.body, [])) };
  if (current) {
    const extra: Expr[] = current.conductance ? [current.conductance] : [];
    // The backend reads v and the area outside the IR statements.
    extra.push({ op: "read", slot: current.v });
    if (current.area) extra.push({ op: "read", slot: current.area });
    const used = localsUsed([...current.prologue, ...current.body], extra);
    current = { ...current, prologue: dropDeadLoads(current.prologue, used) };
  }
  const base = { ...ir, init, advance, current, netReceive, tables };
  return hoistInvariants(base);
}

/** Slots any kernel writes. */
function writtenSlots(ir: MechanismIR): Set<string> {
  const out = new Set<string>();
  const writes = (list: readonly Stmt[]): void => {
    for (const s of list) {
      switch (s.op) {
        case "assign":
        case "loadNode":
        case "random":
          out.add(slotKey(s.slot));
          break;
        case "if":
          writes(s.then);
          writes(s.otherwise);
          break;
        case "table":
          s.outputs.forEach((o) => out.add(slotKey(o)));
          writes(s.direct);
          break;
        case "newton":
          s.states.forEach((o) => out.add(slotKey(o)));
          writes(s.body);
          break;
        case "kinetic":
          s.states.forEach((o) => out.add(slotKey(o)));
          writes(s.assemble);
          break;
      }
    }
  };
  writes(ir.init.body);
  writes(ir.advance.body);
  if (ir.current) writes([...ir.current.prologue, ...ir.current.body]);
  if (ir.netReceive) writes([...ir.netReceive.body, ...ir.netReceive.initial]);
  return out;
}

function slotKey(s: Slot): string {
  return `${s.space}:${(s as { index?: number }).index ?? (s as { name?: string }).name}`;
}

/**
 * Moves expressions that depend only on values no kernel writes (PARAMETERs, GLOBALs, unit
 * constants, dt, celsius) out of `advance` and `current` into per-instance fields computed by
 * `prepare`. Only expressions worth it (a call, a division or a power) are moved; identical
 * expressions share one field.
 */
function hoistInvariants(ir: MechanismIR): MechanismIR {
  const written = writtenSlots(ir);
  const fields = [...ir.fields];
  const prepare: Stmt[] = [];
  const byKey = new Map<string, number>();
  function invariant(e: Expr): boolean {
    switch (e.op) {
      case "const":
        return true;
      case "read": {
        const s = e.slot;
        if (s.space === "builtin") return s.name === "dt" || s.name === "celsius";
        if (s.space === "global") {
          return !written.has(slotKey(s)) &&
            ["parameter", "unitConstant", "usetable", "stateInit"].includes(
              ir.globals[s.index].role,
            );
        }
        if (s.space === "field") {
          return ir.fields[s.index].role === "parameter" && !written.has(slotKey(s));
        }
        return false;
      }
      case "neg":
      case "not":
        return invariant(e.arg);
      case "call":
        return e.args.every(invariant);
      default:
        return invariant(e.a) && invariant(e.b);
    }
  }
  function worth(e: Expr): boolean {
    switch (e.op) {
      case "call":
      case "div":
      case "pow":
        return true;
      case "const":
      case "read":
        return false;
      case "neg":
      case "not":
        return worth(e.arg);
      default:
        return worth(e.a) || worth(e.b);
    }
  }
  function hoist(e: Expr): Expr {
    if (e.op !== "const" && e.op !== "read" && invariant(e) && worth(e)) {
      const key = JSON.stringify(e);
      let f = byKey.get(key);
      if (f === undefined) {
        f = fields.length;
        fields.push({
          name: `_derived${byKey.size}`,
          role: "internal",
          unit: "",
          value: 0,
          visible: false,
        });
        byKey.set(key, f);
        prepare.push({ op: "assign", slot: { space: "field", index: f }, value: e });
      }
      return { op: "read", slot: { space: "field", index: f } };
    }
    switch (e.op) {
      case "const":
      case "read":
        return e;
      case "neg":
      case "not":
        return { op: e.op, arg: hoist(e.arg) };
      case "call":
        return { op: "call", fn: e.fn, args: e.args.map(hoist) };
      default:
        return { op: e.op, a: hoist(e.a), b: hoist(e.b) } as Expr;
    }
  }
  const id = (s: Slot) => s;
  const advance = { ...ir.advance, body: mapStmts(ir.advance.body, hoist, id) };
  const current = ir.current && {
    ...ir.current,
    body: mapStmts(ir.current.body, hoist, id),
    conductance: ir.current.conductance && hoist(ir.current.conductance),
  };
  return { ...ir, fields, advance, current, prepare: { locals: 0, body: prepare } };
}

/**
 * The advance kernel's statements with reads of `prepare`'s derived fields replaced by their
 * expressions (for analyses that need the original formulas, e.g. the fast-mode gate planner).
 *
 * @param ir the optimised mechanism
 * @param list statements of one of its kernels
 * @returns the statements with derived fields inlined
 */
export function inlineDerived(ir: MechanismIR, list: readonly Stmt[]): Stmt[] {
  const derived = new Map<number, Expr>();
  for (const s of ir.prepare.body) {
    if (s.op === "assign" && s.slot.space === "field") derived.set(s.slot.index, s.value);
  }
  if (derived.size === 0) return [...list];
  const sub = (e: Expr): Expr => {
    switch (e.op) {
      case "const":
        return e;
      case "read":
        return e.slot.space === "field" && derived.has(e.slot.index)
          ? derived.get(e.slot.index)!
          : e;
      case "neg":
      case "not":
        return { op: e.op, arg: sub(e.arg) };
      case "call":
        return { op: "call", fn: e.fn, args: e.args.map(sub) };
      default:
        return { op: e.op, a: sub(e.a), b: sub(e.b) } as Expr;
    }
  };
  return mapStmts(list, sub, (s) => s);
}
