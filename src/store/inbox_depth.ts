/**
 * The inbox depth (updates waiting in inboxes) without a mutation per update: ingest and
 * settlement count ±1 in the process tally, so the depth is the base record
 * (`["gauge", "inbox_depth"]`: tallies folded so far and the recount's corrections) plus every
 * process's tally. A crash loses its tally's last interval, and a process's unwritten counts
 * are seen by its peers only once written, so the minute cron recounts the inboxes (bounded)
 * and corrects the base, and a reader that derives a small depth lists the inboxes (up to 100
 * entries) instead: it never says "empty" while an update waits, nor shows a crashed process's
 * lost counts as updates waiting (docs/ARCHITECTURE.md, "Runtime tallies").
 *
 * @module
 */
import { signedCount, type Tx } from "../core/tx.ts";
import { runtimeKeys } from "./keys.ts";
import { commitTx, type Store } from "./kv.ts";
import { readTallies } from "./tally.ts";

const NAME = "inbox_depth";
/** The recount lists at most this many inbox entries; a deeper backlog keeps the derived figure. */
export const RECOUNT_LIMIT = 1000;
/** Up to this derived depth a reader counts the inbox entries themselves. */
const COUNTED_BELOW = 100;

/**
 * Counts an update entering (+1) or leaving (−1) the inboxes, once the tx commits.
 *
 * @example
 * ```ts
 * tallyInboxDepth(tx, 1);
 * ```
 */
export function tallyInboxDepth(tx: Tx, by: 1 | -1): void {
  tx.tally(NAME, by);
}

/** The depth as the base and the tallies give it, unclamped. */
async function derivedDepth(store: Store): Promise<number> {
  const [base, tallied] = await Promise.all([
    store.kv.get<Deno.KvU64>(runtimeKeys.gauge(NAME)),
    readTallies(store),
  ]);
  return signedCount(base.value) + (tallied.get(NAME) ?? 0);
}

/** The inbox entries, counted up to `limit + 1`. */
async function countEntries(store: Store, limit: number): Promise<number> {
  let counted = 0;
  const entries = store.kv.list({ prefix: runtimeKeys.inboxAll }, {
    limit: limit + 1,
    batchSize: Math.min(limit + 1, 500),
  });
  for await (const _ of entries) counted++;
  return counted;
}

/**
 * Updates waiting in inboxes. A derived depth up to {@linkcode COUNTED_BELOW} is replaced by a
 * count of the inboxes themselves (one read, nearly always of an empty or short list), so it is
 * exact where an operator reads it closely; a deeper backlog shows the derived figure, which
 * the minute's recount corrects.
 *
 * @example
 * ```ts
 * const depth = await readInboxDepth(store);
 * ```
 */
export async function readInboxDepth(store: Store): Promise<number> {
  const derived = await derivedDepth(store);
  if (derived > COUNTED_BELOW) return derived;
  return Math.min(await countEntries(store, COUNTED_BELOW), COUNTED_BELOW);
}

/**
 * Counts the inbox entries (up to `limit`) and corrects the base so the derived depth matches
 * (a sum, so it composes with folds). What other processes counted and have not written yet is
 * not seen here and stays off by that much until the next recount.
 *
 * @returns the entries counted, or null when there were more than `limit` (nothing corrected).
 * @example
 * ```ts
 * await recountInboxDepth(store);
 * ```
 */
export async function recountInboxDepth(
  store: Store,
  limit = RECOUNT_LIMIT,
): Promise<number | null> {
  const counted = await countEntries(store, limit);
  if (counted > limit) return null;
  const off = counted - await derivedDepth(store);
  if (off !== 0) await commitTx(store, store.tx().sum(runtimeKeys.gauge(NAME), off));
  return counted;
}
