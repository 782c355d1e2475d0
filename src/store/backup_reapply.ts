/**
 * What a restore does about the time between the backup and now (docs/OPERATIONS.md,
 * "Restoring"): it replays the security ledger's entries made since the backup onto the
 * restored generation before the switch (revocations stay, kept keys stay, bans, unbans and
 * tiers stay, erased users stay erased), and it says what else the switch rolls back (the audit
 * rows written since, by action). Keys created after the backup are kept: the ledger has their
 * record (hash, never the key), so clients holding them go on working.
 *
 * @module
 */
import { timePrefix } from "../core/ids.ts";
import { Tx } from "../core/tx.ts";
import { type ApiKeyRecord } from "./api_keys.ts";
import * as counters from "./counters.ts";
import { stageEraseBatch } from "./erase.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { commitTx, type Store } from "./kv.ts";
import { type AdminFlags, BANNED_COUNTER, type Profile } from "./profiles.ts";
import { type LedgerEntry } from "./security_ledger.ts";
import { DatabaseError } from "../core/errors.ts";

/** The changes made after the backup that a restore re-applied on top of it. */
export interface Reapplied {
  /** Keys active in the backup and revoked since: revoked again. */
  revoked_keys: string[];
  /** Keys created since the backup: kept (as active, or revoked when revoked since). */
  kept_keys: string[];
  /** Users banned since the backup. */
  bans: number[];
  /** Users unbanned since the backup. */
  unbans: number[];
  /** Users whose tier changed since the backup. */
  tier_changes: { user_id: number; tier: AdminFlags["tier"] }[];
  /** Users erased (`/forget`) since the backup: erased again. */
  erasures: number;
}

/** What the switch to the restored data rolls back (it is all in the safety backup). */
export interface RolledBack {
  /** The backup's time: what was written after it is replaced by the backup's data. */
  since: string;
  /** Audit rows written since the backup. */
  audit_rows: number;
  /** The same rows by action (e.g. `admin.ban`, `api_key_create`). */
  actions: Record<string, number>;
}

const DEFAULT_FLAGS: AdminFlags = { tier: "free", banned: false, ban_reason: null };
/** Keys or users handled per commit (a key is up to three mutations). */
const BATCH = 100;

async function commitAll(store: Store, tx: Tx): Promise<void> {
  if (!tx.isEmpty && await commitTx(store, tx) === null) {
    throw new DatabaseError("Cannot re-apply the security ledger: a commit was refused", {
      code: "RESTORE_REAPPLY_FAILED",
    });
  }
}

/** The last entry per id, in the order given (entries come oldest first). */
function latest<T>(entries: LedgerEntry[], pick: (e: LedgerEntry) => [string | number, T] | null) {
  const out = new Map<string | number, T>();
  for (const entry of entries) {
    const picked = pick(entry);
    if (picked) out.set(picked[0], picked[1]);
  }
  return out;
}

/**
 * Reads each item's record in generation `target`, lets `apply` stage what to change, and commits,
 * a batch at a time.
 */
async function inBatches<T, V>(
  store: Store,
  target: number,
  items: T[],
  keyOf: (item: T) => Deno.KvKey,
  apply: (tx: Tx, item: T, restored: V | null) => void,
): Promise<void> {
  for (let i = 0; i < items.length; i += BATCH) {
    const batch = items.slice(i, i + BATCH);
    const restored = await Promise.all(batch.map((item) => store.kv.get<V>(keyOf(item))));
    const tx = new Tx({ generation: target });
    batch.forEach((item, j) => apply(tx, item, restored[j].value));
    await commitAll(store, tx);
  }
}

function reapplyKeys(
  store: Store,
  target: number,
  records: ApiKeyRecord[],
  out: Reapplied,
): Promise<void> {
  const recordKey = (id: string) => dataKey(target, "api_key", "rec", id);
  return inBatches<ApiKeyRecord, ApiKeyRecord>(
    store,
    target,
    records,
    (r) => recordKey(r.id),
    (tx, record, before) => {
      if (before === null) {
        tx.set(recordKey(record.id), record);
        if (record.revoked_at === null) {
          tx.set(dataKey(target, "api_key", "hash", record.hash), record);
        }
        out.kept_keys.push(record.id);
      } else if (before.revoked_at === null && record.revoked_at !== null) {
        tx.set(recordKey(record.id), { ...before, revoked_at: record.revoked_at });
        tx.delete(dataKey(target, "api_key", "hash", before.hash));
        out.revoked_keys.push(record.id);
      }
    },
  );
}

function reapplyFlags(
  store: Store,
  target: number,
  flags: [number, AdminFlags][],
  out: Reapplied,
): Promise<void> {
  const flagsKey = (userId: number) => dataKey(target, "profile_admin", userId);
  return inBatches<[number, AdminFlags], AdminFlags>(
    store,
    target,
    flags,
    ([userId]) => flagsKey(userId),
    (tx, [userId, after], restored) => {
      const before = restored ?? DEFAULT_FLAGS;
      if (before.banned !== after.banned) {
        (after.banned ? out.bans : out.unbans).push(userId);
        counters.add(tx, BANNED_COUNTER, after.banned ? 1 : -1);
      }
      if (before.tier !== after.tier) out.tier_changes.push({ user_id: userId, tier: after.tier });
      if (
        before.banned !== after.banned || before.tier !== after.tier ||
        before.ban_reason !== after.ban_reason
      ) {
        // Written directly: the ledger already holds this change.
        tx.set(flagsKey(userId), after);
      }
    },
  );
}

/** Erases one user in the target generation; true when there was something to erase. */
async function eraseAgain(store: Store, target: number, userId: number, erasedAt: number) {
  const profile = await store.kv.get<Profile>(dataKey(target, "profile", userId));
  // A profile made after the erase is the user coming back, not what they asked to erase.
  if (profile.value && Date.parse(profile.value.created_at) > erasedAt) return false;
  let found = profile.value !== null;
  let cursor = { step: 0 };
  while (true) {
    const tx = new Tx({ generation: target });
    const batch = await stageEraseBatch(store, tx, userId, cursor, erasedAt, { replay: true });
    await commitAll(store, tx);
    if (batch.done) return found;
    if (batch.processed > 0) found = true;
    cursor = batch.cursor;
  }
}

/**
 * Replays ledger entries (oldest first) onto generation `target`; each is the resulting state,
 * so what the backup already holds is left as it is.
 *
 * @example
 * ```ts
 * const reapplied = await reapplyChanges(store, target, await changesSince(store, since));
 * ```
 */
export async function reapplyChanges(
  store: Store,
  target: number,
  entries: LedgerEntry[],
): Promise<Reapplied> {
  const out: Reapplied = {
    revoked_keys: [],
    kept_keys: [],
    bans: [],
    unbans: [],
    tier_changes: [],
    erasures: 0,
  };
  const keys = latest(entries, (e) => e.kind === "api_key" ? [e.record.id, e.record] : null);
  const flags = latest(
    entries,
    (e) =>
      e.kind === "admin_flags" ? [e.user_id, [e.user_id, e.flags] as [number, AdminFlags]] : null,
  );
  const erased = latest(entries, (e) => e.kind === "erase" ? [e.user_id, e.at] : null);
  await reapplyKeys(store, target, [...keys.values()], out);
  await reapplyFlags(store, target, [...flags.values()], out);
  for (const [userId, at] of erased) {
    if (await eraseAgain(store, target, userId as number, at)) out.erasures++;
  }
  return out;
}

/**
 * What switching away from generation `live` loses: its audit rows written at or after `since`.
 *
 * @example
 * ```ts
 * const rolledBack = await summarizeRollback(store, from, Date.parse(header.created_at));
 * ```
 */
export async function summarizeRollback(
  store: Store,
  live: number,
  since: number,
): Promise<RolledBack> {
  const actions: Record<string, number> = {};
  let rows = 0;
  const iter = store.kv.list<{ action?: unknown }>({
    start: dataKey(live, "audit", "t", timePrefix(since)),
    end: [...dataPrefix(live, "audit", "t"), "\uffff"],
  });
  for await (const entry of iter) {
    const action = typeof entry.value?.action === "string" ? entry.value.action : "unknown";
    actions[action] = (actions[action] ?? 0) + 1;
    rows++;
  }
  return { since: new Date(since).toISOString(), audit_rows: rows, actions };
}

/** Ids an audit row lists per kind of change; the rest are counted (rows are capped at 4 KB). */
const AUDIT_IDS = 20;

/**
 * What a restore re-applied, fit for its audit row: each list cut to its first ids, with the
 * count of all of them.
 *
 * @example
 * ```ts
 * audit.record(tx, { action: "backup_restore", parameters: { reapplied: forAudit(reapplied) } });
 * ```
 */
export function forAudit(reapplied: Reapplied): Record<string, unknown> {
  const out: Record<string, unknown> = { erasures: reapplied.erasures };
  for (const [name, list] of Object.entries(reapplied)) {
    if (!Array.isArray(list)) continue;
    out[name] = list.slice(0, AUDIT_IDS);
    if (list.length > AUDIT_IDS) out[`${name}_count`] = list.length;
  }
  return out;
}
