import assert from "node:assert/strict";
import { oneLine } from "./_sanitize.ts";

Deno.test("oneLine() removes escape sequences, controls and line breaks of every kind", () => {
  const cases: [string, string][] = [
    ["\u001b[31mred\u001b[0m", "red"],
    ["a\u001b[2K\rb", "a b"],
    ["title\u001b]0;pwned\u0007 after", "title after"],
    ["x\u009b1;2Hy", "xy"],
    ["one\ntwo\r\nthree\tfour", "one two three four"],
    ["line\u2028sep\u2029para", "line sep para"],
    ["\u202eevil\u202c text\u2066", "evil text"],
    ["nul\u0000bell\u0007del\u007f", "nul bell del"],
    ["  many   spaces  ", "many spaces"],
  ];
  for (const [input, want] of cases) assert.equal(oneLine(input), want, JSON.stringify(input));
  assert.equal(oneLine("é".repeat(400)).length, 300);
  assert.ok(oneLine("é".repeat(400)).endsWith("…"));
});
