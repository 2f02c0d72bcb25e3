/**
 * Reader for ISF `.param` files (spec/formats.md §1): JSON plus trailing commas, single-quoted
 * strings, `( … )` tuples (read as arrays) and the Python words `None`/`True`/`False`.
 *
 * The parser is a hand-written tokenizer plus recursive descent. It keeps key order, remembers
 * whether each number literal was a float (`-90.0`) or an int (`-90`) so that the file can be
 * written back as ISF does (io/param_writer.ts), and records where every object, array and key
 * is, so that later layers can report `file:line:column` for a bad value.
 *
 * Deviations from a plain JS object model, all documented on {@linkcode parseParam}:
 * keys that look like array indices (`"0"`, `"12"`) are rejected, because a JS object would
 * move them to the front and so change the key order; a duplicate key keeps the position of its
 * first occurrence and the value of its last (as Python's `json` does).
 *
 * @module
 */
import { type InputLocation, InputSyntaxError, InputValueError } from "./errors.ts";
import { readTextInput } from "./read_text.ts";

/** A parsed `.param` value. Tuples are arrays; `None` is `null`. */
export type ParamValue = null | boolean | number | string | ParamValue[] | ParamObject;

/** A parsed `.param` object (a Python dict); key order is the file order. */
export interface ParamObject {
  /** A member; keys that look like array indices are rejected by the parser. */
  [key: string]: ParamValue;
}

/**
 * Symbol under which every parsed object and array carries its {@linkcode ParamMeta}, as a
 * non-enumerable property (invisible to `Object.keys`, `JSON.stringify` and deep equality).
 */
export const PARAM_META: unique symbol = Symbol("simrun.paramMeta");

/** Where a parsed object or array and its members are, and which numbers were floats. */
export interface ParamMeta {
  /** The file as passed to {@linkcode parseParam}. */
  file: string;
  /** 1-based line of the opening `{`, `[` or `(`. */
  line: number;
  /** 1-based column (UTF-16 code units, a tab counts 1) of the opening bracket. */
  column: number;
  /** Objects only: where each key is (for a duplicate key: its last occurrence). */
  keys?: Map<string, { line: number; column: number }>;
  /** Keys (objects) or indices (arrays) whose number literal was a float (has `.` or exponent). */
  floats: Set<string | number>;
}

type Container = ParamObject | ParamValue[];

/**
 * The {@linkcode ParamMeta} of a parsed object or array, or undefined for values built in code.
 *
 * @param v a parsed object or array
 * @returns its metadata, if any
 * @example Location of the top-level object
 * ```ts
 * import assert from "node:assert/strict";
 * import { paramMeta, parseParam } from "./param.ts";
 * const p = parseParam('{"a": [1.0, 2]}', "x.param");
 * assert.equal(paramMeta(p)?.line, 1);
 * assert.ok(paramMeta(p.a as number[])?.floats.has(0));
 * ```
 */
export function paramMeta(v: ParamObject | ParamValue[]): ParamMeta | undefined {
  return (v as { [PARAM_META]?: ParamMeta })[PARAM_META];
}

function attachMeta(v: Container, meta: ParamMeta): void {
  Object.defineProperty(v, PARAM_META, {
    value: meta,
    enumerable: false,
    writable: true,
    configurable: true,
  });
}

/** True for a (parsed or built) `.param` object: not null, not an array. */
export function isParamObject(v: ParamValue | undefined): v is ParamObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// Parser

const CH_TAB = 9, CH_LF = 10, CH_CR = 13, CH_SPACE = 32;
const CH_DQUOTE = 34, CH_HASH = 35, CH_SQUOTE = 39, CH_LPAREN = 40, CH_RPAREN = 41;
const CH_PLUS = 43, CH_COMMA = 44, CH_MINUS = 45, CH_DOT = 46, CH_SLASH = 47;
const CH_0 = 48, CH_9 = 57, CH_COLON = 58, CH_LBRACKET = 91, CH_BACKSLASH = 92;
const CH_RBRACKET = 93, CH_LBRACE = 123, CH_RBRACE = 125, CH_E = 69, CH_e = 101;

/**
 * The string with its own characters: V8 makes a slice of 13 or more characters a view of the
 * whole text, so one kept key or value would keep the file's text alive for as long as the
 * parsed tree (a job keeps its network param to the end). Flattening the concatenation copies.
 */
function detached(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

/** True for a character that starts a number literal (malformed ones included: `+1`, `.5`). */
function isNumberStart(c: number): boolean {
  return c === CH_MINUS || (c >= CH_0 && c <= CH_9) || c === CH_PLUS || c === CH_DOT;
}

/**
 * Sets a member; `__proto__` becomes an own data property (plain assignment would set the
 * prototype). A duplicate key keeps its first position and takes the new value.
 */
function defineMember(obj: ParamObject, key: string, value: ParamValue): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    obj[key] = value;
  }
}

/** "the list opened at line 3, column 7" (for messages). */
function opened(kind: string, line: number, col: number): string {
  return `the ${kind} opened at line ${line}, column ${col}`;
}

/** Where a value is, for messages: its key, else the array opened at `line`, `col`. */
function valueContext(key: string | undefined, kind: string, line: number, col: number): string {
  return key !== undefined ? `for key ${JSON.stringify(key)}` : `in ${opened(kind, line, col)}`;
}

/** Index-like keys ("0", "17"): JS objects would reorder them. */
const INDEX_KEY = /^(?:0|[1-9][0-9]{0,9})$/;

class Parser {
  readonly text: string;
  readonly file: string;
  pos = 0;
  line = 1;
  lineStart = 0;

  constructor(text: string, file: string) {
    this.text = text;
    this.file = file;
    if (text.charCodeAt(0) === 0xfeff) {
      this.pos = 1; // byte-order mark
      this.lineStart = 1;
    }
  }

  col(pos = this.pos): number {
    return pos - this.lineStart + 1;
  }

  fail(message: string, line = this.line, column = this.col()): never {
    throw new InputSyntaxError({ file: this.file, line, column }, message);
  }

  /** Human-readable description of the token at `pos`. */
  found(): string {
    const t = this.text;
    if (this.pos >= t.length) return "end of file";
    const c = t.charCodeAt(this.pos);
    if (c === CH_LF || c === CH_CR) return "end of line";
    const m = /^(?:"[^"\n]{0,30}"?|'[^'\n]{0,30}'?|[A-Za-z_][A-Za-z0-9_]*|[-+.0-9][-+.0-9eE]*|.)/su
      .exec(t.slice(this.pos, this.pos + 40));
    return JSON.stringify(m ? m[0] : t[this.pos]);
  }

  /** Skips whitespace; rejects comments with a clear message. */
  skipWs(): void {
    const t = this.text;
    const n = t.length;
    let p = this.pos;
    while (p < n) {
      const c = t.charCodeAt(p);
      if (c === CH_SPACE || c === CH_TAB || c === CH_CR) {
        p++;
      } else if (c === CH_LF) {
        p++;
        this.line++;
        this.lineStart = p;
      } else if (
        c === CH_HASH ||
        (c === CH_SLASH && (t.charCodeAt(p + 1) === CH_SLASH || t.charCodeAt(p + 1) === 42))
      ) {
        this.pos = p;
        const what = c === CH_HASH ? "#" : t.slice(p, p + 2);
        this.fail(
          `Comments are not allowed in .param files (ISF's reader rejects them), found "${what}"`,
        );
      } else {
        break;
      }
    }
    this.pos = p;
  }

  parseTop(): ParamObject {
    this.skipWs();
    if (this.pos >= this.text.length) {
      this.fail('Expected "{" to start the top-level object, got end of file (empty file)');
    }
    if (this.text.charCodeAt(this.pos) !== CH_LBRACE) {
      this.fail(`Expected "{" to start the top-level object, got ${this.found()}`);
    }
    const obj = this.parseObject();
    this.skipWs();
    if (this.pos < this.text.length) {
      this.fail(`Unexpected ${this.found()} after the end of the top-level object`);
    }
    return obj;
  }

  /**
   * A value other than a number (the callers read numbers themselves, to keep the float flag).
   * Where it is (for messages only, built on failure): the key it belongs to, else the array
   * opened at `line`, `col`.
   */
  parseValue(key: string | undefined, kind: string, line: number, col: number): ParamValue {
    const t = this.text;
    if (this.pos >= t.length) {
      this.fail(`Unexpected end of file: expected a value ${valueContext(key, kind, line, col)}`);
    }
    const c = t.charCodeAt(this.pos);
    if (c === CH_LBRACE) return this.parseObject();
    if (c === CH_LBRACKET) return this.parseArray(CH_RBRACKET);
    if (c === CH_LPAREN) return this.parseArray(CH_RPAREN);
    if (c === CH_DQUOTE || c === CH_SQUOTE) return this.parseString();
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t.slice(this.pos, this.pos + 32));
    if (m) {
      const w = m[0];
      let v: ParamValue | undefined;
      if (w === "null" || w === "None") v = null;
      else if (w === "true" || w === "True") v = true;
      else if (w === "false" || w === "False") v = false;
      else {
        const hint = w === "NaN" || w === "Infinity" || w === "inf" || w === "nan"
          ? " (non-finite numbers are not allowed)"
          : " (strings must be quoted)";
        this.fail(
          `Expected a value ${valueContext(key, kind, line, col)}, got ${JSON.stringify(w)}${hint}`,
        );
      }
      this.pos += w.length;
      return v;
    }
    this.fail(`Expected a value ${valueContext(key, kind, line, col)}, got ${this.found()}`);
  }

  parseObject(): ParamObject {
    const t = this.text;
    const openLine = this.line, openCol = this.col();
    this.pos++; // {
    const obj: ParamObject = {};
    const keys = new Map<string, { line: number; column: number }>();
    const floats = new Set<string | number>();
    attachMeta(obj, { file: this.file, line: openLine, column: openCol, keys, floats });
    this.skipWs();
    if (t.charCodeAt(this.pos) === CH_RBRACE) {
      this.pos++;
      return obj;
    }
    for (;;) {
      // key
      if (this.pos >= t.length) {
        this.fail(
          `Unexpected end of file: expected a key or "}" to close ${
            opened("object", openLine, openCol)
          }`,
        );
      }
      const kc = t.charCodeAt(this.pos);
      if (kc !== CH_DQUOTE && kc !== CH_SQUOTE) {
        if (kc === CH_COMMA) {
          this.fail(
            `Expected a key in ${
              opened("object", openLine, openCol)
            }, got "," (two commas in a row, or a comma right after "{")`,
          );
        }
        this.fail(
          `Expected a quoted key or "}" in ${
            opened("object", openLine, openCol)
          }, got ${this.found()}`,
        );
      }
      const keyLine = this.line, keyCol = this.col();
      const key = this.parseString();
      if (INDEX_KEY.test(key)) {
        this.fail(
          `Key ${
            JSON.stringify(key)
          } looks like an array index; such keys are not supported (a JS object would reorder them)`,
          keyLine,
          keyCol,
        );
      }
      this.skipWs();
      if (t.charCodeAt(this.pos) !== CH_COLON) {
        this.fail(`Expected ":" after key ${JSON.stringify(key)}, got ${this.found()}`);
      }
      this.pos++;
      this.skipWs();
      // value
      const vc = t.charCodeAt(this.pos);
      let value: ParamValue;
      let isFloat = false;
      if (isNumberStart(vc)) {
        value = this.parseNumber();
        isFloat = this.numberIsFloat;
      } else {
        value = this.parseValue(key, "object", openLine, openCol);
      }
      defineMember(obj, key, value); // a duplicate keeps its first position, takes the last value (like Python)
      keys.set(key, { line: keyLine, column: keyCol });
      if (isFloat) floats.add(key);
      else floats.delete(key);
      // separator
      this.skipWs();
      if (this.pos >= t.length) {
        this.fail(
          `Unexpected end of file: expected "," or "}" to close ${
            opened("object", openLine, openCol)
          }`,
        );
      }
      const sc = t.charCodeAt(this.pos);
      if (sc === CH_COMMA) {
        this.pos++;
        this.skipWs();
        if (t.charCodeAt(this.pos) === CH_RBRACE) { // trailing comma
          this.pos++;
          return obj;
        }
      } else if (sc === CH_RBRACE) {
        this.pos++;
        return obj;
      } else if (sc === CH_DQUOTE || sc === CH_SQUOTE) {
        this.fail(
          `Expected "," between members of ${
            opened("object", openLine, openCol)
          }, got ${this.found()} (missing comma?)`,
        );
      } else {
        this.fail(
          `Expected "," or "}" after the value of key ${JSON.stringify(key)} in ${
            opened("object", openLine, openCol)
          }, got ${this.found()}`,
        );
      }
    }
  }

  parseArray(close: number): ParamValue[] {
    const t = this.text;
    const openLine = this.line, openCol = this.col();
    const closeCh = close === CH_RBRACKET ? "]" : ")";
    const kind = close === CH_RBRACKET ? "list" : "tuple";
    this.pos++;
    const arr: ParamValue[] = [];
    const floats = new Set<string | number>();
    attachMeta(arr, { file: this.file, line: openLine, column: openCol, floats });
    this.skipWs();
    if (t.charCodeAt(this.pos) === close) {
      this.pos++;
      return arr;
    }
    for (;;) {
      if (this.pos >= t.length) {
        this.fail(
          `Unexpected end of file: expected a value or "${closeCh}" to close ${
            opened(kind, openLine, openCol)
          }`,
        );
      }
      const vc = t.charCodeAt(this.pos);
      if (isNumberStart(vc)) {
        const value = this.parseNumber();
        if (this.numberIsFloat) floats.add(arr.length);
        arr.push(value);
      } else {
        if (vc === CH_COMMA) {
          this.fail(
            `Expected a value in ${
              opened(kind, openLine, openCol)
            }, got "," (two commas in a row, or a comma right after the opening bracket)`,
          );
        }
        arr.push(this.parseValue(undefined, kind, openLine, openCol));
      }
      this.skipWs();
      if (this.pos >= t.length) {
        this.fail(
          `Unexpected end of file: expected "," or "${closeCh}" to close ${
            opened(kind, openLine, openCol)
          }`,
        );
      }
      const sc = t.charCodeAt(this.pos);
      if (sc === CH_COMMA) {
        this.pos++;
        this.skipWs();
        if (t.charCodeAt(this.pos) === close) {
          this.pos++;
          return arr;
        }
      } else if (sc === close) {
        this.pos++;
        return arr;
      } else {
        this.fail(
          `Expected "," or "${closeCh}" after an element of ${
            opened(kind, openLine, openCol)
          }, got ${this.found()}`,
        );
      }
    }
  }

  parseString(): string {
    const t = this.text;
    const quote = t.charCodeAt(this.pos);
    const startLine = this.line, startCol = this.col();
    let p = this.pos + 1;
    let out = "";
    let chunk = p;
    const n = t.length;
    for (;;) {
      if (p >= n) {
        this.fail(
          `Unterminated string: the string starting here has no closing ${
            quote === CH_DQUOTE ? "'\"'" : '"\'"'
          } before the end of file`,
          startLine,
          startCol,
        );
      }
      const c = t.charCodeAt(p);
      if (c === quote) break;
      if (c === CH_LF || c === CH_CR) {
        this.fail(
          `Unterminated string: the string starting here has no closing quote before the end of line ${startLine}`,
          startLine,
          startCol,
        );
      }
      if (c < 0x20 && c !== CH_TAB) {
        this.pos = p;
        this.fail(
          `Control character U+${
            c.toString(16).padStart(4, "0").toUpperCase()
          } is not allowed in a string`,
        );
      }
      if (c === CH_BACKSLASH) {
        out += t.slice(chunk, p);
        const e = t[p + 1];
        let rep: string;
        switch (e) {
          case '"':
            rep = '"';
            break;
          case "'":
            rep = "'";
            break;
          case "\\":
            rep = "\\";
            break;
          case "/":
            rep = "/";
            break;
          case "b":
            rep = "\b";
            break;
          case "f":
            rep = "\f";
            break;
          case "n":
            rep = "\n";
            break;
          case "r":
            rep = "\r";
            break;
          case "t":
            rep = "\t";
            break;
          case "u": {
            const hex = t.slice(p + 2, p + 6);
            if (!/^[0-9A-Fa-f]{4}$/.test(hex)) {
              this.pos = p;
              this.fail(`Bad escape "\\u${hex}" in string: expected 4 hex digits`);
            }
            rep = String.fromCharCode(parseInt(hex, 16));
            p += 4;
            break;
          }
          default:
            this.pos = p;
            this.fail(
              `Bad escape ${
                JSON.stringify("\\" + (e ?? ""))
              } in string: expected one of \\" \\' \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`,
            );
        }
        out += rep;
        p += 2;
        chunk = p;
        continue;
      }
      p++;
    }
    out += t.slice(chunk, p);
    this.pos = p + 1;
    return detached(out);
  }

  /** Whether the last number {@link parseNumber} read was written as a float. */
  numberIsFloat = false;

  /** Fails for the number starting at `start`. */
  badNumber(start: number, why: string): never {
    const t = this.text;
    const m = /^[-+.0-9A-Za-z_]*/.exec(t.slice(start, start + 40));
    this.pos = start;
    return this.fail(`Bad number ${JSON.stringify(m ? m[0] : t[start])}: ${why}`);
  }

  /**
   * JSON number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?; sets {@link numberIsFloat} (no
   * object per number: a large param has tens of thousands).
   */
  parseNumber(): number {
    const t = this.text;
    const start = this.pos;
    let p = start;
    let isFloat = false;
    let c = t.charCodeAt(p);
    if (c === CH_PLUS) this.badNumber(start, 'a leading "+" is not allowed (JSON numbers)');
    if (c === CH_DOT) this.badNumber(start, 'a digit is required before "." (write 0.5, not .5)');
    if (c === CH_MINUS) {
      p++;
      c = t.charCodeAt(p);
      if (!(c >= CH_0 && c <= CH_9)) this.badNumber(start, 'expected a digit after "-"');
    }
    if (c === CH_0) {
      p++;
      c = t.charCodeAt(p);
      if (c >= CH_0 && c <= CH_9) this.badNumber(start, "leading zeros are not allowed");
    } else {
      while (c >= CH_0 && c <= CH_9) c = t.charCodeAt(++p);
    }
    if (c === CH_DOT) {
      isFloat = true;
      c = t.charCodeAt(++p);
      if (!(c >= CH_0 && c <= CH_9)) {
        this.badNumber(start, 'expected a digit after "." (write 1.0, not 1.)');
      }
      while (c >= CH_0 && c <= CH_9) c = t.charCodeAt(++p);
    }
    if (c === CH_e || c === CH_E) {
      isFloat = true;
      c = t.charCodeAt(++p);
      if (c === CH_PLUS || c === CH_MINUS) c = t.charCodeAt(++p);
      if (!(c >= CH_0 && c <= CH_9)) this.badNumber(start, 'expected exponent digits after "e"');
      while (c >= CH_0 && c <= CH_9) c = t.charCodeAt(++p);
    }
    // A number glued to letters or another dot ("1.2.3", "12abc") is malformed.
    if (
      c === CH_DOT || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ||
      (c >= CH_0 && c <= CH_9)
    ) {
      this.badNumber(start, "unexpected character after the number");
    }
    const value = Number(t.slice(start, p));
    if (!Number.isFinite(value)) this.badNumber(start, "out of the range of a double");
    if (!isFloat && !Number.isSafeInteger(value)) {
      // Python keeps such ints exact; a double cannot, so writing the file back would change it.
      this.badNumber(
        start,
        "integer beyond ±(2^53 − 1) cannot be held exactly (write it as a float, e.g. 1e23)",
      );
    }
    this.pos = p;
    this.numberIsFloat = isFloat;
    return value;
  }
}

/**
 * Parses the text of an ISF `.param` file (spec/formats.md §1.2).
 *
 * Accepts JSON plus trailing commas, single-quoted strings, `( … )` tuples (as arrays, nesting
 * allowed) and `None`/`True`/`False`. Rejects comments (`#`, `//`, `/*`), numbers outside the
 * JSON grammar (`+1`, `.5`, `1.`, `1e`, `01`), `NaN`/`Infinity`, integer literals beyond
 * ±(2^53 − 1) (Python keeps them exact, a double cannot), and keys that look like array
 * indices (`"0"`, `"12"`; a JS object would reorder them and no ISF file uses them). A duplicate
 * key keeps its first position and takes the last value (Python `json`). Every object and array
 * carries a {@linkcode ParamMeta} (see {@linkcode paramMeta}).
 *
 * @param text the file content
 * @param file the file name used in error messages and metadata
 * @returns the top-level object (which must be an object)
 * @throws {InputSyntaxError} with `file:line:column` and what was expected vs found
 * @example Tuples, trailing commas and the float flag
 * ```ts
 * import assert from "node:assert/strict";
 * import { paramMeta, parseParam } from "./param.ts";
 * const p = parseParam("{'e': -90, 'bins': [(0.0, 1.0),], 'T': 34.0,}", "cell.param");
 * assert.deepEqual(p, { e: -90, bins: [[0, 1]], T: 34 });
 * assert.ok(paramMeta(p)?.floats.has("T"));
 * assert.ok(!paramMeta(p)?.floats.has("e"));
 * ```
 */
export function parseParam(text: string, file: string): ParamObject {
  return new Parser(text, file).parseTop();
}

/**
 * Largest `.param` file read [bytes] (32 MiB; ISF's largest network param is about 300 kB). It
 * keeps every object and list below 2^24 members, the most a JavaScript `Map`/`Set` can hold
 * (a float or a key they record takes at least 4 bytes), so a larger file is refused with one line instead of failing
 * inside the parser.
 */
export const MAX_PARAM_BYTES = 32 * 1024 * 1024;

/**
 * Reads and parses a `.param` file.
 *
 * @param path the file path (used verbatim in messages)
 * @returns the top-level object
 * @throws {InputValueError} if the file is missing or unreadable
 * @throws {InputSyntaxError} if it cannot be parsed
 * @example Reading a file
 * ```ts ignore
 * const cell = await readParamFile("86_C2_center.param");
 * ```
 */
export async function readParamFile(path: string): Promise<ParamObject> {
  const text = await readTextInput(path, { what: "parameter file", maxBytes: MAX_PARAM_BYTES });
  return parseParam(text, path);
}

// ---------------------------------------------------------------------------------------------
// Locations and typed getters

/** `keyPath.key`, or `key` when keyPath is empty. */
export function joinKeyPath(keyPath: string | undefined, key: string | number): string {
  const k = typeof key === "number" ? `[${key}]` : key;
  if (!keyPath) return k;
  return typeof key === "number" ? `${keyPath}${k}` : `${keyPath}.${k}`;
}

/**
 * Where a member (or the container itself) is, for error messages.
 *
 * For an object key: the key's line and column. For an array index: the element's own position
 * when it is an object/array, else the array's opening bracket. Without a key: the container's
 * opening bracket. Values built in code (no metadata) give `file: "<unknown>"`, line 0.
 *
 * @param obj a parsed object or array
 * @param key the member, if any
 * @param keyPath dotted path of `obj` (e.g. `neuron.Soma`); joined with `key` for `key` in the result
 * @returns the location
 * @example Location of a key
 * ```ts
 * import assert from "node:assert/strict";
 * import { paramLocation, parseParam } from "./param.ts";
 * const p = parseParam('{\n  "Ra": 100.0\n}', "c.param");
 * assert.deepEqual(paramLocation(p, "Ra", "neuron"), { file: "c.param", line: 2, column: 3, key: "neuron.Ra" });
 * ```
 */
export function paramLocation(
  obj: ParamObject | ParamValue[],
  key?: string | number,
  keyPath?: string,
): InputLocation {
  const meta = paramMeta(obj);
  const dotted = key === undefined ? (keyPath || undefined) : joinKeyPath(keyPath, key);
  let line = meta?.line ?? 0, column = meta?.column ?? 0;
  if (meta && key !== undefined) {
    if (typeof key === "string" && meta.keys) {
      const at = meta.keys.get(key);
      if (at) ({ line, column } = at);
    } else if (typeof key === "number" && Array.isArray(obj)) {
      const el = obj[key];
      if (typeof el === "object" && el !== null) {
        const m = paramMeta(el);
        if (m) ({ line, column } = m);
      }
    }
  }
  const loc: { file: string; line: number; column: number; key?: string } = {
    file: meta?.file ?? "<unknown>",
    line,
    column,
  };
  if (dotted !== undefined) loc.key = dotted;
  return loc;
}

/** Short description of a value for messages: `"1e-x"`, `a list of 3`, `an object`, `null`. */
export function describeParamValue(v: ParamValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "null";
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === "object") return "an object";
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v);
  return String(v);
}

function where(keyPath: string | undefined): string {
  return keyPath ? ` in "${keyPath}"` : "";
}

function member(obj: ParamObject | ParamValue[], key: string | number): ParamValue | undefined {
  if (Array.isArray(obj)) return typeof key === "number" ? obj[key] : undefined;
  return typeof key === "string" && Object.prototype.hasOwnProperty.call(obj, key)
    ? obj[key]
    : undefined;
}

function missing(obj: ParamObject | ParamValue[], key: string | number, keyPath?: string): never {
  throw new InputValueError(
    paramLocation(obj, undefined, joinKeyPath(keyPath, key)),
    `Missing key "${key}"${where(keyPath)}`,
  );
}

function wrong(
  obj: ParamObject | ParamValue[],
  key: string | number,
  keyPath: string | undefined,
  expected: string,
  got: ParamValue | undefined,
): never {
  throw new InputValueError(
    paramLocation(obj, key, keyPath),
    `Cannot read "${key}"${where(keyPath)}: expected ${expected}, got ${describeParamValue(got)}`,
  );
}

/**
 * A required number member.
 *
 * @param obj the containing object (or array, with a numeric key)
 * @param key the member
 * @param keyPath dotted path of `obj`, for messages (e.g. `sim`)
 * @returns the number
 * @throws {InputValueError} `file:line: Missing key "dt" in "sim"` or `…: expected a number, got "x"`
 * @example Reading `sim.dt`
 * ```ts
 * import assert from "node:assert/strict";
 * import { getNumber, getObject, parseParam } from "./param.ts";
 * const p = parseParam('{"sim": {"dt": 0.025}}', "c.param");
 * assert.equal(getNumber(getObject(p, "sim"), "dt", "sim"), 0.025);
 * ```
 */
export function getNumber(
  obj: ParamObject | ParamValue[],
  key: string | number,
  keyPath?: string,
): number {
  const v = member(obj, key);
  if (v === undefined) missing(obj, key, keyPath);
  if (typeof v !== "number") wrong(obj, key, keyPath, "a number", v);
  return v;
}

/**
 * A required integer member (an int literal, or a float literal with an integral value).
 *
 * @param obj the containing object or array
 * @param key the member
 * @param keyPath dotted path of `obj`, for messages
 * @returns the integer
 * @throws {InputValueError} if missing or not an integer
 * @example Reading `cellNr`
 * ```ts
 * import assert from "node:assert/strict";
 * import { getInteger, parseParam } from "./param.ts";
 * assert.equal(getInteger(parseParam('{"cellNr": 12}', "n.param"), "cellNr"), 12);
 * ```
 */
export function getInteger(
  obj: ParamObject | ParamValue[],
  key: string | number,
  keyPath?: string,
): number {
  const v = member(obj, key);
  if (v === undefined) missing(obj, key, keyPath);
  if (typeof v !== "number" || !Number.isInteger(v)) wrong(obj, key, keyPath, "an integer", v);
  return v;
}

/**
 * A required string member.
 *
 * @param obj the containing object or array
 * @param key the member
 * @param keyPath dotted path of `obj`, for messages
 * @returns the string
 * @throws {InputValueError} if missing or not a string
 * @example Reading `neuron.filename`
 * ```ts
 * import assert from "node:assert/strict";
 * import { getString, parseParam } from "./param.ts";
 * assert.equal(getString(parseParam('{"filename": "a.hoc"}', "c.param"), "filename", "neuron"), "a.hoc");
 * ```
 */
export function getString(
  obj: ParamObject | ParamValue[],
  key: string | number,
  keyPath?: string,
): string {
  const v = member(obj, key);
  if (v === undefined) missing(obj, key, keyPath);
  if (typeof v !== "string") wrong(obj, key, keyPath, "a string", v);
  return v;
}

/**
 * A required boolean member.
 *
 * @param obj the containing object or array
 * @param key the member
 * @param keyPath dotted path of `obj`, for messages
 * @returns the boolean
 * @throws {InputValueError} if missing or not a boolean
 * @example Reading a flag
 * ```ts
 * import assert from "node:assert/strict";
 * import { getBoolean, parseParam } from "./param.ts";
 * assert.equal(getBoolean(parseParam('{"on": True}', "c.param"), "on"), true);
 * ```
 */
export function getBoolean(
  obj: ParamObject | ParamValue[],
  key: string | number,
  keyPath?: string,
): boolean {
  const v = member(obj, key);
  if (v === undefined) missing(obj, key, keyPath);
  if (typeof v !== "boolean") wrong(obj, key, keyPath, "true or false", v);
  return v;
}

/**
 * A required object member.
 *
 * @param obj the containing object or array
 * @param key the member
 * @param keyPath dotted path of `obj`, for messages
 * @returns the object
 * @throws {InputValueError} if missing or not an object
 * @example Reading `neuron`
 * ```ts
 * import assert from "node:assert/strict";
 * import { getObject, parseParam } from "./param.ts";
 * assert.deepEqual(getObject(parseParam('{"neuron": {}}', "c.param"), "neuron"), {});
 * ```
 */
export function getObject(
  obj: ParamObject | ParamValue[],
  key: string | number,
  keyPath?: string,
): ParamObject {
  const v = member(obj, key);
  if (v === undefined) missing(obj, key, keyPath);
  if (!isParamObject(v)) wrong(obj, key, keyPath, "an object", v);
  return v;
}

/**
 * A required list (or tuple) member.
 *
 * @param obj the containing object or array
 * @param key the member
 * @param keyPath dotted path of `obj`, for messages
 * @returns the array
 * @throws {InputValueError} if missing or not a list
 * @example Reading `intervals`
 * ```ts
 * import assert from "node:assert/strict";
 * import { getArray, parseParam } from "./param.ts";
 * assert.deepEqual(getArray(parseParam('{"intervals": [(0.0, 1.0)]}', "n.param"), "intervals"), [[0, 1]]);
 * ```
 */
export function getArray(
  obj: ParamObject | ParamValue[],
  key: string | number,
  keyPath?: string,
): ParamValue[] {
  const v = member(obj, key);
  if (v === undefined) missing(obj, key, keyPath);
  if (!Array.isArray(v)) wrong(obj, key, keyPath, "a list", v);
  return v;
}

/**
 * A required list of numbers.
 *
 * @param obj the containing object or array
 * @param key the member
 * @param keyPath dotted path of `obj`, for messages
 * @returns the numbers (a new plain array)
 * @throws {InputValueError} if missing, not a list, or an element is not a number (names the index)
 * @example Reading `probabilities`
 * ```ts
 * import assert from "node:assert/strict";
 * import { getNumberArray, parseParam } from "./param.ts";
 * assert.deepEqual(getNumberArray(parseParam('{"p": [0.5, 1]}', "n.param"), "p"), [0.5, 1]);
 * ```
 */
export function getNumberArray(
  obj: ParamObject | ParamValue[],
  key: string | number,
  keyPath?: string,
): number[] {
  const arr = getArray(obj, key, keyPath);
  const path = joinKeyPath(keyPath, key);
  for (let i = 0; i < arr.length; i++) {
    if (typeof arr[i] !== "number") wrong(arr, i, path, "a number", arr[i]);
  }
  return (arr as number[]).slice();
}

/**
 * An optional number member: undefined when the key is absent (a present non-number is an error).
 *
 * @param obj the containing object
 * @param key the member
 * @param keyPath dotted path of `obj`, for messages
 * @returns the number or undefined
 * @throws {InputValueError} if present but not a number
 * @example Default for a missing key
 * ```ts
 * import assert from "node:assert/strict";
 * import { getOptionalNumber, parseParam } from "./param.ts";
 * assert.equal(getOptionalNumber(parseParam("{}", "n.param"), "noise") ?? 1.0, 1.0);
 * ```
 */
export function getOptionalNumber(
  obj: ParamObject,
  key: string,
  keyPath?: string,
): number | undefined {
  return member(obj, key) === undefined ? undefined : getNumber(obj, key, keyPath);
}

/**
 * An optional string member: undefined when absent.
 *
 * @param obj the containing object
 * @param key the member
 * @param keyPath dotted path of `obj`, for messages
 * @returns the string or undefined
 * @throws {InputValueError} if present but not a string
 * @example Missing key
 * ```ts
 * import assert from "node:assert/strict";
 * import { getOptionalString, parseParam } from "./param.ts";
 * assert.equal(getOptionalString(parseParam("{}", "n.param"), "distribution"), undefined);
 * ```
 */
export function getOptionalString(
  obj: ParamObject,
  key: string,
  keyPath?: string,
): string | undefined {
  return member(obj, key) === undefined ? undefined : getString(obj, key, keyPath);
}

/**
 * An optional object member: undefined when absent.
 *
 * @param obj the containing object
 * @param key the member
 * @param keyPath dotted path of `obj`, for messages
 * @returns the object or undefined
 * @throws {InputValueError} if present but not an object
 * @example Optional `discretization`
 * ```ts
 * import assert from "node:assert/strict";
 * import { getOptionalObject, parseParam } from "./param.ts";
 * assert.equal(getOptionalObject(parseParam("{}", "c.param"), "discretization", "neuron"), undefined);
 * ```
 */
export function getOptionalObject(
  obj: ParamObject,
  key: string,
  keyPath?: string,
): ParamObject | undefined {
  return member(obj, key) === undefined ? undefined : getObject(obj, key, keyPath);
}

/**
 * An optional list member: undefined when absent.
 *
 * @param obj the containing object
 * @param key the member
 * @param keyPath dotted path of `obj`, for messages
 * @returns the array or undefined
 * @throws {InputValueError} if present but not a list
 * @example Optional `recordingSites`
 * ```ts
 * import assert from "node:assert/strict";
 * import { getOptionalArray, parseParam } from "./param.ts";
 * assert.deepEqual(getOptionalArray(parseParam('{"r": []}', "c.param"), "r"), []);
 * ```
 */
export function getOptionalArray(
  obj: ParamObject,
  key: string,
  keyPath?: string,
): ParamValue[] | undefined {
  return member(obj, key) === undefined ? undefined : getArray(obj, key, keyPath);
}

/**
 * Whether `value` was written as a float literal in the file (`34.0`, `3e-5`); false for ints and
 * for values built in code.
 *
 * @param obj the containing object or array
 * @param key the member
 * @returns true for a float literal
 * @example Int vs float
 * ```ts
 * import assert from "node:assert/strict";
 * import { isFloatLiteral, parseParam } from "./param.ts";
 * const p = parseParam('{"a": -90, "b": -90.0}', "c.param");
 * assert.deepEqual([isFloatLiteral(p, "a"), isFloatLiteral(p, "b")], [false, true]);
 * ```
 */
export function isFloatLiteral(obj: ParamObject | ParamValue[], key: string | number): boolean {
  return paramMeta(obj)?.floats.has(key) ?? false;
}

/** Options of {@linkcode setParam}. */
export interface SetParamOptions {
  /** Write a number as a float (`345.0`) rather than an int (`345`) when it is integral. Default false. */
  float?: boolean;
}

/**
 * Sets a member and keeps the metadata consistent (the float flag; a new key gets no location).
 * Use it for values that will be written back (e.g. `sim.tStop`).
 *
 * @param obj the object to change
 * @param key the member
 * @param value the new value
 * @param options `{ float: true }` to write an integral number as a float
 * @example tStop as ISF writes it
 * ```ts
 * import assert from "node:assert/strict";
 * import { isFloatLiteral, parseParam, setParam } from "./param.ts";
 * const sim = parseParam('{"tStop": 250.0}', "c.param");
 * setParam(sim, "tStop", 345);
 * assert.equal(sim.tStop, 345);
 * assert.equal(isFloatLiteral(sim, "tStop"), false);
 * ```
 */
export function setParam(
  obj: ParamObject,
  key: string,
  value: ParamValue,
  options: SetParamOptions = {},
): void {
  defineMember(obj, key, value);
  let meta = paramMeta(obj);
  if (!meta) {
    meta = { file: "<unknown>", line: 0, column: 0, keys: new Map(), floats: new Set() };
    attachMeta(obj, meta);
  }
  if (typeof value === "number" && options.float) meta.floats.add(key);
  else meta.floats.delete(key);
}

/**
 * Deep copy of a parsed value that keeps the metadata (locations and float flags); plain
 * `structuredClone` would drop it.
 *
 * @param v the value
 * @returns an independent copy
 * @example Copy, change, original intact
 * ```ts
 * import assert from "node:assert/strict";
 * import { cloneParam, isFloatLiteral, parseParam, type ParamObject } from "./param.ts";
 * const p = parseParam('{"sim": {"tStop": 250.0}}', "c.param");
 * const q = cloneParam(p) as ParamObject;
 * (q.sim as ParamObject).tStop = 1;
 * assert.equal((p.sim as ParamObject).tStop, 250);
 * assert.ok(isFloatLiteral(q.sim as ParamObject, "tStop"));
 * ```
 */
export function cloneParam<T extends ParamValue>(v: T): T {
  if (typeof v !== "object" || v === null) return v;
  const meta = paramMeta(v as Container);
  let out: Container;
  if (Array.isArray(v)) {
    const a: ParamValue[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) a[i] = cloneParam(v[i]);
    out = a;
  } else {
    const o: ParamObject = {};
    for (const k of Object.keys(v)) defineMember(o, k, cloneParam((v as ParamObject)[k]));
    out = o;
  }
  if (meta) {
    const copy: ParamMeta = {
      file: meta.file,
      line: meta.line,
      column: meta.column,
      floats: new Set(meta.floats),
    };
    if (meta.keys) copy.keys = new Map(meta.keys);
    attachMeta(out, copy);
  }
  return out as T;
}
