/**
 * A strict parser of command-line arguments: `--name value`, `--name=value`, boolean flags,
 * repeatable options, one-letter aliases and positionals, with `--` ending the options. It
 * accepts what `node:util`'s `parseArgs({ strict: true, allowPositionals: true })` accepts and
 * refuses what it refuses, with one line naming the option.
 *
 * Why not `node:util`: Deno sets up its whole Node compatibility layer on the first call into a
 * `node:` module, which costs every simrun process about 5 MiB of resident memory and 20–40 ms
 * of start-up (measured on the ISF job, issue 13). io/command_line_test.ts checks this parser
 * against `parseArgs` on the same arguments.
 *
 * @module
 */

/** One option: a string value or a boolean flag, optionally repeatable and with a short alias. */
export interface CommandOption {
  /** `string` takes a value, `boolean` takes none. */
  readonly type: "string" | "boolean";
  /** Repeatable: the values are collected in order. */
  readonly multiple?: boolean;
  /** A one-letter alias (`-h`). */
  readonly short?: string;
}

/** The parsed arguments: option values by name, and the positionals in order. */
export interface ParsedCommandLine {
  /** `true` for a flag, the string for a value, the list for a repeatable option. */
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** The arguments that are not options, in order. */
  readonly positionals: string[];
}

/**
 * Parses arguments strictly.
 *
 * @param args the arguments (without the command's name)
 * @param options the accepted options by long name
 * @returns option values and positionals
 * @throws Error with one line for an unknown option, a missing value, a value given to a flag,
 *   or a value that starts with `-` given as a separate argument (write `--name=-1`)
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCommandLine } from "./command_line.ts";
 * const r = parseCommandLine(["a.param", "--seed", "7", "--quiet"], {
 *   seed: { type: "string" },
 *   quiet: { type: "boolean" },
 * });
 * assert.deepEqual(r.values, { seed: "7", quiet: true });
 * assert.deepEqual(r.positionals, ["a.param"]);
 * assert.throws(() => parseCommandLine(["--sede", "7"], {}), /Unknown option '--sede'/);
 * ```
 */
export function parseCommandLine(
  args: readonly string[],
  options: Readonly<Record<string, CommandOption>>,
): ParsedCommandLine {
  const values: ParsedCommandLine["values"] = Object.create(null);
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, o] of Object.entries(options)) if (o.short) byShort.set(o.short, name);
  const store = (name: string, value: string | boolean): void => {
    if (options[name]!.multiple) {
      const list = values[name];
      if (Array.isArray(list)) list.push(value);
      else values[name] = [value];
    } else values[name] = value;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith("--");
    const eq = long ? arg.indexOf("=") : -1;
    const name = long ? arg.slice(2, eq < 0 ? undefined : eq) : byShort.get(arg.slice(1));
    const shown = long ? `--${name}` : arg;
    if (
      name === undefined || !Object.hasOwn(options, name) || (!long && arg.length !== 2)
    ) {
      throw new Error(`Unknown option '${long ? shown : arg}'`);
    }
    const option = options[name]!;
    if (option.type === "boolean") {
      if (eq >= 0) throw new Error(`Option '${shown}' does not take an argument`);
      store(name, true);
      continue;
    }
    if (eq >= 0) {
      store(name, arg.slice(eq + 1));
      continue;
    }
    const value = args[i + 1];
    if (value === undefined) throw new Error(`Option '${shown} <value>' argument missing`);
    if (value.length > 1 && value.startsWith("-")) {
      throw new Error(
        `Option '${shown} <value>' argument is ambiguous: write '${shown}=${value}' for a value ` +
          `that starts with '-'`,
      );
    }
    store(name, value);
    i++;
  }
  return { values, positionals };
}
