/**
 * What a CLI task wrote, line by line: the `io` to hand it, and its standard output and error.
 *
 * @module
 */
import { type CliIo } from "../../src/cli/main.ts";

/** Lines a CLI task wrote, by stream. */
export interface CollectedIo {
  out: string[];
  err: string[];
  io: CliIo;
}

/**
 * @example
 * ```ts
 * const run = collector();
 * await runApiKeyCli(["list"], { store, clock, io: run.io });
 * run.out; // the table
 * ```
 */
export function collector(): CollectedIo {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l) => out.push(l), err: (l) => err.push(l) } };
}
