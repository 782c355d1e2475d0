/**
 * Session records: an actor's short-lived state, written with `expireIn` and an `expiresAt`
 * (KV deletes lazily, so readers treat expired as absent), plus an expiry index the session
 * sweep walks up to now. Each index entry carries the gauges its session counted towards, so
 * the sweep takes back exactly what that session added. The record also carries the ids of the
 * actor's finished updates (`done_updates.ts`), which outlive the state: an expired session
 * whose list still protects ids stays as a husk without its state until they age out.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { doneKeepUntil, type DoneUpdates, withDone } from "./done_updates.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { type Store } from "./kv.ts";

/** A stored session. */
export interface SessionRecord<S> {
  state: S;
  /** Epoch ms after which the session is gone. */
  expiresAt: number;
  /** Epoch ms; names this incarnation (an expired session recreated gets a new one). */
  createdAt: number;
  /** The actor's finished updates, for deduplication; carried across incarnations. */
  done?: DoneUpdates;
  /**
   * The epoch of the actor's lease that the commit writing this record ended: the holder's last
   * turn releases the lease here instead of rewriting the lease record (docs/ARCHITECTURE.md,
   * "Leases"). A record restored from a backup names an older epoch, which releases nothing.
   */
  lease?: number;
}

/**
 * The actor lease epoch a session entry says its holder ended, or null.
 *
 * @example
 * ```ts
 * const ended = sessionLeaseEnded(await store.kv.get(sessionKey(generation, "u:42")));
 * ```
 */
export function sessionLeaseEnded(entry: Deno.KvEntryMaybe<unknown> | undefined): number | null {
  const epoch = (entry?.value as SessionRecord<unknown> | null)?.lease;
  return typeof epoch === "number" ? epoch : null;
}

/** The gauges a session counts towards, by name. */
export type SessionGauges = Record<string, boolean>;

/**
 * What a read found: a live session, an expired one KV still holds, or none — possibly a husk
 * that keeps only the actor's finished-update ids.
 */
export type SessionRead<S> =
  | { status: "live"; record: SessionRecord<S> }
  | { status: "expired"; record: SessionRecord<S> }
  | { status: "absent"; done?: DoneUpdates };

/**
 * Reads an actor's session, telling live from expired-but-not-yet-deleted.
 *
 * @example
 * ```ts
 * const read = await readSession<MyState>(store, "u:42", clock.now());
 * ```
 */
export async function readSession<S>(
  store: Store,
  actor: string,
  now: number,
): Promise<SessionRead<S>> {
  return sessionRead(
    await store.kv.get<SessionRecord<S>>(sessionKey(store.generation, actor)),
    now,
  );
}

/** The key of an actor's session, for reading it together with other keys. */
export function sessionKey(generation: number, actor: string): Deno.KvKey {
  return dataKey(generation, "session", actor);
}

/**
 * What a session entry read elsewhere (e.g. in a `getMany`) holds.
 *
 * @example
 * ```ts
 * const read = sessionRead<MyState>(entries[0], clock.now());
 * ```
 */
export function sessionRead<S>(entry: Deno.KvEntryMaybe<unknown>, now: number): SessionRead<S> {
  const record = entry.value as SessionRecord<S> | null;
  if (record === null) return { status: "absent" };
  if (record.state === null) {
    return record.done ? { status: "absent", done: record.done } : { status: "absent" };
  }
  return { status: record.expiresAt > now ? "live" : "expired", record };
}

/**
 * Index entries are kept per hour: the sweep runs hourly, so finer buckets would not remove a
 * session much sooner, and a session in use moves its entry at most once an hour instead of at
 * every turn a minute or more after its last (docs/ARCHITECTURE.md, "What an update costs").
 */
export const EXPIRY_BUCKET_MS = 3_600_000;

/** The index bucket of an expiry time: the end of its hour (the first sweep after removes it). */
export function expiryBucket(expiresAt: number): number {
  return Math.ceil(expiresAt / EXPIRY_BUCKET_MS) * EXPIRY_BUCKET_MS;
}

function sameGauges(a: SessionGauges, b: SessionGauges): boolean {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const name of names) if (Boolean(a[name]) !== Boolean(b[name])) return false;
  return true;
}

/**
 * Stages a session write and its expiry-index entry, replacing the index entry of the same
 * incarnation's previous write (`previousExpiresAt`). When the previous write's gauges are given
 * and neither they nor the minute bucket changed, the index entry is left as it is.
 *
 * @example
 * ```ts
 * stageSession(tx, "u:42", record, gauges, previous?.expiresAt, now, previousGauges);
 * ```
 */
export function stageSession<S>(
  tx: Tx,
  actor: string,
  record: SessionRecord<S>,
  gauges: SessionGauges,
  previousExpiresAt: number | undefined,
  now: number,
  previousGauges?: SessionGauges,
): void {
  tx.set(sessionKey(tx.generation, actor), record, {
    expireIn: Math.max(1, sessionKeepUntil(record) - now),
  });
  const bucket = expiryBucket(record.expiresAt);
  if (previousExpiresAt !== undefined) {
    const previousBucket = expiryBucket(previousExpiresAt);
    if (previousBucket === bucket && previousGauges && sameGauges(previousGauges, gauges)) return;
    if (previousBucket !== bucket) {
      tx.delete(dataKey(tx.generation, "session_expiry", previousBucket, actor));
    }
  }
  tx.set(dataKey(tx.generation, "session_expiry", bucket, actor), {
    createdAt: record.createdAt,
    gauges,
  });
}

/**
 * Until when KV keeps a session record (epoch ms): its state's expiry, or later while its
 * finished-update ids still protect against redeliveries.
 *
 * @example
 * ```ts
 * tx.set(key, record, { expireIn: Math.max(1, sessionKeepUntil(record) - now) });
 * ```
 */
export function sessionKeepUntil(record: SessionRecord<unknown>): number {
  return Math.max(record.expiresAt, doneKeepUntil(record.done));
}

/** One expiry-index entry due by now. */
export interface DueSession {
  actor: string;
  expiresAt: number;
  createdAt: number;
  gauges: SessionGauges;
  versionstamp: string;
}

/**
 * Expiry-index entries with `expiresAt` ≤ now, oldest first.
 *
 * @example
 * ```ts
 * const due = await dueSessions(store, clock.now(), 200);
 * ```
 */
export async function dueSessions(store: Store, now: number, limit: number): Promise<DueSession[]> {
  const prefix = dataPrefix(store.generation, "session_expiry");
  const due: DueSession[] = [];
  for await (
    const entry of store.kv.list<{ createdAt: number; gauges: SessionGauges }>(
      { start: prefix, end: [...prefix, now + 1] },
      { limit },
    )
  ) {
    due.push({
      actor: entry.key[4] as string,
      expiresAt: entry.key[3] as number,
      createdAt: entry.value.createdAt,
      gauges: entry.value.gauges,
      versionstamp: entry.versionstamp,
    });
  }
  return due;
}

/**
 * Stages the end of a due session: its index entry goes (checked, so two sweeps or a turn that
 * renewed it meanwhile cannot count it twice), and the session itself when it is still this
 * incarnation and expired — replaced by a husk without its state while its finished-update ids
 * still protect against redeliveries.
 *
 * @param session the actor's session entry as read for this sweep.
 * @returns whether the session's state goes (false: a later incarnation, or renewed).
 * @example
 * ```ts
 * const ended = stageExpiry(tx, due, await store.kv.get(sessionKey(generation, due.actor)), now);
 * ```
 */
export function stageExpiry(
  tx: Tx,
  due: DueSession,
  session: Deno.KvEntryMaybe<unknown>,
  now: number,
): boolean {
  const indexKey = dataKey(tx.generation, "session_expiry", due.expiresAt, due.actor);
  tx.check(indexKey, due.versionstamp).delete(indexKey);
  const value = session.value as SessionRecord<unknown> | null;
  if (!value || value.createdAt !== due.createdAt || value.expiresAt > now) return false;
  tx.check(session.key, session.versionstamp);
  const keepUntil = doneKeepUntil(value.done);
  if (keepUntil > now) {
    const husk: SessionRecord<null> = { ...value, state: null };
    tx.set(session.key, husk, { expireIn: keepUntil - now });
  } else tx.delete(session.key);
  return true;
}

/**
 * Stages one update as finished without a turn (it went to the dead letters): the actor's
 * session record as read gets the id in its list, checked unchanged; an actor without one gets a
 * husk holding only the list.
 *
 * @example
 * ```ts
 * stageFinishedWithoutTurn(tx, await store.kv.get(sessionKey(generation, actor)), 42, now);
 * ```
 */
export function stageFinishedWithoutTurn(
  tx: Tx,
  session: Deno.KvEntryMaybe<SessionRecord<unknown>>,
  updateId: number,
  now: number,
): void {
  const record: SessionRecord<unknown> = session.value ??
    { state: null, createdAt: now, expiresAt: 0 };
  const next = { ...record, done: withDone(record.done, updateId, now) };
  tx.check(session.key, session.versionstamp).set(session.key, next, {
    expireIn: Math.max(1, sessionKeepUntil(next) - now),
  });
}
