/**
 * The security ledger (docs/OPERATIONS.md, "Restoring"): every API key
 * creation and revocation, ban, unban, tier change and `/forget` erasure is also staged here, in
 * the same commit as the change, under keys outside the generations. A restore replays the
 * entries made after the backup on top of the restored data (`backup_reapply.ts`), so it neither
 * revives a revoked key nor un-erases a user. Entries older than every backup are pruned with the
 * backups (`BACKUP_RETENTION_DAYS`).
 *
 * @module
 */
import { timeOrderedId, timePrefix } from "../core/ids.ts";
import { type Tx } from "../core/tx.ts";
import { type ApiKeyRecord } from "./api_keys.ts";
import { securityKeys } from "./keys.ts";
import { atomicCommit, type Store } from "./kv.ts";
import { type AdminFlags } from "./profiles.ts";

/** One change, as the ledger keeps it: always the resulting state, so replaying is idempotent. */
export type LedgerChange =
  /** A key's record after it was created or revoked (its hash, never the key). */
  | { kind: "api_key"; record: ApiKeyRecord }
  /** A user's admin flags after a ban, unban or tier change. */
  | { kind: "admin_flags"; user_id: number; flags: AdminFlags }
  /** A user's data was erased (`/forget`). */
  | { kind: "erase"; user_id: number };

/** A stored entry: the change and when (epoch ms). */
export type LedgerEntry = LedgerChange & { id: string; at: number };

/** Entries deleted per commit when pruning. */
const PRUNE_BATCH = 500;

/**
 * Stages a ledger entry into the tx that makes the change.
 *
 * @example
 * ```ts
 * stageChange(tx, { kind: "erase", user_id: 42 }, now);
 * ```
 */
export function stageChange(tx: Tx, change: LedgerChange, now: number): void {
  const id = timeOrderedId(now);
  tx.set(securityKeys.ledger(id), { ...change, id, at: now });
}

/**
 * Entries made at or after `since` (epoch ms), oldest first; with `afterId`, only the entries
 * after that one (a second look reads only what the first did not see).
 *
 * @example
 * ```ts
 * const changes = await changesSince(store, Date.parse(header.created_at));
 * const later = await changesSince(store, 0, changes.at(-1)?.id);
 * ```
 */
export async function changesSince(
  store: Store,
  since: number,
  afterId?: string,
): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  const iter = store.kv.list<LedgerEntry>({
    // `[…, id, ""]` sorts right after the entry `id` itself and before any later one.
    start: afterId ? [...securityKeys.ledger(afterId), ""] : securityKeys.ledger(timePrefix(since)),
    end: [...securityKeys.ledgerAll, "\uffff"],
  });
  for await (const entry of iter) entries.push(entry.value);
  return entries;
}

/**
 * The time before which entries were pruned, or null when none ever were.
 *
 * @example
 * ```ts
 * const since = await ledgerSince(store);
 * ```
 */
export async function ledgerSince(store: Store): Promise<number | null> {
  return (await store.kv.get<number>(securityKeys.ledgerSince)).value;
}

/**
 * Deletes entries made before `cutoff` (epoch ms) and remembers the cutoff.
 *
 * @returns the number deleted.
 * @example
 * ```ts
 * await pruneLedger(store, oldestBackupTime);
 * ```
 */
export async function pruneLedger(store: Store, cutoff: number): Promise<number> {
  let deleted = 0;
  while (true) {
    const keys: Deno.KvKey[] = [];
    const iter = store.kv.list(
      { start: securityKeys.ledgerAll, end: securityKeys.ledger(timePrefix(cutoff)) },
      { limit: PRUNE_BATCH },
    );
    for await (const entry of iter) keys.push(entry.key);
    if (keys.length === 0) break;
    await atomicCommit(store, (op) => {
      for (const key of keys) op.delete(key);
      return op;
    });
    deleted += keys.length;
  }
  const since = await store.kv.get<number>(securityKeys.ledgerSince);
  if (deleted > 0 && (since.value ?? 0) < cutoff) {
    await atomicCommit(store, (op) => op.check(since).set(securityKeys.ledgerSince, cutoff));
  }
  return deleted;
}
