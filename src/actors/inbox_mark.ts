/**
 * The inbox mark: a key an actor has while updates may wait in its inbox. Every commit that
 * queues an update sets it. A drain that runs the inbox empty deletes it when the process gives
 * the actor's lease up, checked against the latest value the drain saw it have
 * ({@linkcode latestMark}). A direct turn's take-over reads the mark in the snapshot it reads
 * anyway, so an idle user's update learns that nothing waits at no read of its own
 * (docs/ARCHITECTURE.md, "Direct turns").
 *
 * The mark errs one way only. A drain that died before deleting it leaves a mark over an empty
 * inbox: one update goes through the inbox, and its drain deletes the mark. An update queued by
 * a process of a release before marks is not marked: a direct turn may then run before it, as it
 * may before an update queued a moment after its look.
 *
 * @module
 */
import { type ReportError } from "../core/report.ts";
import { type Tx } from "../core/tx.ts";
import { type GroupCommitter } from "../store/committer.ts";
import { runtimeKeys } from "../store/keys.ts";
import { type Store } from "../store/kv.ts";
import { SchemaFenceError } from "../store/schema_fence.ts";

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
 * The latest of values the inbox mark had (versionstamps only grow): null when all that is known
 * is that there was none, undefined when nothing is known. Each entry's put set the mark to the
 * entry's versionstamp, so the entries a drain read count as values it saw.
 *
 * @example
 * ```ts
 * latestMark(null, "0000000000000a0000", undefined); // "0000000000000a0000"
 * ```
 */
export function latestMark(...seen: (string | null | undefined)[]): string | null | undefined {
  let latest: string | null | undefined;
  for (const value of seen) {
    if (typeof value === "string") {
      if (typeof latest !== "string" || value > latest) latest = value;
    } else if (value === null && latest === undefined) latest = null;
  }
  return latest;
}

/**
 * Stages the mark's deletion for a drain that ran every update its last page held: `mark` is a
 * versionstamp it had before that page was read. An update queued since changed it, and the
 * commit fails: the actor is drained again.
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

/**
 * Mark deletions in the background: a drained actor's mark goes once its lease does, in the
 * release's group commit, and nothing waits for it but tests and a stopping process.
 *
 * @example
 * ```ts
 * const unmarks = new MarkDeletions(store, committer, reportError, (actor) => schedule(actor));
 * unmarks.delete("u:42", mark);
 * await unmarks.settled();
 * ```
 */
export class MarkDeletions {
  readonly #pending = new Set<Promise<void>>();

  /**
   * @param changed told of an actor whose mark changed since the drain saw it: an update was
   * queued meanwhile, so the actor must be drained again.
   */
  constructor(
    readonly store: Store,
    readonly committer: GroupCommitter,
    readonly reportError: ReportError,
    readonly changed: (actor: string) => void,
  ) {}

  /** Whether a deletion is in flight. */
  get pending(): boolean {
    return this.#pending.size > 0;
  }

  /** Deletes `actor`'s mark if it still is `mark` ({@linkcode stageUnmark}). */
  delete(actor: string, mark: string): void {
    const deleted: Promise<void> = this.committer.submit(stageUnmark(this.store.tx(), actor, mark))
      .then((outcome) => {
        if (!outcome.ok) this.changed(actor);
      }, async (err) => {
        // The mark stays: it costs the actor's next update a trip through the inbox, no more.
        if (!(err instanceof SchemaFenceError)) await this.reportError(err, "supervisor.unmark");
      })
      .finally(() => this.#pending.delete(deleted));
    this.#pending.add(deleted);
  }

  /** Resolves once the deletions in flight now have ended. */
  async settled(): Promise<void> {
    await Promise.all(this.#pending);
  }
}
