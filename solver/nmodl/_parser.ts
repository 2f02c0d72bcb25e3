/**
 * Recursive-descent parser of the NMODL subset into the syntax tree of `_ast.ts`. Operator
 * precedence is NEURON's (`parse1.ypp`): `||` < `&&` < comparisons < `+ -` < `* / %` <
 * unary `- !` < `^` (right associative). Unsupported blocks and statements are kept as
 * `unsupported` entries with their position, so that analysis can refuse them with one line
 * only when they matter.
 *
 * @module
 */
import { InputSyntaxError } from "../../io/mod.ts";
import type {
  AstDecl,
  AstExpr,
  AstFile,
  AstIon,
  AstLocalName,
  AstName,
  AstNetReceive,
  AstNeuron,
  AstProc,
  AstStmt,
  AstTerm,
  AstUnitDef,
  BinaryOp,
  Pos,
} from "./_ast.ts";
import { type Token, tokenize } from "./_lexer.ts";
import { LIMITS } from "./_limits.ts";

/** Top-level blocks that are recognised but not supported; skipped as `{ … }`. */
const UNSUPPORTED_BLOCKS = new Set([
  "LINEAR",
  "NONLINEAR",
  "BEFORE",
  "AFTER",
  "CONSTRUCTOR",
  "DESTRUCTOR",
  "DISCRETE",
  "PARTIAL",
  "MATCH",
  "TERMINAL",
  "FUNCTION_TABLE",
  "DEFINE",
  "STEPPED",
  "PLOT",
  "SENS",
]);

class Parser {
  readonly #toks: Token[];
  readonly #file: string;
  #i = 0;
  #depth = 0;

  constructor(text: string, file: string) {
    this.#toks = tokenize(text, file);
    this.#file = file;
  }

  // ---------------------------------------------------------------- token helpers
  peek(k = 0): Token {
    return this.#toks[Math.min(this.#i + k, this.#toks.length - 1)];
  }
  next(): Token {
    const t = this.#toks[this.#i];
    if (this.#i < this.#toks.length - 1) this.#i++;
    return t;
  }
  isOp(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "op" && t.text === text;
  }
  isName(text: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "name" && t.text === text;
  }
  pos(t: Token = this.peek()): Pos {
    return { line: t.line, column: t.column };
  }
  fail(t: Token, message: string, key?: string): never {
    throw new InputSyntaxError(
      { file: this.#file, line: t.line, column: t.column, ...(key ? { key } : {}) },
      message,
    );
  }
  describe(t: Token): string {
    if (t.kind === "eof") return "end of file";
    if (t.kind === "verbatim") return "VERBATIM";
    if (t.kind === "title") return "TITLE";
    return JSON.stringify(t.text);
  }
  expectOp(text: string, context: string): Token {
    const t = this.next();
    if (t.kind !== "op" || t.text !== text) {
      this.fail(t, `Expected "${text}" ${context}, got ${this.describe(t)}`, context);
    }
    return t;
  }
  expectName(context: string): Token {
    const t = this.next();
    if (t.kind !== "name") this.fail(t, `Expected a name ${context}, got ${this.describe(t)}`);
    return t;
  }
  enter(t: Token): void {
    if (++this.#depth > LIMITS.depth) {
      this.fail(t, `Nesting deeper than ${LIMITS.depth} levels`, "nesting");
    }
  }
  leave(): void {
    this.#depth--;
  }

  /** Skips a balanced `{ … }` starting at the current `{`. */
  skipBraces(): void {
    const open = this.expectOp("{", "to open the block");
    let level = 1;
    while (level > 0) {
      const t = this.next();
      if (t.kind === "eof") this.fail(open, 'Unclosed "{"');
      if (t.kind === "op" && t.text === "{") level++;
      if (t.kind === "op" && t.text === "}") level--;
    }
  }

  /** `( … )` units text at the current `(`, joined without spaces. */
  units(): string {
    const open = this.expectOp("(", "to open units");
    let s = "";
    let level = 1;
    for (;;) {
      const t = this.next();
      if (t.kind === "eof") this.fail(open, 'Unclosed "(" in units');
      if (t.kind === "op" && t.text === "(") level++;
      if (t.kind === "op" && t.text === ")" && --level === 0) break;
      s += t.text;
    }
    return s;
  }

  signedNumber(context: string): number {
    let sign = 1;
    if (this.isOp("-")) {
      this.next();
      sign = -1;
    } else if (this.isOp("+")) this.next();
    const t = this.next();
    if (t.kind !== "number") this.fail(t, `Expected a number ${context}, got ${this.describe(t)}`);
    return sign * Number(t.text);
  }

  integer(context: string): number {
    const t = this.next();
    if (t.kind !== "number" || !/^\d+$/.test(t.text)) {
      this.fail(t, `Expected an integer ${context}, got ${this.describe(t)}`);
    }
    return Number(t.text);
  }

  nameList(): AstName[] {
    const out: AstName[] = [];
    if (this.peek().kind !== "name") return out;
    for (;;) {
      const t = this.expectName("in the list");
      out.push({ name: t.text, pos: this.pos(t) });
      if (!this.isOp(",")) break;
      this.next();
    }
    return out;
  }

  // ---------------------------------------------------------------- file
  file(): AstFile {
    let title: string | undefined;
    let neuron: AstNeuron = emptyNeuron();
    let neuronPos: Pos = { line: 0, column: 0 };
    const units: AstUnitDef[] = [];
    const parameters: AstDecl[] = [];
    const assigned: AstDecl[] = [];
    const states: AstDecl[] = [];
    const constants: AstDecl[] = [];
    const locals: AstLocalName[] = [];
    let initial: AstStmt[] | undefined;
    let breakpoint: AstStmt[] | undefined;
    const procs: AstProc[] = [];
    let netReceive: AstNetReceive | undefined;
    const verbatim: { text: string; pos: Pos }[] = [];
    const unsupported: { construct: string; pos: Pos }[] = [];
    let seenNeuron = false;
    for (;;) {
      const t = this.peek();
      if (t.kind === "eof") break;
      if (t.kind === "title") {
        this.next();
        title = t.text;
        continue;
      }
      if (t.kind === "verbatim") {
        this.next();
        verbatim.push({ text: t.text, pos: this.pos(t) });
        continue;
      }
      if (t.kind !== "name") this.fail(t, `Expected a block keyword, got ${this.describe(t)}`);
      const kw = t.text;
      switch (kw) {
        case "NEURON":
          if (seenNeuron) this.fail(t, "Second NEURON block", "NEURON");
          seenNeuron = true;
          this.next();
          neuronPos = this.pos(t);
          neuron = this.neuronBlock();
          break;
        case "UNITS":
          this.next();
          units.push(...this.unitsBlock());
          break;
        case "PARAMETER":
          this.next();
          parameters.push(...this.declBlock("PARAMETER"));
          break;
        case "ASSIGNED":
          this.next();
          assigned.push(...this.declBlock("ASSIGNED"));
          break;
        case "STATE":
          this.next();
          states.push(...this.declBlock("STATE"));
          break;
        case "CONSTANT":
          this.next();
          constants.push(...this.declBlock("CONSTANT"));
          break;
        case "INDEPENDENT":
          this.next();
          this.skipBraces();
          break;
        case "LOCAL": {
          this.next();
          locals.push(...this.localNames());
          break;
        }
        case "UNITSON":
        case "UNITSOFF":
        case "THREADSAFE":
          this.next();
          break;
        case "INITIAL":
          this.next();
          if (initial) this.fail(t, "Second INITIAL block", "INITIAL");
          initial = this.block();
          break;
        case "BREAKPOINT":
          this.next();
          if (breakpoint) this.fail(t, "Second BREAKPOINT block", "BREAKPOINT");
          breakpoint = this.block();
          break;
        case "DERIVATIVE":
        case "KINETIC": {
          this.next();
          const name = this.expectName(`after ${kw}`);
          // KINETIC name [SOLVEFOR …] — not used by the supported files; refused if present.
          if (this.isName("SOLVEFOR")) this.fail(this.peek(), "SOLVEFOR is not supported", kw);
          procs.push({ kind: kw, name: name.text, args: [], body: this.block(), pos: this.pos(t) });
          break;
        }
        case "PROCEDURE":
        case "FUNCTION": {
          this.next();
          const name = this.expectName(`after ${kw}`);
          const args = this.formalArgs();
          if (this.isOp("(")) this.units(); // FUNCTION f(x) (units)
          procs.push({ kind: kw, name: name.text, args, body: this.block(), pos: this.pos(t) });
          break;
        }
        case "NET_RECEIVE": {
          this.next();
          if (netReceive) this.fail(t, "Second NET_RECEIVE block", "NET_RECEIVE");
          const args = this.formalArgs();
          netReceive = this.netReceiveBlock(args, this.pos(t));
          break;
        }
        default:
          if (UNSUPPORTED_BLOCKS.has(kw)) {
            this.next();
            unsupported.push({ construct: kw, pos: this.pos(t) });
            this.skipUnsupportedTopLevel(kw);
            break;
          }
          this.fail(t, `Unknown block "${kw}"`, kw);
      }
    }
    return {
      file: this.#file,
      title,
      neuron,
      neuronPos,
      units,
      parameters,
      assigned,
      states,
      constants,
      locals,
      initial,
      breakpoint,
      procs,
      netReceive,
      verbatim,
      unsupported,
      nameOrder: this.nameOrder(),
    };
  }

  nameOrder(): Map<string, number> {
    const out = new Map<string, number>();
    for (const t of this.#toks) {
      if (t.kind === "name" && !out.has(t.text)) out.set(t.text, out.size);
    }
    return out;
  }

  skipUnsupportedTopLevel(kw: string): void {
    if (kw === "DEFINE") {
      this.expectName("after DEFINE");
      this.next();
      return;
    }
    if (kw === "FUNCTION_TABLE") {
      this.expectName("after FUNCTION_TABLE");
      this.formalArgs();
      if (this.isOp("(")) this.units();
      return;
    }
    // Header up to the block's "{", then the block.
    while (!this.isOp("{")) {
      if (this.peek().kind === "eof") this.fail(this.peek(), `Expected "{" after ${kw}`);
      this.next();
    }
    this.skipBraces();
  }

  formalArgs(): AstName[] {
    const out: AstName[] = [];
    this.expectOp("(", "to open the argument list");
    if (this.isOp(")")) {
      this.next();
      return out;
    }
    for (;;) {
      const t = this.expectName("as argument");
      out.push({ name: t.text, pos: this.pos(t) });
      if (this.isOp("(")) this.units();
      if (this.isOp(",")) {
        this.next();
        continue;
      }
      this.expectOp(")", "to close the argument list");
      return out;
    }
  }

  // ---------------------------------------------------------------- NEURON block
  neuronBlock(): AstNeuron {
    const open = this.expectOp("{", "after NEURON");
    let name: AstName | undefined;
    let kind: AstNeuron["kind"];
    const ions: AstIon[] = [];
    const nonspecific: AstName[] = [];
    const electrode: AstName[] = [];
    const range: AstName[] = [];
    const global: AstName[] = [];
    const pointer: AstName[] = [];
    const unsupported: { construct: string; pos: Pos }[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === "op" && t.text === "}") break;
      if (t.kind === "eof") this.fail(open, "Unclosed NEURON block");
      if (t.kind !== "name") this.fail(t, `Unexpected ${this.describe(t)} in the NEURON block`);
      switch (t.text) {
        case "SUFFIX":
        case "POINT_PROCESS":
        case "ARTIFICIAL_CELL": {
          if (name) this.fail(t, "The mechanism is named twice", t.text);
          const n = this.expectName(`after ${t.text}`);
          name = { name: n.text, pos: this.pos(n) };
          kind = t.text;
          break;
        }
        case "USEION": {
          const ion = this.expectName("after USEION");
          let read: AstName[] = [];
          let write: AstName[] = [];
          let valence: number | undefined;
          for (;;) {
            if (this.isName("READ")) {
              this.next();
              read = [...read, ...this.nameList()];
            } else if (this.isName("WRITE")) {
              this.next();
              write = [...write, ...this.nameList()];
            } else if (this.isName("VALENCE")) {
              this.next();
              valence = this.signedNumber("after VALENCE");
            } else if (this.isName("REPRESENTS")) {
              this.next();
              this.next(); // ontology id, e.g. CHEBI:29108 — documentation only
              if (this.isOp(":")) this.next();
            } else break;
          }
          ions.push({ ion: ion.text, read, write, valence, pos: this.pos(t) });
          break;
        }
        case "NONSPECIFIC_CURRENT":
          nonspecific.push(...this.nameList());
          break;
        case "ELECTRODE_CURRENT":
          electrode.push(...this.nameList());
          break;
        case "RANGE":
          range.push(...this.nameList());
          break;
        case "GLOBAL":
          global.push(...this.nameList());
          break;
        case "POINTER":
          pointer.push(...this.nameList());
          break;
        case "THREADSAFE":
          this.nameList();
          break;
        case "EXTERNAL":
        case "BBCOREPOINTER":
        case "SECTION":
        case "REPRESENTS":
          unsupported.push({ construct: t.text, pos: this.pos(t) });
          this.nameList();
          break;
        default:
          this.fail(t, `Unknown statement "${t.text}" in the NEURON block`, t.text);
      }
    }
    return { name, kind, ions, nonspecific, electrode, range, global, pointer, unsupported };
  }

  // ---------------------------------------------------------------- UNITS
  unitsBlock(): AstUnitDef[] {
    const open = this.expectOp("{", "after UNITS");
    const out: AstUnitDef[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "op" && t.text === "}") {
        this.next();
        return out;
      }
      if (t.kind === "eof") this.fail(open, "Unclosed UNITS block");
      if (t.kind === "name" && (t.text === "UNITSON" || t.text === "UNITSOFF")) {
        this.next();
        continue;
      }
      if (t.kind === "op" && t.text === "(") {
        const from = this.units();
        this.expectOp("=", "in a UNITS alias");
        const to = this.units();
        out.push({ name: undefined, value: undefined, from, to, pos: this.pos(t) });
        continue;
      }
      if (t.kind === "name") {
        this.next();
        this.expectOp("=", `after "${t.text}" in UNITS`);
        if (this.isOp("(")) {
          const from = this.units();
          const to = this.isOp("(") ? this.units() : undefined;
          out.push({ name: t.text, value: undefined, from, to, pos: this.pos(t) });
        } else {
          const value = this.signedNumber(`for "${t.text}"`);
          const from = this.isOp("(") ? this.units() : "1";
          out.push({ name: t.text, value, from, to: undefined, pos: this.pos(t) });
        }
        continue;
      }
      this.fail(t, `Unexpected ${this.describe(t)} in the UNITS block`, "UNITS");
    }
  }

  // ---------------------------------------------------------------- declarations
  declBlock(block: string): AstDecl[] {
    const open = this.expectOp("{", `after ${block}`);
    const out: AstDecl[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "op" && t.text === "}") {
        this.next();
        return out;
      }
      if (t.kind === "eof") this.fail(open, `Unclosed ${block} block`);
      if (t.kind === "name" && (t.text === "UNITSON" || t.text === "UNITSOFF")) {
        this.next();
        continue;
      }
      if (t.kind !== "name") {
        this.fail(t, `Expected a variable name in ${block}, got ${this.describe(t)}`, block);
      }
      this.next();
      let size: number | undefined;
      if (this.isOp("[")) {
        this.next();
        size = this.integer("as array size");
        this.expectOp("]", "after the array size");
      }
      let value: number | undefined;
      if (this.isOp("=")) {
        this.next();
        value = this.signedNumber(`for "${t.text}"`);
      }
      let units: string | undefined;
      if (this.isOp("(")) units = this.units();
      if (this.isName("FROM")) { // STATE x FROM a TO b
        this.next();
        this.signedNumber("after FROM");
        if (!this.isName("TO")) this.fail(this.peek(), "Expected TO after FROM", block);
        this.next();
        this.signedNumber("after TO");
      }
      if (this.isOp("<")) { // <lo, hi> limits or <tolerance>
        this.next();
        this.signedNumber("as limit");
        if (this.isOp(",")) {
          this.next();
          this.signedNumber("as limit");
        }
        this.expectOp(">", "to close the limits");
      }
      out.push({ name: t.text, size, value, units, pos: this.pos(t) });
    }
  }

  localNames(): AstLocalName[] {
    const out: AstLocalName[] = [];
    for (;;) {
      const t = this.expectName("after LOCAL");
      let size: number | undefined;
      if (this.isOp("[")) {
        this.next();
        size = this.integer("as array size");
        this.expectOp("]", "after the array size");
      }
      out.push({ name: t.text, size, pos: this.pos(t) });
      if (!this.isOp(",")) return out;
      this.next();
    }
  }

  // ---------------------------------------------------------------- statements
  block(): AstStmt[] {
    const open = this.expectOp("{", "to open the block");
    this.enter(open);
    const out: AstStmt[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "op" && t.text === "}") {
        this.next();
        this.leave();
        return out;
      }
      if (t.kind === "eof") this.fail(open, 'Unclosed "{"');
      const s = this.statement();
      if (s !== undefined) out.push(s);
    }
  }

  netReceiveBlock(args: AstName[], pos: Pos): AstNetReceive {
    const open = this.expectOp("{", "to open NET_RECEIVE");
    this.enter(open);
    const body: AstStmt[] = [];
    let initial: AstStmt[] | undefined;
    for (;;) {
      const t = this.peek();
      if (t.kind === "op" && t.text === "}") {
        this.next();
        this.leave();
        return { args, body, initial, pos };
      }
      if (t.kind === "eof") this.fail(open, "Unclosed NET_RECEIVE block");
      if (t.kind === "name" && t.text === "INITIAL") {
        this.next();
        if (initial) this.fail(t, "Second INITIAL block in NET_RECEIVE", "NET_RECEIVE INITIAL");
        initial = this.block();
        continue;
      }
      const s = this.statement();
      if (s !== undefined) body.push(s);
    }
  }

  statement(): AstStmt | undefined {
    const t = this.peek();
    const pos = this.pos(t);
    if (t.kind === "verbatim") {
      this.next();
      return { kind: "verbatim", text: t.text, pos };
    }
    if (t.kind === "op" && t.text === "{") return { kind: "block", body: this.block(), pos };
    if (t.kind === "op" && t.text === "~") {
      this.next();
      return this.reaction(pos);
    }
    if (t.kind !== "name") this.fail(t, `Expected a statement, got ${this.describe(t)}`);
    switch (t.text) {
      case "UNITSON":
      case "UNITSOFF":
        this.next();
        return undefined;
      case "LOCAL":
        this.next();
        return { kind: "local", names: this.localNames(), pos };
      case "if":
        this.next();
        return this.ifStatement(pos);
      case "while": {
        this.next();
        this.expectOp("(", "after while");
        this.expression();
        this.expectOp(")", "after the while condition");
        this.block();
        return { kind: "unsupported", construct: "while loop", pos };
      }
      case "FROM": {
        this.next();
        while (!this.isOp("{")) {
          if (this.peek().kind === "eof") this.fail(t, 'Expected "{" after FROM');
          this.next();
        }
        this.block();
        return { kind: "unsupported", construct: "FROM loop", pos };
      }
      case "SOLVE": {
        this.next();
        const block = this.expectName("after SOLVE").text;
        let method: string | undefined, steadystate: string | undefined;
        for (;;) {
          if (this.isName("METHOD")) {
            this.next();
            method = this.expectName("after METHOD").text;
          } else if (this.isName("STEADYSTATE")) {
            this.next();
            steadystate = this.expectName("after STEADYSTATE").text;
          } else if (this.isName("IFERROR")) {
            this.fail(this.peek(), "SOLVE … IFERROR is not supported", "IFERROR");
          } else break;
        }
        return { kind: "solve", block, method, steadystate, pos };
      }
      case "TABLE":
        this.next();
        return this.table(pos);
      case "CONSERVE": {
        this.next();
        const terms = this.terms();
        this.expectOp("=", "in CONSERVE");
        return { kind: "conserve", terms, value: this.expression(), pos };
      }
      case "COMPARTMENT":
      case "LONGITUDINAL_DIFFUSION": {
        this.next();
        while (!this.isOp("{")) {
          if (this.peek().kind === "eof") this.fail(t, `Expected "{" after ${t.text}`);
          this.next();
        }
        this.skipBraces();
        return { kind: "unsupported", construct: t.text, pos };
      }
      case "LAG":
      case "MATCH":
      case "SENS":
      case "RESET":
      case "PUTQ":
      case "GETQ":
      case "WATCH":
      case "FOR_NETCONS":
      case "PROTECT":
      case "MUTEXLOCK":
      case "MUTEXUNLOCK":
        this.fail(t, `${t.text} is not supported`, t.text);
    }
    const name = this.next();
    if (this.isOp("'")) {
      this.next();
      if (this.isOp("'")) this.fail(this.peek(), "Higher-order derivatives are not supported");
      this.expectOp("=", `after ${name.text}'`);
      return { kind: "ode", name: name.text, value: this.expression(), pos };
    }
    if (this.isOp("(")) {
      const call = this.callRest(name);
      return { kind: "call", call, pos };
    }
    let index: AstExpr | undefined;
    if (this.isOp("[")) {
      this.next();
      index = this.expression();
      this.expectOp("]", "after the index");
    }
    this.expectOp("=", `after "${name.text}"`);
    const value = this.expression();
    return index === undefined
      ? { kind: "assign", name: name.text, value, pos }
      : { kind: "assign", name: name.text, index, value, pos };
  }

  ifStatement(pos: Pos): AstStmt {
    this.expectOp("(", "after if");
    const cond = this.expression();
    this.expectOp(")", "after the if condition");
    const then = this.block();
    let otherwise: AstStmt[] | undefined;
    if (this.isName("else")) {
      const e = this.next();
      if (this.isName("if")) {
        this.next();
        this.enter(e);
        otherwise = [this.ifStatement(this.pos(e))];
        this.leave();
      } else otherwise = this.block();
    }
    return { kind: "if", cond, then, otherwise, pos };
  }

  table(pos: Pos): AstStmt {
    const names = this.isName("DEPEND") || this.isName("FROM")
      ? []
      : this.nameList().map((n) => n.name);
    let depend: string[] = [];
    if (this.isName("DEPEND")) {
      this.next();
      depend = this.nameList().map((n) => n.name);
    }
    if (!this.isName("FROM")) this.fail(this.peek(), "Expected FROM in TABLE", "TABLE");
    this.next();
    const from = this.expression();
    if (!this.isName("TO")) this.fail(this.peek(), "Expected TO in TABLE", "TABLE");
    this.next();
    const to = this.expression();
    if (!this.isName("WITH")) this.fail(this.peek(), "Expected WITH in TABLE", "TABLE");
    this.next();
    const w = this.integer("after WITH");
    return { kind: "table", names, depend, from, to, with: w, pos };
  }

  terms(): AstTerm[] {
    const out: AstTerm[] = [];
    for (;;) {
      const t = this.peek();
      let count = 1;
      if (t.kind === "number") count = this.integer("as stoichiometric coefficient");
      const n = this.expectName("as reactant");
      if (this.isOp("[")) this.fail(this.peek(), "Array states in reactions are not supported");
      out.push({ count, name: n.text, pos: this.pos(t) });
      if (!this.isOp("+")) return out;
      this.next();
    }
  }

  reaction(pos: Pos): AstStmt {
    const lhs = this.terms();
    if (this.isOp("<->")) {
      this.next();
      const rhs = this.terms();
      this.expectOp("(", "before the rate constants");
      const kf = this.expression();
      this.expectOp(",", "between the rate constants");
      const kb = this.expression();
      this.expectOp(")", "after the rate constants");
      return { kind: "reaction", lhs, rhs, kf, kb, pos };
    }
    let direction: "in" | "out";
    if (this.isOp("<") && this.isOp("<", 1)) direction = "in";
    else if (this.isOp("-") && this.isOp(">", 1)) direction = "out";
    else this.fail(this.peek(), "Expected <->, << or -> in the reaction", "~");
    this.next();
    this.next();
    if (lhs.length !== 1 || lhs[0].count !== 1) {
      this.fail(this.peek(), "A flux reaction has exactly one state", "~");
    }
    this.expectOp("(", "before the flux");
    const rate = this.expression();
    this.expectOp(")", "after the flux");
    return { kind: "flux", term: lhs[0], direction, rate, pos };
  }

  // ---------------------------------------------------------------- expressions
  expression(): AstExpr {
    const t = this.peek();
    this.enter(t);
    const e = this.binary(0);
    this.leave();
    return e;
  }

  binary(level: number): AstExpr {
    const LEVELS: readonly (readonly BinaryOp[])[] = [
      ["||"],
      ["&&"],
      [">", ">=", "<", "<=", "==", "!="],
      ["+", "-"],
      ["*", "/", "%"],
    ];
    if (level === LEVELS.length) return this.unary();
    let left = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.kind !== "op" || !LEVELS[level].includes(t.text as BinaryOp)) return left;
      this.next();
      this.enter(t);
      const right = this.binary(level + 1);
      this.leave();
      left = { kind: "binary", op: t.text as BinaryOp, left, right, pos: this.pos(t) };
    }
  }

  unary(): AstExpr {
    const t = this.peek();
    if (t.kind === "op" && (t.text === "-" || t.text === "!")) {
      this.next();
      this.enter(t);
      const arg = this.unary();
      this.leave();
      return { kind: "unary", op: t.text as "-" | "!", arg, pos: this.pos(t) };
    }
    if (t.kind === "op" && t.text === "+") { // unary plus: no operation
      this.next();
      return this.unary();
    }
    return this.power();
  }

  power(): AstExpr {
    const base = this.primary();
    if (this.isOp("^")) {
      const t = this.next();
      this.enter(t);
      const exp = this.unary(); // right associative, binds tighter than unary minus on the left
      this.leave();
      return { kind: "binary", op: "^", left: base, right: exp, pos: this.pos(t) };
    }
    return base;
  }

  primary(): AstExpr {
    const t = this.next();
    const pos = this.pos(t);
    if (t.kind === "number") {
      const value = Number(t.text);
      if (this.isOp("(") && this.looksLikeUnits()) this.units(); // 0.062 (/mV)
      return { kind: "num", value, pos };
    }
    if (t.kind === "string") return { kind: "string", value: t.text, pos };
    if (t.kind === "name") {
      if (this.isOp("(")) return this.callRest(t);
      if (this.isOp("[")) {
        this.next();
        const index = this.expression();
        this.expectOp("]", "after the index");
        return { kind: "name", name: t.text, index, pos };
      }
      return { kind: "name", name: t.text, pos };
    }
    if (t.kind === "op" && t.text === "(") {
      this.enter(t);
      const e = this.binary(0);
      this.leave();
      this.expectOp(")", "to close the parenthesis");
      return e;
    }
    this.fail(t, `Expected an expression, got ${this.describe(t)}`);
  }

  /** After a number, `(` opens units unless it opens an expression (`2 (x)` is not NMODL). */
  looksLikeUnits(): boolean {
    // Units are a name, "/", "1/" or a number followed by "/" inside the parentheses.
    const a = this.peek(1);
    if (a.kind === "name") return true;
    if (a.kind === "op" && a.text === "/") return true;
    if (a.kind === "number") {
      const b = this.peek(2);
      return (b.kind === "op" && (b.text === "/" || b.text === ")")) || b.kind === "name";
    }
    return false;
  }

  callRest(name: Token): AstExpr & { kind: "call" } {
    const open = this.expectOp("(", "to open the call");
    this.enter(open);
    const args: AstExpr[] = [];
    if (!this.isOp(")")) {
      for (;;) {
        args.push(this.binary(0));
        if (this.isOp(",")) {
          this.next();
          continue;
        }
        break;
      }
    }
    this.expectOp(")", `to close the call of ${name.text}`);
    this.leave();
    return { kind: "call", name: name.text, args, pos: this.pos(name) };
  }
}

function emptyNeuron(): AstNeuron {
  return {
    name: undefined,
    kind: undefined,
    ions: [],
    nonspecific: [],
    electrode: [],
    range: [],
    global: [],
    pointer: [],
    unsupported: [],
  };
}

/**
 * Parses one `.mod` file.
 *
 * @param text the file's contents
 * @param file the file name for messages
 * @returns the syntax tree
 * @throws InputSyntaxError with file, line and column for text that is not NMODL
 */
export function parseNmodl(text: string, file: string): AstFile {
  return new Parser(text, file).file();
}
