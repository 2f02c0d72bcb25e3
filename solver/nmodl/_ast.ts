/**
 * Syntax tree of the supported NMODL subset, as the parser produces it: names are still strings,
 * nothing is resolved. Every node carries its source position for one-line error messages.
 *
 * @module
 */

/** 1-based source position. */
export interface Pos {
  /** Line. */
  readonly line: number;
  /** Column. */
  readonly column: number;
}

/** An expression. */
export type AstExpr =
  | { readonly kind: "num"; readonly value: number; readonly pos: Pos }
  | { readonly kind: "name"; readonly name: string; readonly index?: AstExpr; readonly pos: Pos }
  | { readonly kind: "unary"; readonly op: "-" | "!"; readonly arg: AstExpr; readonly pos: Pos }
  | {
    readonly kind: "binary";
    readonly op: BinaryOp;
    readonly left: AstExpr;
    readonly right: AstExpr;
    readonly pos: Pos;
  }
  | { readonly kind: "call"; readonly name: string; readonly args: AstExpr[]; readonly pos: Pos }
  | { readonly kind: "string"; readonly value: string; readonly pos: Pos };

/** Binary operators of NMODL. */
export type BinaryOp =
  | "+"
  | "-"
  | "*"
  | "/"
  | "%"
  | "^"
  | "<"
  | "<="
  | ">"
  | ">="
  | "=="
  | "!="
  | "&&"
  | "||";

/** A reactant of a KINETIC reaction or CONSERVE statement: `2 A`. */
export interface AstTerm {
  /** Stoichiometric coefficient. */
  readonly count: number;
  /** State name. */
  readonly name: string;
  /** Position. */
  readonly pos: Pos;
}

/** A statement. */
export type AstStmt =
  | {
    readonly kind: "assign";
    readonly name: string;
    readonly index?: AstExpr;
    readonly value: AstExpr;
    readonly pos: Pos;
  }
  | { readonly kind: "ode"; readonly name: string; readonly value: AstExpr; readonly pos: Pos }
  | {
    readonly kind: "if";
    readonly cond: AstExpr;
    readonly then: AstStmt[];
    readonly otherwise: AstStmt[] | undefined;
    readonly pos: Pos;
  }
  | { readonly kind: "local"; readonly names: AstLocalName[]; readonly pos: Pos }
  | { readonly kind: "call"; readonly call: AstExpr & { kind: "call" }; readonly pos: Pos }
  | {
    readonly kind: "solve";
    readonly block: string;
    readonly method: string | undefined;
    readonly steadystate: string | undefined;
    readonly pos: Pos;
  }
  | {
    readonly kind: "table";
    readonly names: string[];
    readonly depend: string[];
    readonly from: AstExpr;
    readonly to: AstExpr;
    readonly with: number;
    readonly pos: Pos;
  }
  | {
    readonly kind: "reaction";
    readonly lhs: AstTerm[];
    readonly rhs: AstTerm[];
    readonly kf: AstExpr;
    readonly kb: AstExpr;
    readonly pos: Pos;
  }
  | {
    readonly kind: "flux";
    readonly term: AstTerm;
    readonly direction: "in" | "out";
    readonly rate: AstExpr;
    readonly pos: Pos;
  }
  | {
    readonly kind: "conserve";
    readonly terms: AstTerm[];
    readonly value: AstExpr;
    readonly pos: Pos;
  }
  | { readonly kind: "verbatim"; readonly text: string; readonly pos: Pos }
  | { readonly kind: "block"; readonly body: AstStmt[]; readonly pos: Pos }
  | { readonly kind: "unsupported"; readonly construct: string; readonly pos: Pos };

/** One name of a LOCAL statement, with its array size if any. */
export interface AstLocalName {
  /** Name. */
  readonly name: string;
  /** Array size (`LOCAL a[2]`), undefined for a scalar. */
  readonly size: number | undefined;
  /** Position. */
  readonly pos: Pos;
}

/** A variable declaration of PARAMETER, ASSIGNED, STATE or CONSTANT. */
export interface AstDecl {
  /** Name. */
  readonly name: string;
  /** Array size, undefined for a scalar. */
  readonly size: number | undefined;
  /** Value (`= 0.1`), if given. */
  readonly value: number | undefined;
  /** Units text as written, if given. */
  readonly units: string | undefined;
  /** Position. */
  readonly pos: Pos;
}

/** A `USEION` statement. */
export interface AstIon {
  /** Ion name (`na`, `k`, `ca`, …). */
  readonly ion: string;
  /** Names after READ. */
  readonly read: { readonly name: string; readonly pos: Pos }[];
  /** Names after WRITE. */
  readonly write: { readonly name: string; readonly pos: Pos }[];
  /** VALENCE, if given. */
  readonly valence: number | undefined;
  /** Position. */
  readonly pos: Pos;
}

/** A named list entry of the NEURON block. */
export interface AstName {
  /** Name. */
  readonly name: string;
  /** Position. */
  readonly pos: Pos;
}

/** The NEURON block. */
export interface AstNeuron {
  /** SUFFIX, POINT_PROCESS or ARTIFICIAL_CELL name. */
  readonly name: AstName | undefined;
  /** Which statement named the mechanism. */
  readonly kind: "SUFFIX" | "POINT_PROCESS" | "ARTIFICIAL_CELL" | undefined;
  /** USEION statements in order. */
  readonly ions: AstIon[];
  /** NONSPECIFIC_CURRENT names. */
  readonly nonspecific: AstName[];
  /** ELECTRODE_CURRENT names. */
  readonly electrode: AstName[];
  /** RANGE names. */
  readonly range: AstName[];
  /** GLOBAL names. */
  readonly global: AstName[];
  /** POINTER names. */
  readonly pointer: AstName[];
  /** Other statements (EXTERNAL, BBCOREPOINTER, …), refused where used. */
  readonly unsupported: { readonly construct: string; readonly pos: Pos }[];
}

/** A UNITS block entry: `(mV) = (millivolt)` or `FARADAY = (faraday) (coulombs)`. */
export interface AstUnitDef {
  /** Constant name, or undefined for a unit alias. */
  readonly name: string | undefined;
  /** For a named constant: the value if written as a number. */
  readonly value: number | undefined;
  /** First unit text (alias or the unit converted from). */
  readonly from: string;
  /** Second unit text (the unit converted to), if any. */
  readonly to: string | undefined;
  /** Position. */
  readonly pos: Pos;
}

/** A PROCEDURE, FUNCTION, DERIVATIVE or KINETIC block. */
export interface AstProc {
  /** Which kind of block. */
  readonly kind: "PROCEDURE" | "FUNCTION" | "DERIVATIVE" | "KINETIC";
  /** Its name. */
  readonly name: string;
  /** Formal arguments (PROCEDURE, FUNCTION). */
  readonly args: AstName[];
  /** Statements. */
  readonly body: AstStmt[];
  /** Position of the keyword. */
  readonly pos: Pos;
}

/** NET_RECEIVE. */
export interface AstNetReceive {
  /** Arguments (the NetCon's weight vector). */
  readonly args: AstName[];
  /** Statements (without the INITIAL block). */
  readonly body: AstStmt[];
  /** The INITIAL block inside NET_RECEIVE, if any. */
  readonly initial: AstStmt[] | undefined;
  /** Position. */
  readonly pos: Pos;
}

/** A parsed `.mod` file. */
export interface AstFile {
  /** File name (for messages). */
  readonly file: string;
  /** TITLE text. */
  readonly title: string | undefined;
  /** The NEURON block (empty lists if absent). */
  readonly neuron: AstNeuron;
  /** Position of the NEURON block (0:0 if absent). */
  readonly neuronPos: Pos;
  /** UNITS entries. */
  readonly units: AstUnitDef[];
  /** PARAMETER declarations. */
  readonly parameters: AstDecl[];
  /** ASSIGNED declarations. */
  readonly assigned: AstDecl[];
  /** STATE declarations. */
  readonly states: AstDecl[];
  /** CONSTANT declarations. */
  readonly constants: AstDecl[];
  /** Top-level LOCAL names. */
  readonly locals: AstLocalName[];
  /** INITIAL statements. */
  readonly initial: AstStmt[] | undefined;
  /** BREAKPOINT statements. */
  readonly breakpoint: AstStmt[] | undefined;
  /** PROCEDURE, FUNCTION, DERIVATIVE and KINETIC blocks in file order. */
  readonly procs: AstProc[];
  /** NET_RECEIVE block. */
  readonly netReceive: AstNetReceive | undefined;
  /** Top-level VERBATIM blocks. */
  readonly verbatim: { readonly text: string; readonly pos: Pos }[];
  /** Top-level blocks that are not supported (refused where relevant). */
  readonly unsupported: { readonly construct: string; readonly pos: Pos }[];
  /** Order of first appearance of every name in the file (nocmodl's symbol installation order). */
  readonly nameOrder: ReadonlyMap<string, number>;
}
