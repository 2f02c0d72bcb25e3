import assert from "node:assert/strict";
import { InputSyntaxError, InputValueError } from "./errors.ts";
import {
  cloneParam,
  getArray,
  getBoolean,
  getInteger,
  getNumber,
  getNumberArray,
  getObject,
  getOptionalNumber,
  getOptionalObject,
  getString,
  isFloatLiteral,
  PARAM_META,
  paramLocation,
  paramMeta,
  type ParamObject,
  parseParam,
  readParamFile,
  setParam,
} from "./param.ts";

/** Asserts that parsing throws InputSyntaxError at line:column with a message matching `re`. */
function syntaxError(text: string, line: number, column: number, re: RegExp): void {
  assert.throws(() => parseParam(text, "t.param"), (e: unknown) => {
    assert.ok(e instanceof InputSyntaxError, `expected InputSyntaxError, got ${e}`);
    assert.equal(e.file, "t.param");
    assert.equal(`${e.line}:${e.column}`, `${line}:${column}`, e.message);
    assert.ok(e.message.startsWith(`t.param:${line}:${column}: `), e.message);
    assert.match(e.message, re);
    return true;
  });
}

Deno.test("parseParam() reads JSON, tuples, single quotes, trailing commas and Python words", () => {
  const p = parseParam(
    "{\t\n\t'a': (0.0,1.0),\n\t\"b\": [1, -2, 3.5e-05,],\n\t'c': None, 'd': True, 'e': False,\n" +
      '\t"f": null, "g": true, "h": false, "s": "x\\"y\\u00e9\\n", \'q\': \'it\\\'s\',\n}\n',
    "t.param",
  );
  assert.deepEqual(p, {
    a: [0, 1],
    b: [1, -2, 3.5e-5],
    c: null,
    d: true,
    e: false,
    f: null,
    g: true,
    h: false,
    s: 'x"y\u00e9\n',
    q: "it's",
  });
});

Deno.test("parseParam() keeps key order and takes the last value of a duplicate at the first position", () => {
  const p = parseParam('{"z": 1, "a": 2, "m": {"y": 1, "b": 2}, "z": 3}', "t.param");
  assert.deepEqual(Object.keys(p), ["z", "a", "m"]);
  assert.equal(p.z, 3);
  assert.deepEqual(Object.keys(p.m as ParamObject), ["y", "b"]);
});

Deno.test("parseParam() records int vs float literals for keys and indices", () => {
  const p = parseParam(
    '{"e": -90, "f": -90.0, "g": 1e5, "h": 0, "l": [1, 1.0, 2E-3], "d": {"e": 3}, "e2": 2}',
    "t.param",
  );
  const m = paramMeta(p)!;
  assert.deepEqual([...m.floats].sort(), ["f", "g"]);
  assert.deepEqual([...paramMeta(p.l as number[])!.floats], [1, 2]);
  assert.equal(p.g, 100000);
  // duplicate key: the float flag follows the last value
  const q = parseParam('{"a": 1.0, "a": 1}', "t.param");
  assert.equal(isFloatLiteral(q, "a"), false);
});

Deno.test("parseParam() metadata is non-enumerable and locates objects, arrays and keys", () => {
  const p = parseParam('{\n  "neuron": {\n\t"Soma": [ (1, 2) ]\n  }\n}', "c.param");
  assert.equal(Object.keys(p).length, 1);
  assert.equal(JSON.stringify(p), '{"neuron":{"Soma":[[1,2]]}}');
  assert.ok(Object.getOwnPropertySymbols(p).includes(PARAM_META));
  const neuron = p.neuron as ParamObject;
  assert.deepEqual(
    { line: paramMeta(neuron)!.line, column: paramMeta(neuron)!.column },
    { line: 2, column: 13 },
  );
  assert.deepEqual(paramMeta(neuron)!.keys!.get("Soma"), { line: 3, column: 2 });
  const soma = neuron.Soma as number[][];
  assert.deepEqual([paramMeta(soma)!.line, paramMeta(soma)!.column], [3, 10]);
  assert.deepEqual([paramMeta(soma[0])!.line, paramMeta(soma[0])!.column], [3, 12]);
  assert.deepEqual(paramLocation(neuron, "Soma", "neuron"), {
    file: "c.param",
    line: 3,
    column: 2,
    key: "neuron.Soma",
  });
  assert.deepEqual(paramLocation(soma, 0, "neuron.Soma"), {
    file: "c.param",
    line: 3,
    column: 12,
    key: "neuron.Soma[0]",
  });
});

Deno.test("parseParam() counts lines with CRLF and skips a byte-order mark", () => {
  const p = parseParam('\uFEFF{\r\n"a": 1,\r\n"b": 2\r\n}\r\n', "t.param");
  assert.deepEqual(paramMeta(p)!.keys!.get("b"), { line: 3, column: 1 });
});

Deno.test("parseParam() accepts nested tuples and empty containers", () => {
  assert.deepEqual(parseParam('{"a": ((1, 2), ()), "b": {}, "c": [], }', "t.param"), {
    a: [[1, 2], []],
    b: {},
    c: [],
  });
});

Deno.test("parseParam() rejects bad numbers with the literal and the reason", () => {
  syntaxError('{"a": 1.}', 1, 7, /Bad number "1\.".*digit after "\."/);
  syntaxError('{"a": .5}', 1, 7, /Bad number "\.5".*0\.5/);
  syntaxError('{"a": +1}', 1, 7, /Bad number "\+1".*leading "\+"/);
  syntaxError('{"a": 1e}', 1, 7, /Bad number "1e".*exponent/);
  syntaxError('{"a": 01}', 1, 7, /leading zeros/);
  syntaxError('{"a": -}', 1, 7, /digit after "-"/);
  syntaxError('{"a": 1.2.3}', 1, 7, /Bad number "1\.2\.3"/);
  syntaxError('{"a": 1e999}', 1, 7, /out of the range/);
  syntaxError('{"a": 9007199254740993}', 1, 7, /integer beyond/);
  assert.equal(parseParam('{"a": 9007199254740991, "b": 1e23}', "t.param").b, 1e23);
  syntaxError('{"a": NaN}', 1, 7, /"NaN".*non-finite/);
  syntaxError('{"a": abc}', 1, 7, /"abc".*must be quoted/);
});

Deno.test("parseParam() reports structural errors with expected vs found", () => {
  syntaxError('{"a" 1}', 1, 6, /Expected ":" after key "a", got "1"/);
  syntaxError('{"a": 1 "b": 2}', 1, 9, /Expected "," between members.*missing comma/);
  syntaxError(
    '{"a": [1 2]}',
    1,
    10,
    /Expected "," or "\]" after an element of the list opened at line 1, column 7, got "2"/,
  );
  syntaxError('{"a": (1, 2]}', 1, 12, /Expected "," or "\)" .*tuple/);
  syntaxError('{"a": 1,, }', 1, 9, /two commas/);
  syntaxError('{"a": [1,,2]}', 1, 10, /two commas/);
  syntaxError("{a: 1}", 1, 2, /Expected a quoted key or "\}".*got "a"/);
  syntaxError('{"a": 1}}', 1, 9, /Unexpected "\}" after the end of the top-level object/);
  syntaxError("[1, 2]", 1, 1, /Expected "\{" to start the top-level object, got "\["/);
  syntaxError("  \n", 2, 1, /empty file/);
  syntaxError('{"a": }', 1, 7, /Expected a value for key "a", got "\}"/);
  syntaxError('{"0": 1}', 1, 2, /looks like an array index/);
});

Deno.test("parseParam() reports truncation with where the open bracket is", () => {
  syntaxError(
    '{\n "a": {\n  "b": [1,\n',
    4,
    1,
    /Unexpected end of file: expected a value or "\]" to close the list opened at line 3, column 8/,
  );
  syntaxError(
    '{\n "a": {"b": 1\n',
    3,
    1,
    /Unexpected end of file: expected "," or "\}" to close the object opened at line 2, column 7/,
  );
  syntaxError('{"a": 1},\n', 1, 9, /Unexpected "," after the end of the top-level object/);
  syntaxError('{"a":', 1, 6, /Unexpected end of file: expected a value for key "a"/);
});

Deno.test("parseParam() reports unterminated strings at the opening quote", () => {
  syntaxError('{\n  "a": "abc\n}', 2, 8, /Unterminated string.*end of line 2/);
  syntaxError("{\n  'a': 'abc", 2, 8, /Unterminated string.*end of file/);
  syntaxError('{"a": "x\\q"}', 1, 9, /Bad escape "\\\\q"/);
  syntaxError('{"a": "\\u12"}', 1, 8, /Bad escape.*4 hex digits/);
});

Deno.test("parseParam() rejects comments with a clear message", () => {
  syntaxError('{\n  # a comment\n  "a": 1\n}', 2, 3, /Comments are not allowed.*"#"/);
  syntaxError('{"a": 1, // no\n}', 1, 10, /Comments are not allowed.*"\/\/"/);
  syntaxError('{"a": 1 /* no */}', 1, 9, /Comments are not allowed.*"\/\*"/);
});

Deno.test("parseParam() keeps __proto__ as an ordinary key", () => {
  const p = parseParam('{"__proto__": {"x": 1}, "b": 2}', "t.param");
  assert.deepEqual(Object.keys(p), ["__proto__", "b"]);
  assert.equal(Object.getPrototypeOf(p), Object.prototype);
});

Deno.test("getNumber() and friends return typed values and name file:line and the dotted key", () => {
  const p = parseParam(
    '{\n "sim": {\n  "dt": 0.025,\n  "T": "hot",\n  "n": 3,\n  "l": [1, "x"],\n  "b": false\n }\n}',
    "c.param",
  );
  const sim = getObject(p, "sim");
  assert.equal(getNumber(sim, "dt", "sim"), 0.025);
  assert.equal(getInteger(sim, "n", "sim"), 3);
  assert.equal(getBoolean(sim, "b", "sim"), false);
  assert.equal(getOptionalNumber(sim, "missing", "sim"), undefined);
  assert.equal(getOptionalObject(sim, "missing", "sim"), undefined);
  assert.deepEqual(getArray(sim, "l", "sim"), [1, "x"]);
  assert.throws(() => getNumber(sim, "T", "sim"), (e: unknown) => {
    assert.ok(e instanceof InputValueError);
    assert.equal(e.message, 'c.param:4:3: Cannot read "T" in "sim": expected a number, got "hot"');
    assert.equal(e.key, "sim.T");
    return true;
  });
  assert.throws(
    () => getString(sim, "Vinit", "sim"),
    /^InputValueError: c\.param:2:9: Missing key "Vinit" in "sim"$/,
  );
  assert.throws(() => getInteger(sim, "dt", "sim"), /expected an integer, got 0\.025/);
  assert.throws(() => getOptionalNumber(sim, "T", "sim"), /expected a number/);
  assert.throws(
    () => getNumberArray(sim, "l", "sim"),
    /Cannot read "1" in "sim\.l": expected a number, got "x"/,
  );
  assert.throws(() => getObject(p, "sim2"), /^InputValueError: c\.param:1:1: Missing key "sim2"$/);
});

Deno.test("setParam() updates the float flag; cloneParam() keeps metadata", () => {
  const p = parseParam('{"sim": {"tStop": 250.0}}', "c.param");
  const q = cloneParam(p);
  const sim = getObject(q, "sim");
  assert.ok(isFloatLiteral(sim, "tStop"));
  setParam(sim, "tStop", 345);
  assert.equal(isFloatLiteral(sim, "tStop"), false);
  setParam(sim, "tStop", 345, { float: true });
  assert.ok(isFloatLiteral(sim, "tStop"));
  assert.equal(getObject(p, "sim").tStop, 250);
  assert.equal(paramMeta(sim)!.keys!.get("tStop")!.column, 10);
  const built: ParamObject = {};
  setParam(built, "x", 1.0, { float: true });
  assert.ok(isFloatLiteral(built, "x"));
});

Deno.test("readParamFile() reports a missing file as InputValueError", async () => {
  await assert.rejects(readParamFile("/nonexistent/dir/x.param"), (e: unknown) => {
    assert.ok(e instanceof InputValueError);
    assert.match(
      e.message,
      /^\/nonexistent\/dir\/x\.param: Cannot read parameter file: no such file$/,
    );
    return true;
  });
});
