/**
 * Resource limits for untrusted `.mod` files. A file over any limit is refused with one line
 * naming file, line and construct, before any code is generated. The limits sit far above what
 * real mechanisms need (ISF's largest file has 204 lines; ModelDB's TABLEs use ≤ 10,000 points)
 * and far below what could exhaust memory or stack.
 *
 * @module
 */

/** The limits (counts; sizes in characters or points). */
export const LIMITS = {
  /** Characters in one `.mod` file (1 MB). */
  fileChars: 1_000_000,
  /** Tokens in one file. */
  tokens: 200_000,
  /** Nesting depth of blocks and expressions. */
  depth: 64,
  /** Points of one TABLE (`WITH n` gives n + 1 points). */
  tablePoints: 100_001,
  /** Total TABLE points of one mechanism. */
  tablePointsTotal: 1_000_000,
  /** Expression and statement nodes after inlining PROCEDURE/FUNCTION calls. */
  irNodes: 200_000,
  /** States of one DERIVATIVE or KINETIC block solved implicitly. */
  implicitStates: 64,
} as const;
