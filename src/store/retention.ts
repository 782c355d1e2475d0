/**
 * Retention of long-lived per-user families: analysis history and feedback older than
 * `HISTORY_RETENTION_DAYS`, and beyond a per-user count, oldest first (docs/SECURITY.md, "Storage
 * bounds"; audit rows have their own `stagePurge`). Work is done in bounded commits, so a crash
 * loses nothing and the next run goes on.
 *
 * @module
 */
import { timeOrderedId } from "../core/ids.ts";
import { dataPrefix } from "./keys.ts";
import { atomicCommit, type Store } from "./kv.ts";

/** Deletes per commit. */
const BATCH = 500;

/** History items kept per user (the newest; `/export` takes this many). */
export const MAX_HISTORY_PER_USER = 1000;
/**
 * Feedback rows kept per user: a card takes at most one 👍 and seven 👎 rows, so this keeps the
 * feedback of every card history keeps.
 */
export const MAX_FEEDBACK_PER_USER = 8 * MAX_HISTORY_PER_USER;

/**
 * Deletes history items created before `before` (epoch ms; item ids are time-ordered), and a
 * user's oldest items beyond {@linkcode MAX_HISTORY_PER_USER}.
 *
 * @returns the number deleted.
 * @example
 * ```ts
 * await purgeHistory(store, Date.now() - 365 * 86_400_000);
 * ```
 */
export async function purgeHistory(store: Store, before: number): Promise<number> {
  return await trimPerUser(store, "history", before, MAX_HISTORY_PER_USER);
}

/**
 * Deletes feedback rows older than `before` (the history retention), and a user's oldest rows
 * beyond {@linkcode MAX_FEEDBACK_PER_USER}.
 *
 * @returns the number deleted.
 * @example
 * ```ts
 * await purgeFeedback(store, Date.now() - 365 * 86_400_000);
 * ```
 */
export async function purgeFeedback(store: Store, before: number): Promise<number> {
  return await trimPerUser(store, "feedback", before, MAX_FEEDBACK_PER_USER);
}

/**
 * One pass over a family keyed `[…, family, userId, timeOrderedId]`: rows older than `before`
 * go, and each user's oldest rows beyond `keep`. Holds one user's keys at a time.
 */
async function trimPerUser(
  store: Store,
  family: "history" | "feedback",
  before: number,
  keep: number,
): Promise<number> {
  const cutoff = timeOrderedId(before).slice(0, 9);
  let removed = 0;
  const doomed: Deno.KvKey[] = [];
  const flush = async (all: boolean) => {
    while (doomed.length >= (all ? 1 : BATCH)) {
      const keys = doomed.splice(0, BATCH);
      await atomicCommit(store, (op) => {
        for (const key of keys) op.delete(key);
        return op;
      });
      removed += keys.length;
    }
  };
  let user: Deno.KvKeyPart | undefined;
  let kept: Deno.KvKey[] = [];
  const endUser = async () => {
    doomed.push(...kept.slice(0, Math.max(0, kept.length - keep)));
    kept = [];
    await flush(false);
  };
  for await (
    const entry of store.kv.list({ prefix: dataPrefix(store.generation, family) }, {
      batchSize: 1000,
    })
  ) {
    const [owner, id] = entry.key.slice(-2);
    if (owner !== user) {
      await endUser();
      user = owner;
    }
    if (typeof id === "string" && id.slice(0, 9) < cutoff) doomed.push(entry.key);
    else kept.push(entry.key);
  }
  await endUser();
  await flush(true);
  return removed;
}
