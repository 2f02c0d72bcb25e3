import assert from "node:assert/strict";
import { tokenize } from "./_lexer.ts";

Deno.test("tokenize() drops comments, keeps VERBATIM and TITLE text with positions", () => {
  const toks = tokenize(
    "TITLE a title\n: comment\n? also\nCOMMENT\nx = 1\nENDCOMMENT\nVERBATIM\n/* c */\nENDVERBATIM\nm' = 1.5e-3",
    "t.mod",
  );
  assert.deepEqual(toks.map((t) => `${t.kind}:${t.text.trim()}@${t.line}:${t.column}`), [
    "title:a title@1:1",
    "verbatim:/* c */@7:1",
    "name:m@10:1",
    "op:'@10:2",
    "op:=@10:4",
    "number:1.5e-3@10:6",
    "eof:@10:12",
  ]);
});

Deno.test("tokenize() reads <-> as one token and << as two", () => {
  const ops = tokenize("~ a <-> b ~ c << (1) <= >= == != && ||", "t.mod").filter((t) =>
    t.kind === "op"
  )
    .map((t) => t.text);
  assert.deepEqual(ops, ["~", "<->", "~", "<", "<", "(", ")", "<=", ">=", "==", "!=", "&&", "||"]);
});

Deno.test("tokenize() reports an unterminated COMMENT and a stray character with file:line:column", () => {
  assert.throws(
    () => tokenize("x\nCOMMENT\nno end", "c.mod"),
    /^InputSyntaxError: c\.mod:2:1: Unterminated COMMENT/,
  );
  assert.throws(() => tokenize("x = 1 $", "c.mod"), /c\.mod:1:7: Unexpected character "\$"/);
});
