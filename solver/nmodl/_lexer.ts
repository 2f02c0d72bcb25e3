/**
 * NMODL tokenizer: names, numbers, strings, operators, VERBATIM text and TITLE lines, with
 * 1-based line and column. Comments (`:` and `?` to the end of the line, `COMMENT … ENDCOMMENT`)
 * are dropped here. The token rules follow NEURON's `lex.lpp` (a name starts with a letter; a
 * number is an integer or a real with optional exponent; `<->` is one token, `<<` and `->` are two).
 *
 * @module
 */
import { InputSyntaxError } from "../../io/mod.ts";
import { LIMITS } from "./_limits.ts";

/** Kind of a token. */
export type TokenKind = "name" | "number" | "string" | "op" | "verbatim" | "title" | "eof";

/** One token with its position. */
export interface Token {
  /** What kind of token. */
  readonly kind: TokenKind;
  /** Exact source text (for `verbatim`/`title`: the enclosed text). */
  readonly text: string;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

const TWO_CHAR_OPS = new Set(["<=", ">=", "==", "!=", "&&", "||"]);
const ONE_CHAR_OPS = new Set([..."+-*/^%<>=!(){}[],'~"]);

function isLetter(c: string): boolean {
  return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z");
}

function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

/**
 * Splits NMODL source into tokens.
 *
 * @param text the whole file
 * @param file the file name used in error messages
 * @returns the tokens, ending with one `eof` token
 * @throws InputSyntaxError for an unterminated COMMENT/VERBATIM/string, a character NMODL does
 *   not use, or a file over the size limit
 */
export function tokenize(text: string, file: string): Token[] {
  if (text.length > LIMITS.fileChars) {
    throw new InputSyntaxError(
      { file, line: 1, column: 1 },
      `File too large for an NMODL mechanism: ${text.length} characters (limit ${LIMITS.fileChars})`,
    );
  }
  const out: Token[] = [];
  let i = 0, line = 1, col = 1;
  const n = text.length;
  function advance(k: number): void {
    for (let j = 0; j < k; j++) {
      if (text[i] === "\n") {
        line++;
        col = 1;
      } else col++;
      i++;
    }
  }
  /** Skips to just after `end` (a keyword on its own token boundary); returns the text before. */
  function until(end: string, what: string, l0: number, c0: number): string {
    const re = new RegExp(`(^|[^A-Za-z0-9_])${end}(?![A-Za-z0-9_])`, "g");
    re.lastIndex = i;
    const m = re.exec(text);
    if (m === null) {
      throw new InputSyntaxError(
        { file, line: l0, column: c0, key: what },
        `Unterminated ${what}: no ${end} before the end of the file`,
      );
    }
    const stop = m.index + m[1].length;
    const body = text.slice(i, stop);
    advance(stop + end.length - i);
    return body;
  }
  while (i < n) {
    if (out.length > LIMITS.tokens) {
      throw new InputSyntaxError(
        { file, line, column: col },
        `Too many tokens for an NMODL mechanism (limit ${LIMITS.tokens})`,
      );
    }
    const c = text[i];
    if (c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\f" || c === "\v") {
      advance(1);
      continue;
    }
    if (c === ":" || c === "?") {
      while (i < n && text[i] !== "\n") advance(1);
      continue;
    }
    const l0 = line, c0 = col;
    if (isLetter(c)) {
      let j = i + 1;
      while (j < n && (isLetter(text[j]) || isDigit(text[j]) || text[j] === "_")) j++;
      const word = text.slice(i, j);
      advance(j - i);
      if (word === "COMMENT") {
        until("ENDCOMMENT", "COMMENT", l0, c0);
        continue;
      }
      if (word === "VERBATIM") {
        const body = until("ENDVERBATIM", "VERBATIM", l0, c0);
        out.push({ kind: "verbatim", text: body, line: l0, column: c0 });
        continue;
      }
      if (word === "TITLE") {
        let j2 = i;
        while (j2 < n && text[j2] !== "\n") j2++;
        const title = text.slice(i, j2).trim();
        advance(j2 - i);
        out.push({ kind: "title", text: title, line: l0, column: c0 });
        continue;
      }
      out.push({ kind: "name", text: word, line: l0, column: c0 });
      continue;
    }
    if (isDigit(c) || (c === "." && i + 1 < n && isDigit(text[i + 1]))) {
      const m = /^(?:\d+\.\d*|\d*\.\d+|\d+)(?:[eE][-+]?\d+)?/.exec(text.slice(i, i + 400));
      const num = m![0];
      advance(num.length);
      out.push({ kind: "number", text: num, line: l0, column: c0 });
      continue;
    }
    if (c === '"') {
      const end = text.indexOf('"', i + 1);
      const nl = text.indexOf("\n", i + 1);
      if (end < 0 || (nl >= 0 && nl < end)) {
        throw new InputSyntaxError(
          { file, line: l0, column: c0, key: "string" },
          "Unterminated string",
        );
      }
      const s = text.slice(i + 1, end);
      advance(end + 1 - i);
      out.push({ kind: "string", text: s, line: l0, column: c0 });
      continue;
    }
    if (text.startsWith("<->", i)) {
      advance(3);
      out.push({ kind: "op", text: "<->", line: l0, column: c0 });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      advance(2);
      out.push({ kind: "op", text: two, line: l0, column: c0 });
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      advance(1);
      out.push({ kind: "op", text: c, line: l0, column: c0 });
      continue;
    }
    throw new InputSyntaxError(
      { file, line: l0, column: c0 },
      `Unexpected character ${JSON.stringify(c)} in NMODL source`,
    );
  }
  out.push({ kind: "eof", text: "", line, column: col });
  return out;
}
