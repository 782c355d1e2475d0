/**
 * Retention of long-lived families that grow without bound: analysis history older than
 * `HISTORY_RETENTION_DAYS` (audit rows have their own `stagePurge`). Work is done in bounded
 * commits, so a crash loses nothing and the next run goes on.
 *
 * @module
 */
import { timeOrderedId } from "../core/ids.ts";
import { dataPrefix } from "./keys.ts";
import { atomicCommit, type Store } from "./kv.ts";

/** Deletes per commit. */
const BATCH = 500;

/**
 * Deletes history items created before `before` (epoch ms; item ids are time-ordered).
 *
 * @returns the number deleted.
 * @example
 * ```ts
 * await purgeHistory(store, Date.now() - 365 * 86_400_000);
 * ```
 */
export async function purgeHistory(store: Store, before: number): Promise<number> {
  const g = store.generation;
  const cutoff = timeOrderedId(before).slice(0, 9);
  let removed = 0;
  let doomed: Deno.KvKey[] = [];
  const flush = async () => {
    const keys = doomed;
    doomed = [];
    if (keys.length === 0) return;
    await atomicCommit(store, (op) => {
      for (const key of keys) op.delete(key);
      return op;
    });
    removed += keys.length;
  };
  for await (
    const entry of store.kv.list({ prefix: dataPrefix(g, "history") }, { batchSize: 1000 })
  ) {
    const id = entry.key[4];
    if (typeof id === "string" && id.slice(0, 9) < cutoff) {
      doomed.push(entry.key);
      if (doomed.length >= BATCH) await flush();
    }
  }
  await flush();
  return removed;
}
