/**
 * API keys: created by admins, shown once, stored only as a SHA-256 hash. Each key has a record
 * (for listing) and a hash index (for checking a presented key in one read); revoking deletes the
 * index in the same commit, so every process refuses the key from its next request on. Both are
 * also recorded in the security ledger, so a restore of older data keeps them. Use is
 * counted with a KV sum and a last-used time, neither of which can conflict with another writer.
 *
 * @module
 */
import { AppError } from "../core/errors.ts";
import { randomId, timeOrderedId } from "../core/ids.ts";
import { signedCount, type Tx } from "../core/tx.ts";
import { record as recordAudit } from "./audit.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { commitTx, type Store } from "./kv.ts";
import { stageChange } from "./security_ledger.ts";

/** Every key starts with this, so it is recognisable (and redacted in logs). */
export const API_KEY_PREFIX = "rvx_";

/** The shape of a key: the prefix and 43 URL-safe characters (256 random bits). */
const KEY_SHAPE = /^rvx_[A-Za-z0-9_-]{43}$/;

/** The stored part of a key: never the key itself. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  owner: string;
  /** Hex SHA-256 of the key. */
  hash: string;
  /** ISO 8601 UTC. */
  created_at: string;
  revoked_at: string | null;
}

/** A key as admins see it: no key, no hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  owner: string;
  status: "active" | "revoked";
  created_at: string;
  last_used_at: string | null;
  request_count: number;
  revoked_at: string | null;
}

/** Who asked for a change, for the audit row. */
export interface ApiKeyActor {
  /** Where the change came from: `api`, `cli`. */
  via: string;
  ip?: string | null;
}

function recordKey(generation: number, id: string): Deno.KvKey {
  return dataKey(generation, "api_key", "rec", id);
}

function hashKey(generation: number, hash: string): Deno.KvKey {
  return dataKey(generation, "api_key", "hash", hash);
}

function countKey(generation: number, id: string): Deno.KvKey {
  return dataKey(generation, "api_key", "count", id);
}

function usedKey(generation: number, id: string): Deno.KvKey {
  return dataKey(generation, "api_key", "used", id);
}

/**
 * The hex SHA-256 of a key.
 *
 * @example
 * ```ts
 * const hash = await hashApiKey("rvx_…");
 * ```
 */
export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Whether a string has the shape of one of our keys (a cheap check before any KV read).
 *
 * @example
 * ```ts
 * looksLikeApiKey("rvx_" + "a".repeat(43)); // true
 * ```
 */
export function looksLikeApiKey(value: string): boolean {
  return KEY_SHAPE.test(value);
}

function toView(record: ApiKeyRecord, lastUsed: string | null, count: number): ApiKeyView {
  return {
    id: record.id,
    name: record.name,
    owner: record.owner,
    status: record.revoked_at ? "revoked" : "active",
    created_at: record.created_at,
    last_used_at: lastUsed,
    request_count: count,
    revoked_at: record.revoked_at,
  };
}

/**
 * Creates a key and commits it with its audit row. The key is in the result only: it is not
 * stored and cannot be shown again.
 *
 * @example
 * ```ts
 * const { key, view } = await create(store, { name: "ci", owner: "ops@example.com" }, Date.now(), { via: "cli" });
 * ```
 */
export async function create(
  store: Store,
  fields: { name: string; owner: string },
  now: number,
  actor: ApiKeyActor,
): Promise<{ key: string; view: ApiKeyView }> {
  const key = `${API_KEY_PREFIX}${randomId(32)}`;
  const hash = await hashApiKey(key);
  const record: ApiKeyRecord = {
    id: timeOrderedId(now),
    name: fields.name,
    owner: fields.owner,
    hash,
    created_at: new Date(now).toISOString(),
    revoked_at: null,
  };
  const tx = store.tx();
  tx.check(hashKey(tx.generation, hash), null);
  tx.set(recordKey(tx.generation, record.id), record);
  tx.set(hashKey(tx.generation, hash), record);
  stageAudit(tx, "api_key_create", record, actor, now);
  // Recorded outside the generations too: a restore of older data keeps the key.
  stageChange(tx, { kind: "api_key", record }, now);
  if (await commitTx(store, tx) === null) {
    // 256 random bits collided with an existing key: practically impossible; try once more.
    return await create(store, fields, now, actor);
  }
  return { key, view: toView(record, null, 0) };
}

function stageAudit(
  tx: Tx,
  action: string,
  record: ApiKeyRecord,
  actor: ApiKeyActor,
  now: number,
): void {
  recordAudit(tx, {
    action,
    command: actor.via,
    parameters: { id: record.id, name: record.name, owner: record.owner },
    ip_address: actor.ip ?? null,
    status: "ok",
  }, now);
}

/**
 * Every key, oldest first, with use counts; never a key or its hash.
 *
 * @example
 * ```ts
 * const keys = await list(store);
 * ```
 */
export async function list(store: Store): Promise<ApiKeyView[]> {
  const g = store.generation;
  const used = new Map<string, string>();
  for await (
    const entry of store.kv.list<string>({ prefix: dataPrefix(g, "api_key", "used") })
  ) used.set(String(entry.key[4]), entry.value);
  const counts = new Map<string, number>();
  for await (
    const entry of store.kv.list<Deno.KvU64>({ prefix: dataPrefix(g, "api_key", "count") })
  ) counts.set(String(entry.key[4]), signedCount(entry.value));
  const views: ApiKeyView[] = [];
  for await (
    const entry of store.kv.list<ApiKeyRecord>({ prefix: dataPrefix(g, "api_key", "rec") })
  ) {
    const record = entry.value;
    views.push(toView(record, used.get(record.id) ?? null, counts.get(record.id) ?? 0));
  }
  return views;
}

/**
 * The record of a presented key when it is active, else null. One KV read, no cache: a revoked
 * key fails at once in every process.
 *
 * @example
 * ```ts
 * const record = await verify(store, bearerToken);
 * if (!record) return unauthorized();
 * ```
 */
export async function verify(store: Store, presented: string): Promise<ApiKeyRecord | null> {
  if (!looksLikeApiKey(presented)) return null;
  const hash = await hashApiKey(presented);
  const entry = await store.kv.get<ApiKeyRecord>(hashKey(store.generation, hash));
  const record = entry.value;
  return record && record.revoked_at === null && record.hash === hash ? record : null;
}

/**
 * Counts one use of a key and sets its last-used time (no checks: never conflicts).
 *
 * @example
 * ```ts
 * await touch(store, record.id, Date.now());
 * ```
 */
export async function touch(store: Store, id: string, now: number): Promise<void> {
  const tx = store.tx();
  tx.sum(countKey(tx.generation, id), 1);
  tx.set(usedKey(tx.generation, id), new Date(now).toISOString());
  await commitTx(store, tx);
}

/**
 * Revokes a key: marks its record and deletes its hash index in one commit, with an audit row.
 *
 * @returns the key's view, or null when no key has this id. Revoking twice changes nothing.
 * @example
 * ```ts
 * const view = await revoke(store, "0lx2…", Date.now(), { via: "api" });
 * ```
 */
export async function revoke(
  store: Store,
  id: string,
  now: number,
  actor: ApiKeyActor,
): Promise<ApiKeyView | null> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const g = store.generation;
    const [entry, used, count] = await store.kv.getMany<[ApiKeyRecord, string, Deno.KvU64]>([
      recordKey(g, id),
      usedKey(g, id),
      countKey(g, id),
    ]);
    if (entry.value === null) return null;
    const record = entry.value;
    if (record.revoked_at !== null) return toView(record, used.value, signedCount(count.value));
    const revoked = { ...record, revoked_at: new Date(now).toISOString() };
    const tx = store.tx();
    tx.check(entry.key, entry.versionstamp);
    tx.set(entry.key, revoked);
    tx.delete(hashKey(g, record.hash));
    stageAudit(tx, "api_key_revoke", record, actor, now);
    // Recorded outside the generations too: a restore of older data keeps it revoked.
    stageChange(tx, { kind: "api_key", record: revoked }, now);
    if (await commitTx(store, tx) !== null) {
      return toView(revoked, used.value, signedCount(count.value));
    }
  }
  throw new AppError(`Cannot revoke API key "${id}": the record kept changing`, {
    code: "API_KEY_CONFLICT",
  });
}
