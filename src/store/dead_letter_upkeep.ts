/**
 * Keeping the dead-letter list bounded and honest: retention (`DEAD_LETTER_RETENTION_DAYS`),
 * records a restore brought back although an operator had settled them, a user's letters on
 * `/forget`, and the move of letters written before each occurrence had its own id.
 *
 * @module
 */
import { timeOrderedId, timePrefix } from "../core/ids.ts";
import { type Tx } from "../core/tx.ts";
import { type DeadLetter, stageRemoval } from "./dead_letters.ts";
import { dataKey, dataPrefix, runtimeKeys } from "./keys.ts";
import { atomicCommit, commitTx, type Store } from "./kv.ts";

/** Letters removed per commit (a letter is up to ~12 keys with its parts). */
const BATCH = 50;
const GET_MANY = 10;

/**
 * Deletes letters dead-lettered before `before` (epoch ms), in bounded commits.
 *
 * @returns how many were deleted.
 * @example
 * ```ts
 * await purgeDeadLetters(store, Date.now() - 30 * 86_400_000);
 * ```
 */
export async function purgeDeadLetters(store: Store, before: number): Promise<number> {
  const prefix = dataPrefix(store.generation, "dead_letter", "t");
  let removed = 0;
  while (true) {
    const tx = store.tx();
    let n = 0;
    for await (
      const entry of store.kv.list<DeadLetter>(
        { start: prefix, end: [...prefix, timePrefix(before)] },
        { limit: BATCH },
      )
    ) {
      tx.check(entry.key, entry.versionstamp);
      stageRemoval(tx, entry.value);
      n++;
    }
    if (n === 0) return removed;
    // A conflict (an operator settled one meanwhile) just means the next pass sees the rest.
    if (await commitTx(store, tx) !== null) removed += n;
    if (n < BATCH) return removed;
  }
}

/**
 * Deletes records that have a settlement (an operator retried or discarded them, and a restore
 * brought an older copy back), so the list and its gauge agree again.
 *
 * @returns how many were deleted.
 * @example
 * ```ts
 * await dropSettledDeadLetters(store);
 * ```
 */
export async function dropSettledDeadLetters(store: Store): Promise<number> {
  let removed = 0;
  let ids: string[] = [];
  const flush = async () => {
    const batch = ids;
    ids = [];
    if (batch.length === 0) return;
    const keys = batch.map((id) => dataKey(store.generation, "dead_letter", "t", id));
    const entries = await store.kv.getMany<DeadLetter[]>(keys);
    const tx = store.tx();
    for (const entry of entries) {
      if (!entry.value) continue;
      tx.check(entry.key, entry.versionstamp);
      stageRemoval(tx, entry.value);
    }
    if (!tx.isEmpty && await commitTx(store, tx) !== null) removed += tx.checks.length;
  };
  for await (const entry of store.kv.list({ prefix: runtimeKeys.deadLetterSettledAll })) {
    ids.push(String(entry.key[1]));
    if (ids.length === GET_MANY) await flush();
  }
  await flush();
  return removed;
}

/**
 * Stages the removal of up to `max` of a user's dead letters (a step of `/forget`).
 *
 * @returns how many were staged; fewer than `max` means none are left.
 * @example
 * ```ts
 * const n = await stageEraseUserDeadLetters(store, tx, 42, 20);
 * ```
 */
export async function stageEraseUserDeadLetters(
  store: Store,
  tx: Tx,
  userId: number,
  max: number,
): Promise<number> {
  const g = tx.generation;
  const ids: string[] = [];
  for await (
    const entry of store.kv.list({ prefix: dataPrefix(g, "dead_letter", "u", userId) }, {
      limit: max,
    })
  ) ids.push(String(entry.key[5]));
  for (let i = 0; i < ids.length; i += GET_MANY) {
    const keys = ids.slice(i, i + GET_MANY).map((id) => dataKey(g, "dead_letter", "t", id));
    for (const [j, entry] of (await store.kv.getMany<DeadLetter[]>(keys)).entries()) {
      if (entry.value) stageRemoval(tx, entry.value);
      // An index entry whose record is gone (settled meanwhile) is removed on its own.
      else tx.delete(dataKey(g, "dead_letter", "u", userId, ids[i + j]));
    }
  }
  return ids.length;
}

/** A letter as schema 2 stored it: keyed by source and update id, its text capped. */
interface LegacyDeadLetter {
  actor: string;
  source: string;
  update_id: number;
  update: string;
  reason: string;
  error_code: string;
  attempts: number;
  at: string;
}

/**
 * Moves letters stored by source and update id (schema 2) to one record per occurrence with its
 * indexes. Idempotent: each move deletes the old key in the same commit.
 *
 * @returns how many were moved.
 * @example
 * ```ts
 * await adoptLegacyDeadLetters(store, generation);
 * ```
 */
export async function adoptLegacyDeadLetters(store: Store, generation: number): Promise<number> {
  let moved = 0;
  for (const source of ["tg", "local"]) {
    for await (
      const entry of store.kv.list<LegacyDeadLetter>({
        prefix: dataPrefix(generation, "dead_letter", source),
      })
    ) {
      const old = entry.value;
      // A letter without a readable time counts from the migration, so it is kept its period.
      const parsed = Date.parse(old.at);
      const at = Number.isFinite(parsed) ? parsed : Date.now();
      const id = timeOrderedId(at);
      // Telegram users only: a schema-2 letter of a local (playground) user keeps no user index.
      const userMatch = /^u:(-?\d+)$/.exec(old.actor);
      const letter: DeadLetter = {
        id,
        actor: old.actor,
        user_id: userMatch ? Number(userMatch[1]) : null,
        source: old.source,
        update_id: old.update_id,
        update_type: /^\{"update_id":\d+,"(\w+)"/.exec(old.update)?.[1] ?? "unknown",
        update: old.update,
        update_parts: 0,
        reason: old.reason,
        error_code: old.error_code,
        attempts: old.attempts,
        at: new Date(at).toISOString(),
      };
      const result = await atomicCommit(store, (op) => {
        op.check(entry).delete(entry.key)
          .set(dataKey(generation, "dead_letter", "t", id), letter)
          .set(dataKey(generation, "dead_letter", "c", letter.error_code, id), true);
        if (letter.user_id === null) return op;
        return op.set(dataKey(generation, "dead_letter", "u", letter.user_id, id), true);
      });
      if (result.ok) moved++;
    }
  }
  return moved;
}
