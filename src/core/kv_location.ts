/**
 * What a `KV_PATH` names, and how to name it in logs without its credentials.
 *
 * @module
 */

/**
 * What a `KV_PATH` names: Deno Deploy's managed KV (no path), an in-memory KV, a KV Connect
 * server (`http(s)://`: Deploy's database from outside, or a self-hosted `denokv`), or a file.
 */
export type KvLocation = "managed" | "memory" | "remote" | "file";

/**
 * Tells what a `KV_PATH` names.
 *
 * @example
 * ```ts
 * kvLocation("https://api.deno.com/databases/x/connect"); // "remote"
 * ```
 */
export function kvLocation(path: string | undefined): KvLocation {
  if (path === undefined) return "managed";
  if (path === ":memory:") return "memory";
  return /^https?:\/\//i.test(path) ? "remote" : "file";
}

/**
 * A KV path fit for logs and error messages: a URL loses any user, password and query (the
 * access token itself travels in `DENO_KV_ACCESS_TOKEN`, never in the URL we print).
 */
export function describeKvPath(path: string | undefined): string {
  if (kvLocation(path) !== "remote") return path ?? "Deno Deploy's KV";
  try {
    const url = new URL(path!);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return "a KV Connect URL";
  }
}
