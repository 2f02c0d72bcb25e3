/** file: URL → path (node:url, so it works the same in Deno and the compiled binary). @module */
import { fileURLToPath } from "node:url";

/** Converts a file: URL to a local path. */
export function fromFileUrl(url: URL): string {
  return fileURLToPath(url);
}
