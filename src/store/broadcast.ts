/**
 * Broadcast recipients and per-recipient sent marks. Recipients are read from the profile family
 * in user-id order (the cursor is the last id looked at), leaving out local, inactive (blocked)
 * and banned users and those already marked for the job. Marks live outside the data
 * generations, like inboxes and leases: a restore that rolls a job's cursor back still finds
 * them, so nobody gets a broadcast twice; they expire after {@linkcode MARK_TTL_MS}.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix, runtimeKeys } from "./keys.ts";
import { type Store } from "./kv.ts";
import { type AdminFlags, type Profile } from "./profiles.ts";

/** What became of one recipient. */
export type SendOutcome = "sent" | "failed" | "blocked";

/** The stored mark of one recipient. */
export interface SentMark {
  outcome: SendOutcome;
  /** ISO 8601 UTC. */
  at: string;
}

/** A page of recipients, in user-id order. */
export interface RecipientPage {
  /** User ids (a user's private chat has the user's id). */
  userIds: number[];
  /** The last user id looked at, eligible or not (null: none); the next page starts after it. */
  lastScanned: number | null;
  /** Nothing comes after `lastScanned`. */
  exhausted: boolean;
}

/** How long marks are kept: far longer than any broadcast runs. */
export const MARK_TTL_MS = 30 * 86_400_000;

/** Keys per `getMany` (Deno KV's limit is 10). */
const GET_MANY = 10;

/**
 * The next page of a job's recipients: active, non-banned, non-local users not marked yet.
 *
 * @param after the last user id already looked at (null: from the start)
 * @param scan how many profiles to look at (eligible or not)
 * @example
 * ```ts
 * const page = await listRecipients(store, job.id, cursor.after, 100);
 * for (const userId of page.userIds) await send(userId);
 * ```
 */
export async function listRecipients(
  store: Store,
  jobId: string,
  after: number | null,
  scan = 100,
): Promise<RecipientPage> {
  const g = store.generation;
  const prefix = dataPrefix(g, "profile");
  const selector: Deno.KvListSelector = after === null
    ? { prefix }
    : { prefix, start: dataKey(g, "profile", after) };
  const candidates: number[] = [];
  let lastScanned = after;
  let scanned = 0;
  for await (
    const entry of store.kv.list<Profile>(selector, {
      limit: scan + (after === null ? 0 : 1),
      batchSize: scan + 1,
    })
  ) {
    const userId = entry.key[3] as number;
    if (userId === after) continue;
    scanned++;
    lastScanned = userId;
    const profile = entry.value;
    if (!profile.local && profile.active) candidates.push(userId);
  }
  const userIds: number[] = [];
  const pairs = GET_MANY / 2;
  const chunks: number[][] = [];
  for (let i = 0; i < candidates.length; i += pairs) chunks.push(candidates.slice(i, i + pairs));
  const results = await Promise.all(chunks.map((chunk) =>
    store.kv.getMany(
      chunk.flatMap((
        id,
      ) => [dataKey(g, "profile_admin", id), runtimeKeys.broadcastSent(jobId, id)]),
    )
  ));
  for (const [c, chunk] of chunks.entries()) {
    for (const [i, userId] of chunk.entries()) {
      const flags = results[c][2 * i].value as AdminFlags | null;
      const mark = results[c][2 * i + 1].value;
      if (!flags?.banned && mark === null) userIds.push(userId);
    }
  }
  return { userIds, lastScanned, exhausted: scanned < scan };
}

/**
 * Stages one recipient's mark.
 *
 * @example
 * ```ts
 * stageSentMark(tx, job.id, 42, "sent", now);
 * ```
 */
export function stageSentMark(
  tx: Tx,
  jobId: string,
  userId: number,
  outcome: SendOutcome,
  now: number,
): void {
  const mark: SentMark = { outcome, at: new Date(now).toISOString() };
  tx.set(runtimeKeys.broadcastSent(jobId, userId), mark, { expireIn: MARK_TTL_MS });
}

/**
 * One recipient's mark, or null when the job has not reached them.
 *
 * @example
 * ```ts
 * (await sentMark(store, job.id, 42))?.outcome; // "sent"
 * ```
 */
export async function sentMark(
  store: Store,
  jobId: string,
  userId: number,
): Promise<SentMark | null> {
  return (await store.kv.get<SentMark>(runtimeKeys.broadcastSent(jobId, userId))).value;
}
