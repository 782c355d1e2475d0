/**
 * The inbox mark: a key an actor has while updates may wait in its inbox. Every commit that
 * queues an update sets it, and the drain that empties the inbox deletes it, checked unchanged
 * since before it read its last page. A direct turn's take-over reads the mark in the snapshot it
 * reads anyway, so an idle user's update learns that nothing waits at no read of its own
 * (docs/ARCHITECTURE.md, "Direct turns").
 *
 * The mark errs one way only. A drain that died before deleting it leaves a mark over an empty
 * inbox: one update goes through the inbox, and its drain deletes the mark. An update queued by
 * a process of a release before marks is not marked: a direct turn may then run before it, as it
 * may before an update queued a moment after its look.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { runtimeKeys } from "../store/keys.ts";
import { type Store } from "../store/kv.ts";

/**
 * The mark's versionstamp as read, or null when there was none.
 *
 * @example
 * ```ts
 * const mark = await readInboxMark(store, "u:42");
 * ```
 */
export async function readInboxMark(store: Store, actor: string): Promise<string | null> {
  return (await store.kv.get(runtimeKeys.inboxMark(actor))).versionstamp;
}

/**
 * Stages the mark with an update queued for `actor` (`stageInboxEntry` does it).
 *
 * @example
 * ```ts
 * stageInboxMark(tx, "u:42");
 * ```
 */
export function stageInboxMark(tx: Tx, actor: string): void {
  tx.set(runtimeKeys.inboxMark(actor), true);
}

/**
 * Stages the mark's deletion for a drain that ran every update its last page held: `mark` is
 * the versionstamp it had before that page was read. An update queued since changed it, and the
 * commit fails: the drain reads its inbox again.
 *
 * @example
 * ```ts
 * const ok = (await commit(stageUnmark(store.tx(), "u:42", mark))).ok;
 * ```
 */
export function stageUnmark(tx: Tx, actor: string, mark: string): Tx {
  const key = runtimeKeys.inboxMark(actor);
  return tx.check(key, mark).delete(key);
}
