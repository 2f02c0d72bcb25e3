/**
 * The pivot order and elimination program of NEURON's sparse solver (scopmath `sparse_thread.c`)
 * for one KINETIC block, computed once at compile time from the matrix structure.
 *
 * NEURON numbers equations 1..n, creates every diagonal, adds elements in the order the kinetic
 * function asks for them, and then (`spar_minorder`) picks pivots by minimum row count: rows sit
 * in a list sorted by their element count, a row whose count changes is re-inserted before the
 * first row with an equal or larger count, and the head of the list is the next pivot. Choosing
 * a pivot creates the fill-in elements of elimination. The solve (`matsol`, `subrow`, `bksub`)
 * then walks columns downwards and rows rightwards in pivot order. Reproducing that order makes
 * the rounding of our solve NEURON's.
 *
 * @module
 */
import type { EliminationStep } from "./ir.ts";

/** The structure: elements in the order the assembly creates them (0-based rows/columns). */
export interface SparseStructure {
  /** Number of equations. */
  readonly n: number;
  /** Element list; new fill-ins are appended. */
  readonly elements: { row: number; col: number }[];
}

/**
 * Computes NEURON's pivot order, adds fill-in elements to `s.elements`, and returns the
 * elimination program over element indices.
 *
 * @param s the structure (diagonals need not be listed; they are added first if missing)
 * @returns the elimination steps
 */
export function eliminationProgram(s: SparseStructure): EliminationStep[] {
  const n = s.n;
  const index = new Map<string, number>();
  const key = (r: number, c: number) => `${r},${c}`;
  s.elements.forEach((e, i) => index.set(key(e.row, e.col), i));
  function element(r: number, c: number): number {
    const k = key(r, c);
    let i = index.get(k);
    if (i === undefined) {
      i = s.elements.length;
      s.elements.push({ row: r, col: c });
      index.set(k, i);
    }
    return i;
  }
  for (let r = 0; r < n; r++) element(r, r);
  // Row and column membership (original indices).
  const rowCols: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  const colRows: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
  for (const e of s.elements) {
    rowCols[e.row].add(e.col);
    colRows[e.col].add(e.row);
  }
  // varord: solution position of each row/column; pos2row: inverse.
  const varord = Array.from({ length: n }, (_, i) => i);
  const pos2row = Array.from({ length: n }, (_, i) => i);
  // Order list: rows with norder, sorted ascending; insertion before the first item >=.
  const norder = new Array<number>(n).fill(0);
  const list: number[] = [];
  let listed = true;
  function insert(row: number): void {
    let p = 0;
    while (p < list.length && norder[list[p]] < norder[row]) p++;
    list.splice(p, 0, row);
  }
  function remove(row: number): void {
    const p = list.indexOf(row);
    if (p >= 0) list.splice(p, 1);
  }
  function changeOrder(row: number, delta: number): void {
    if (!listed) return;
    remove(row);
    norder[row] += delta;
    insert(row);
  }
  for (let i = 0; i < n; i++) {
    const row = pos2row[i];
    norder[row] = rowCols[row].size;
    insert(row);
  }
  for (let i = 0; i < n; i++) {
    const p = list[0];
    const j = varord[p];
    if (j !== i) {
      for (let q = j; q > i; q--) {
        pos2row[q] = pos2row[q - 1];
        varord[pos2row[q]] = q;
      }
      pos2row[i] = p;
      varord[p] = i;
    }
    const below = [...colRows[p]].filter((r) => varord[r] > i).sort((a, b) =>
      varord[a] - varord[b]
    );
    const right = [...rowCols[p]].filter((c) => varord[c] > i).sort((a, b) =>
      varord[a] - varord[b]
    );
    for (const r of below) {
      for (const c of right) {
        if (!rowCols[r].has(c)) {
          element(r, c);
          rowCols[r].add(c);
          colRows[c].add(r);
          changeOrder(r, +1);
        }
      }
      changeOrder(r, -1);
    }
    remove(p);
  }
  listed = false;
  // Elimination program in the final order.
  const prog: EliminationStep[] = [];
  for (let i = 0; i < n; i++) {
    const p = pos2row[i];
    const pivot = element(p, p);
    prog.push({ op: "pivot", pivot });
    const below = [...colRows[p]].filter((r) => varord[r] > i).sort((a, b) =>
      varord[a] - varord[b]
    );
    const right = [...rowCols[p]].filter((c) => varord[c] > i).sort((a, b) =>
      varord[a] - varord[b]
    );
    for (const r of below) {
      prog.push({
        op: "eliminate",
        pivot,
        sub: element(r, p),
        pivotRow: p,
        subRow: r,
        pairs: right.map((c) => [element(p, c), element(r, c)] as const),
      });
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const p = pos2row[i];
    const right = [...rowCols[p]].filter((c) => varord[c] > i).sort((a, b) =>
      varord[a] - varord[b]
    );
    prog.push({
      op: "backsub",
      row: p,
      diag: element(p, p),
      terms: right.map((c) => [element(p, c), c] as const),
    });
  }
  return prog;
}
