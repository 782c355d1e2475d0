/**
 * Erasing one user's data (`/forget`) in bounded batches: each call stages the next batch of
 * deletions; the job runner commits it with the job's cursor. What is erased follows from the
 * key registry: every family `FAMILY_OWNERS` marks per-user, so a new one cannot be left
 * behind — the runtime's own in their own steps ({@linkcode RUNTIME_USER_FAMILIES}), every
 * other one (those the bot's features own) by its `[family, userId]` prefix. The admin flags
 * record stays (a ban outlives an erase), and one audit row without personal content records
 * the erase. The security ledger keeps the user's id (nothing else) until the backups older
 * than the erase are pruned.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import * as audit from "./audit.ts";
import * as counters from "./counters.ts";
import { stageEraseUserDeadLetters } from "./dead_letter_upkeep.ts";
import { type AuditRow, indexedAction } from "./audit.ts";
import {
  DATA_FAMILIES,
  type DataFamily,
  dataKey,
  dataPrefix,
  FAMILY_OWNERS,
  runtimeKeys,
} from "./keys.ts";
import { type Store } from "./kv.ts";
import * as leaderboard from "./leaderboard.ts";
import { USER_QUOTA_SCOPES } from "./quotas.ts";
import { stageChange } from "./security_ledger.ts";

/**
 * Per-user families with a step of their own here (or kept on purpose), and how. Every other
 * per-user family is erased by its prefix; tests/store/erase_test.ts checks that each of those
 * is declared by a bot feature (which gives it its `/export` section).
 */
export const RUNTIME_USER_FAMILIES: Partial<Record<DataFamily, string>> = {
  profile: "deleted in the last step",
  profile_xp: "deleted in the last step",
  profile_admin: "kept: a ban outlives an erase",
  audit: "the user's rows and their index entries; one row records the erase",
  dead_letter: "the user's dead letters (store/dead_letter_upkeep.ts)",
  session: "cleared in the turn that confirms (cleanupUserData); expires with SESSION_TTL",
  session_expiry: "the session's index entry, swept with the session",
};

/**
 * The order erases ran in before the list was derived: a job's cursor is an index into it, so a
 * job in flight across an upgrade resumes where it was. Families added later come after these.
 */
const STEP_ORDER: readonly DataFamily[] = [
  "history",
  "feedback",
  "bookmark",
  "learning",
  "leaderboard",
  "profile_total",
];

function stepRank(family: DataFamily): number {
  const rank = STEP_ORDER.indexOf(family);
  return rank < 0 ? STEP_ORDER.length + DATA_FAMILIES.indexOf(family) : rank;
}

/** Per-user families erased by prefix, one step each (audit rows have their own step). */
export const PREFIX_ERASED_FAMILIES: readonly DataFamily[] = DATA_FAMILIES.filter((family) =>
  FAMILY_OWNERS[family] === "user" && !(family in RUNTIME_USER_FAMILIES)
).sort((a, b) => stepRank(a) - stepRank(b));

/** Keys deleted per batch (an audit row is three keys). */
const BATCH_KEYS = 300;
/** Dead letters per batch (a letter is three keys, more with a large update's parts). */
const DEAD_LETTER_BATCH = 50;

/** Where an erase stands: the step index into the work list. */
export interface EraseCursor {
  step: number;
}

/** What one batch did. */
export interface EraseBatch {
  cursor: EraseCursor;
  /** Keys deleted in this batch. */
  processed: number;
  done: boolean;
}

/**
 * Stages the next batch of deletions of a user's records. The last batch also records the
 * erase in the security ledger, so a restore of older data erases the user again; a restore
 * replaying that entry passes `replay` and records none.
 *
 * @example
 * ```ts
 * const batch = await stageEraseBatch(store, tx, 42, job.cursor ?? { step: 0 }, now);
 * ```
 */
export async function stageEraseBatch(
  store: Store,
  tx: Tx,
  userId: number,
  cursor: EraseCursor,
  now: number,
  { replay = false }: { replay?: boolean } = {},
): Promise<EraseBatch> {
  const g = tx.generation;
  const families = PREFIX_ERASED_FAMILIES.length;
  if (cursor.step < families && PREFIX_ERASED_FAMILIES[cursor.step] === "leaderboard") {
    // The ranking index is keyed by period, not by user: each row names its index key.
    const deleted = await leaderboard.stageEraseBatch(store, tx, userId, BATCH_KEYS / 2);
    return next(cursor, deleted, deleted < BATCH_KEYS);
  }
  if (cursor.step < families) {
    const prefix = dataPrefix(g, PREFIX_ERASED_FAMILIES[cursor.step], userId);
    const deleted = await stageDeleteUnder(store, tx, prefix, BATCH_KEYS);
    return next(cursor, deleted, deleted < BATCH_KEYS);
  }
  if (cursor.step === families) {
    let deleted = 0;
    for await (
      const entry of store.kv.list<string | AuditRow>(
        { prefix: dataPrefix(g, "audit", "u", userId) },
        { limit: BATCH_KEYS / 3 },
      )
    ) {
      const id = String(entry.key.at(-1));
      tx.delete(entry.key)
        .delete(dataKey(g, "audit", "t", id))
        .delete(dataKey(g, "audit", "a", indexedAction(entry.value) ?? "", id));
      deleted += 3;
    }
    return next(cursor, deleted, deleted < BATCH_KEYS);
  }
  if (cursor.step === families + 1) {
    const deleted = await stageEraseUserDeadLetters(store, tx, userId, DEAD_LETTER_BATCH);
    return next(cursor, deleted, deleted < DEAD_LETTER_BATCH);
  }
  // Last step: the profile itself, quota windows, a local chat's transcript, and the one audit
  // row kept.
  // The user no longer counts among the users; checked, so a profile created meanwhile (a
  // message sent during the erase) is counted off too when the batch runs again.
  const profile = await store.kv.get<{ local?: boolean }>(dataKey(g, "profile", userId));
  tx.check(profile.key, profile.versionstamp);
  if (profile.value) {
    counters.add(tx, profile.value.local ? "local_users_total" : "users_total", -1);
  }
  for (
    const key of [
      dataKey(g, "profile", userId),
      dataKey(g, "profile_xp", userId),
      ...USER_QUOTA_SCOPES.map((scope) => runtimeKeys.limit(scope, String(userId))),
      // A local user's chat transcript (terminal chat, playground): their private chat's id.
      runtimeKeys.localChat(userId),
    ]
  ) tx.delete(key);
  audit.record(tx, { user_id: userId, action: "forget", status: "ok" }, now);
  if (!replay) stageChange(tx, { kind: "erase", user_id: userId }, now);
  return { cursor: { step: cursor.step + 1 }, processed: 4, done: true };
}

function next(cursor: EraseCursor, processed: number, stepDone: boolean): EraseBatch {
  return { cursor: { step: stepDone ? cursor.step + 1 : cursor.step }, processed, done: false };
}

async function stageDeleteUnder(
  store: Store,
  tx: Tx,
  prefix: Deno.KvKey,
  limit: number,
): Promise<number> {
  let deleted = 0;
  for await (const entry of store.kv.list({ prefix }, { limit })) {
    tx.delete(entry.key);
    deleted++;
  }
  return deleted;
}
