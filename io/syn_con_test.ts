import assert from "node:assert/strict";
import { sharedDir, sharedPath } from "../tests/_shared.ts";
import { InputSyntaxError, InputValueError } from "./errors.ts";
import { parseCon, parseSyn, readConFile, readSynFile } from "./syn_con.ts";

Deno.test("parseSyn() groups rows per type in order of first appearance, with IDs and lines", () => {
  const s = parseSyn(
    "# Synapse distribution file\n# Type - section - section.x\n\nA\t3\t0.5\n  # indented comment\nB\t0\t0.0\nA\t7\t1.0\t1\nA\t8\t1e-1\t0\r\n",
    "a.syn",
  );
  assert.deepEqual([...s.types.keys()], ["A", "B"]);
  assert.deepEqual(s.types.get("A"), [
    { section: 3, x: 0.5, pruned: false, line: 4 },
    { section: 7, x: 1, pruned: true, line: 7 },
    { section: 8, x: 0.1, pruned: false, line: 8 },
  ]);
  assert.deepEqual(s.types.get("B"), [{ section: 0, x: 0, pruned: false, line: 6 }]);
  assert.equal(parseSyn("", "e.syn").types.size, 0);
});

function rowError(
  fn: () => unknown,
  cls: typeof InputSyntaxError | typeof InputValueError,
  where: string,
  re: RegExp,
): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof cls, `expected ${cls.name}, got ${e}`);
    assert.ok(e.message.startsWith(where + ": "), e.message);
    assert.match(e.message, re);
    return true;
  });
}

Deno.test("parseSyn() rejects malformed rows with file:line:column", () => {
  rowError(
    () => parseSyn("#\nA\t3\n", "a.syn"),
    InputSyntaxError,
    "a.syn:2:1",
    /Expected 3 or 4 columns.*got 2/,
  );
  rowError(() => parseSyn("A\t3\t0.5\t1\t9\n", "a.syn"), InputSyntaxError, "a.syn:1:1", /got 5/);
  rowError(
    () => parseSyn("A\t-3\t0.5\n", "a.syn"),
    InputSyntaxError,
    "a.syn:1:3",
    /section ID.*"-3"/,
  );
  rowError(
    () => parseSyn("A\t3.0\t0.5\n", "a.syn"),
    InputSyntaxError,
    "a.syn:1:3",
    /non-negative integer.*"3\.0"/,
  );
  rowError(() => parseSyn("A\t3\tx\n", "a.syn"), InputSyntaxError, "a.syn:1:5", /Expected x.*"x"/);
  rowError(
    () => parseSyn("A\t3\t1.5\n", "a.syn"),
    InputValueError,
    "a.syn:1:5",
    /x = 1\.5 is outside \[0, 1\]/,
  );
  rowError(
    () => parseSyn("A\t3\t0.5\t2\n", "a.syn"),
    InputValueError,
    "a.syn:1:9",
    /pruned flag 0 or 1/,
  );
});

Deno.test("parseCon() reads rows and the anatomical ID from the second header line", () => {
  const c = parseCon(
    "# Anatomical connectivity realization file; only valid with synapse realization:\n# 86_C2_center.syn\n# Type - cell ID - synapse ID\n\nL6cc_A3\t0\t0\nL6cc_A3\t0\t1\nVPM_C2\t4\t0\n",
    "a.con",
  );
  assert.equal(c.anatomicalId, "86_C2_center.syn");
  assert.deepEqual([...c.types.keys()], ["L6cc_A3", "VPM_C2"]);
  assert.deepEqual(c.types.get("L6cc_A3"), [{ cellId: 0, synId: 0, line: 5 }, {
    cellId: 0,
    synId: 1,
    line: 6,
  }]);
  assert.equal(parseCon("A\t1\t2\n", "b.con").anatomicalId, undefined);
});

Deno.test("parseCon() rejects wrong column counts and non-integer IDs", () => {
  rowError(
    () => parseCon("A\t1\n", "a.con"),
    InputSyntaxError,
    "a.con:1:1",
    /Expected 3 columns.*got 2/,
  );
  rowError(
    () => parseCon("A\t1.5\t2\n", "a.con"),
    InputSyntaxError,
    "a.con:1:3",
    /cell ID.*"1\.5"/,
  );
  rowError(() => parseCon("A\t1\tx\n", "a.con"), InputSyntaxError, "a.con:1:5", /synapse ID.*"x"/);
});

Deno.test("readSynFile() reports a missing file", async () => {
  await assert.rejects(
    readSynFile("/nonexistent/a.syn"),
    /\/nonexistent\/a\.syn: Cannot read synapse distribution \(\.syn\) file: no such file/,
  );
});

Deno.test({
  name: "readSynFile()/readConFile() read the example embedding (278 types, 24,780 rows each)",
  ignore: sharedDir() === undefined,
  async fn() {
    const base = sharedPath(
      "data/isf_example/anatomical_constraints/example_embedding_86_C2_center/example_embedding_86_C2_center",
    );
    const syn = await readSynFile(base + ".syn");
    const con = await readConFile(base + ".con");
    let nSyn = 0, onSoma = 0, nCon = 0;
    for (const rows of syn.types.values()) {
      nSyn += rows.length;
      for (const r of rows) if (r.section === 0) onSoma++;
    }
    for (const rows of con.types.values()) nCon += rows.length;
    // counts from spec/formats.md §5
    assert.deepEqual([syn.types.size, nSyn, onSoma, con.types.size, nCon], [
      278,
      24780,
      98,
      278,
      24780,
    ]);
    assert.deepEqual(syn.types.get("VPM_E1")![0], {
      section: 112,
      x: 0.138046479525,
      pruned: false,
      line: 5,
    });
    assert.equal(con.anatomicalId, "86_C2_center.syn");
    assert.deepEqual(con.types.get("L6cc_A3")![3], { cellId: 3, synId: 3, line: 8 });
  },
});

Deno.test("parseSyn() and parseCon() read rows of three fields alike on their fast path and their general one", () => {
  // A vertical tab after every tab is whitespace to the general tokenizer but not to the
  // three-field match: the same files then take the general path, row by row.
  const dir = new URL("../examples/model/", import.meta.url);
  const synText = Deno.readTextFileSync(new URL("example_pyramid.syn", dir));
  const conText = Deno.readTextFileSync(new URL("example_pyramid.con", dir));
  const slow = (t: string) => t.replaceAll("\t", "\t\v");
  const syn = parseSyn(synText, "p.syn");
  assert.ok([...syn.types.values()].reduce((n, r) => n + r.length, 0) > 900);
  assert.deepEqual(syn, parseSyn(slow(synText), "p.syn"));
  const con = parseCon(conText, "p.con");
  assert.ok([...con.types.values()].reduce((n, r) => n + r.length, 0) > 900);
  assert.deepEqual(con, parseCon(slow(conText), "p.con"));
  // Spaces, CRLF and a value the fast path leaves to the general one (x > 1: an error there).
  assert.deepEqual(parseSyn("A 3  0.25 \r\nB\t 4\t1\n", "s.syn").types.get("A"), [
    { section: 3, x: 0.25, pruned: false, line: 1 },
  ]);
  assert.throws(() => parseSyn("A\t3\t1.5\n", "s.syn"), InputValueError);
  assert.throws(() => parseCon("A\t3\t-1\n", "c.con"), InputSyntaxError);
});
