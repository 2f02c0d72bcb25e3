/**
 * Writes a parameter set as Python's `json.dump(obj, indent=4)` does (spec/outputs.md §6), so
 * that the saved `*_neuron_model.param` / `*_network_model.param` match ISF's byte for byte.
 *
 * @module
 */
import { paramMeta, type ParamObject, type ParamValue } from "./param.ts";
import { formatPythonFloat } from "./python_float.ts";

const INDENT = "    ";

/** Printable ASCII without `"` and `\`: written as they are. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** Python `json` string escaping with `ensure_ascii=True`: everything outside ' '..'~' is escaped. */
function quote(s: string): string {
  if (PLAIN.test(s)) return '"' + s + '"'; // nearly every key and value: one native test
  let out = '"';
  let chunk = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(chunk, i);
    chunk = i + 1;
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += "\\\\";
        break;
      case 0x0a:
        out += "\\n";
        break;
      case 0x0d:
        out += "\\r";
        break;
      case 0x09:
        out += "\\t";
        break;
      case 0x08:
        out += "\\b";
        break;
      case 0x0c:
        out += "\\f";
        break;
      default:
        out += "\\u" + c.toString(16).padStart(4, "0"); // UTF-16 units = Python's surrogate pairs
    }
  }
  return out + s.slice(chunk) + '"';
}

/** Python `json` spelling of a number: `float.__repr__` for floats, `int.__repr__` for ints. */
function number(v: number, isFloat: boolean): string {
  if (!Number.isFinite(v)) return v !== v ? "NaN" : v > 0 ? "Infinity" : "-Infinity";
  if (isFloat || !Number.isInteger(v)) return formatPythonFloat(v);
  if (Math.abs(v) < 1e21) return String(v === 0 ? 0 : v); // -0 as an int is 0
  return BigInt(v).toString(); // only for values built in code: the parser rejects unsafe ints
}

function write(v: ParamValue, isFloat: boolean, indent: string, out: string[]): void {
  if (v === null) {
    out.push("null");
  } else if (typeof v === "boolean") {
    out.push(v ? "true" : "false");
  } else if (typeof v === "number") {
    out.push(number(v, isFloat));
  } else if (typeof v === "string") {
    out.push(quote(v));
  } else if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push("[]");
      return;
    }
    const floats = paramMeta(v)?.floats;
    const inner = indent + INDENT;
    out.push("[\n");
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(",\n");
      out.push(inner);
      write(v[i], floats?.has(i) ?? false, inner, out);
    }
    out.push("\n", indent, "]");
  } else {
    const keys = Object.keys(v);
    if (keys.length === 0) {
      out.push("{}");
      return;
    }
    const floats = paramMeta(v)?.floats;
    const inner = indent + INDENT;
    out.push("{\n");
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      if (i > 0) out.push(",\n");
      out.push(inner, quote(k), ": ");
      write(v[k], floats?.has(k) ?? false, inner, out);
    }
    out.push("\n", indent, "}");
  }
}

/**
 * Serializes a parameter object exactly like Python's `json.dump(obj, fp, indent=4)`: 4-space
 * indentation, one member or element per line, `{}`/`[]` for empty containers, `": "` after
 * keys, no trailing newline, non-ASCII escaped as `\uXXXX`. A number is written as a float
 * (Python `repr`, via io/python_float.ts) when its literal was a float in the parsed file (see
 * `ParamMeta.floats`, or `setParam(…, { float: true })`) or when it is not integral; otherwise
 * as an int. Non-finite floats come out as `NaN`/`Infinity` (Python's default `allow_nan`).
 *
 * @param obj the parameter set (parsed with io/param.ts, possibly modified)
 * @returns the file content
 * @example Ints stay ints, floats stay floats, tuples become arrays
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseParam } from "./param.ts";
 * import { formatParamJson } from "./param_writer.ts";
 * const p = parseParam("{'e': -90, 'g': 0.0000326, 'bin': (0.0, 1.0), 'x': {}}", "c.param");
 * assert.equal(
 *   formatParamJson(p),
 *   '{\n    "e": -90,\n    "g": 3.26e-05,\n    "bin": [\n        0.0,\n        1.0\n    ],\n    "x": {}\n}',
 * );
 * ```
 */
export function formatParamJson(obj: ParamObject): string {
  const out: string[] = [];
  write(obj, false, "", out);
  return out.join("");
}
