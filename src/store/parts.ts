/**
 * Text too large for one KV value (64 KiB), kept as numbered parts under a key prefix: inbox
 * entries of large updates and dead letters use it.
 *
 * @module
 */
import { type Store } from "./kv.ts";

/**
 * Splits bytes into parts of at most `size` bytes.
 *
 * @example
 * ```ts
 * splitParts(new TextEncoder().encode(json), 60_000).forEach((part, n) => tx.set([...prefix, n], part));
 * ```
 */
export function splitParts(bytes: Uint8Array, size: number): Uint8Array[] {
  const parts: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) {
    parts.push(bytes.slice(offset, offset + size));
  }
  return parts;
}

/**
 * Reads the parts under `prefix` (in key order) and decodes them as one UTF-8 text.
 *
 * @example
 * ```ts
 * const json = await readJoinedText(store, runtimeKeys.inboxChunksOf(actor, updateId));
 * ```
 */
export async function readJoinedText(store: Store, prefix: Deno.KvKey): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const entry of store.kv.list<Uint8Array>({ prefix })) parts.push(entry.value);
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return new TextDecoder().decode(joined);
}
