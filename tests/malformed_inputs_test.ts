/**
 * Every reader rejects malformed input with a typed error that names `file:line:column` (or
 * `file:line` where no column makes sense) and says what was expected. Fixtures:
 * io/testdata/malformed/ (one file per case, small enough to read in the message).
 *
 * @module
 */
import assert from "node:assert/strict";
import { InputSyntaxError, InputValueError } from "../io/errors.ts";
import { readHocFile } from "../io/hoc.ts";
import { readLandmarkFile } from "../io/landmark.ts";
import { getNumber, getObject, getString, paramLocation, readParamFile } from "../io/param.ts";
import { parsePathMap, resolveInputPath } from "../io/path_map.ts";
import { readConFile, readSynFile } from "../io/syn_con.ts";
import { repoDir } from "./_shared.ts";

const DIR = `${repoDir()}/io/testdata/malformed`;

interface Case {
  /** Fixture file name in io/testdata/malformed. */
  file: string;
  /** Reads the fixture (the path is passed in). */
  read: (path: string) => Promise<unknown>;
  /** Expected error class. */
  cls: typeof InputSyntaxError | typeof InputValueError;
  /** Expected location suffix after the path: ":line:column" or ":line". */
  at: string;
  /** What the message must say (expected vs found). */
  says: RegExp;
}

const CASES: Case[] = [
  {
    file: "truncated.param",
    read: readParamFile,
    cls: InputSyntaxError,
    at: ":5:14",
    says:
      /Unexpected end of file: expected "," or "\}" to close the object opened at line 3, column 2/,
  },
  {
    file: "unbalanced_braces.param",
    read: readParamFile,
    cls: InputSyntaxError,
    at: ":5:2",
    says: /Expected a quoted key or "\}" in the object opened at line 3, column 2, got "\]"/,
  },
  {
    file: "bad_number.param",
    read: readParamFile,
    cls: InputSyntaxError,
    at: ":4:9",
    says: /Bad number "1\.": expected a digit after "\." \(write 1\.0, not 1\.\)/,
  },
  {
    file: "unterminated_string.param",
    read: readParamFile,
    cls: InputSyntaxError,
    at: ":4:15",
    says:
      /Unterminated string: the string starting here has no closing quote before the end of line 4/,
  },
  {
    file: "missing_colon.param",
    read: readParamFile,
    cls: InputSyntaxError,
    at: ":3:2",
    says: /Expected ":" after key "sim", got "\{"/,
  },
  {
    file: "comment.param",
    read: readParamFile,
    cls: InputSyntaxError,
    at: ":4:16",
    says: /Comments are not allowed in \.param files.*"#"/,
  },
  {
    file: "missing_comma.param",
    read: readParamFile,
    cls: InputSyntaxError,
    at: ":5:3",
    says:
      /Expected "," between members of the object opened at line 3, column 2, got "\\"T\\"" \(missing comma\?\)/,
  },
  {
    file: "trailing_garbage.param",
    read: readParamFile,
    cls: InputSyntaxError,
    at: ":4:1",
    says: /Unexpected "\}" after the end of the top-level object/,
  },
  {
    file: "wrong_type.param",
    read: async (p) => getNumber(getObject(await readParamFile(p), "sim"), "dt", "sim"),
    cls: InputValueError,
    at: ":2:10",
    says: /Cannot read "dt" in "sim": expected a number, got "0\.025"/,
  },
  {
    file: "bad_pt3dadd.hoc",
    read: readHocFile,
    cls: InputSyntaxError,
    at: ":6:22",
    says:
      /Bad number "394\.81O056" in pt3dadd\(x, y, z, diam\) \(field 2 of 4\): expected a decimal number/,
  },
  {
    file: "unknown_parent.hoc",
    read: readHocFile,
    cls: InputValueError,
    at: ":6:23",
    says: /Unknown parent section "dend_9" in connect of "dend_1_0"/,
  },
  {
    file: "no_soma.hoc",
    read: readHocFile,
    cls: InputValueError,
    at: "",
    says: /No soma: no section name contains "soma"/,
  },
  {
    file: "section_without_points.hoc",
    read: readHocFile,
    cls: InputValueError,
    at: ":4",
    says: /Section "dend_1_0" has no 3-D points/,
  },
  {
    file: "too_few_columns.syn",
    read: readSynFile,
    cls: InputSyntaxError,
    at: ":5:1",
    says: /Expected 3 or 4 columns \(type, section ID, x\[, pruned\]\), got 2/,
  },
  {
    file: "x_outside_range.syn",
    read: readSynFile,
    cls: InputValueError,
    at: ":3:12",
    says: /Synapse position x = 1\.25 is outside \[0, 1\]/,
  },
  {
    file: "non_integer_id.con",
    read: readConFile,
    cls: InputSyntaxError,
    at: ":5:9",
    says: /Expected a cell ID \(a non-negative integer\), got "1\.5"/,
  },
  {
    file: "bad_float.landmarkAscii",
    read: readLandmarkFile,
    cls: InputSyntaxError,
    at: ":6:24",
    says: /Bad y coordinate "4\.3088375854492l9e\+02": expected a decimal number/,
  },
];

for (const c of CASES) {
  Deno.test(`malformed ${c.file} is rejected with ${c.cls.name} at ${c.file}${c.at}`, async () => {
    const path = `${DIR}/${c.file}`;
    await assert.rejects(c.read(path), (e: unknown) => {
      assert.ok(
        e instanceof c.cls,
        `expected ${c.cls.name}, got ${e instanceof Error ? e.stack : e}`,
      );
      assert.ok(e.message.startsWith(`${path}${c.at}: `), `location: ${e.message}`);
      assert.equal(e.file, path);
      assert.match(e.message, c.says);
      return true;
    });
  });
}

Deno.test("a missing hoc file is an InputValueError naming the referencing key", async () => {
  const path = `${DIR}/does_not_exist.hoc`;
  await assert.rejects(
    readHocFile(path, { referencedFrom: "cell.param", line: 22, key: "neuron.filename" }),
    (e: unknown) => {
      assert.ok(e instanceof InputValueError);
      assert.equal(
        e.message,
        `cell.param:22: Cannot read morphology (.hoc) file "${path}" (key "neuron.filename"): no such file`,
      );
      return true;
    },
  );
});

Deno.test("a missing param file is an InputValueError", async () => {
  const path = `${DIR}/does_not_exist.param`;
  await assert.rejects(readParamFile(path), (e: unknown) => {
    assert.ok(e instanceof InputValueError);
    assert.equal(e.message, `${path}: Cannot read parameter file: no such file`);
    return true;
  });
});

Deno.test("an unresolvable referenced path names the key, its location and every path tried", async () => {
  const file = `${DIR}/unresolvable_path.param`;
  const p = await readParamFile(file);
  const neuron = getObject(p, "neuron");
  const hoc = getString(neuron, "filename", "neuron");
  const loc = paramLocation(neuron, "filename", "neuron");
  const map = parsePathMap([`*/getting_started/example_data/=${DIR}/`]);
  assert.throws(
    () =>
      resolveInputPath(hoc, {
        map,
        file,
        line: loc.line!,
        key: loc.key!,
        what: "morphology (.hoc) file",
      }),
    (e: unknown) => {
      assert.ok(e instanceof InputValueError);
      assert.equal(e.key, "neuron.filename");
      assert.equal(
        e.message,
        `${file}:4: Cannot find morphology (.hoc) file "${hoc}" (key "neuron.filename"); tried: "${hoc}", ` +
          `"${DIR}/anatomical_constraints/missing.hoc"`,
      );
      return true;
    },
  );
});
