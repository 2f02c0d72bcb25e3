import assert from "node:assert/strict";
import { parseArgs } from "node:util";
import { type CommandOption, parseCommandLine } from "./command_line.ts";

const OPTIONS: Record<string, CommandOption> = {
  seed: { type: "string" },
  quiet: { type: "boolean" },
  record: { type: "string", multiple: true },
  tar: { type: "boolean", multiple: true },
  help: { type: "boolean", short: "h" },
};

/** Every argument list of up to three of these words (and a few longer ones). */
function argumentLists(): string[][] {
  const words = [
    "a.param",
    "-",
    "--",
    "--seed",
    "--seed=7",
    "--seed=",
    "7",
    "-7",
    "--quiet",
    "--quiet=1",
    "--record",
    "--record=soma",
    "--tar",
    "-h",
    "-hq",
    "-x",
    "--sede",
    "--=x",
  ];
  const out: string[][] = [[]];
  for (const a of words) {
    out.push([a]);
    for (const b of words) {
      out.push([a, b]);
      for (const c of words) out.push([a, b, c]);
    }
  }
  out.push(["p1", "--record", "x", "--record=y", "p2", "--seed", "1", "--seed", "2", "--", "-h"]);
  return out;
}

function nodeResult(args: string[]): unknown {
  try {
    const r = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    return { values: { ...r.values }, positionals: r.positionals };
  } catch {
    return "error";
  }
}

function ownResult(args: string[]): unknown {
  try {
    const r = parseCommandLine(args, OPTIONS);
    return { values: { ...r.values }, positionals: r.positionals };
  } catch (e) {
    assert.ok(e instanceof Error && !e.message.includes("\n"), "one line");
    return "error";
  }
}

Deno.test("parseCommandLine accepts and refuses exactly what node:util parseArgs (strict) does", () => {
  const lists = argumentLists();
  assert.ok(lists.length > 5000);
  for (const args of lists) {
    assert.deepEqual(ownResult(args), nodeResult(args), JSON.stringify(args));
  }
});

Deno.test("parseCommandLine names the option in its one-line errors", () => {
  const message = (args: string[]) => {
    try {
      parseCommandLine(args, OPTIONS);
    } catch (e) {
      return (e as Error).message;
    }
    return "";
  };
  assert.equal(message(["--sede", "7"]), "Unknown option '--sede'");
  assert.equal(message(["--seed"]), "Option '--seed <value>' argument missing");
  assert.equal(message(["--quiet=yes"]), "Option '--quiet' does not take an argument");
  assert.match(
    message(["--seed", "-5"]),
    /^Option '--seed <value>' argument is ambiguous: write '--seed=-5'/,
  );
});
