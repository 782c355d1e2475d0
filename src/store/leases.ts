/**
 * Leases: single ownership of an actor (or a job, or a cron run) across processes sharing one
 * KV (docs/ARCHITECTURE.md, "Leases"). A take-over writes one record, `["lease", name]`
 * {owner, epoch, expiresAt}, whose versionstamp every commit of the owner checks. Renewals write
 * a separate expiry record of the same epoch, so a renewal never breaks those checks; a release
 * rewrites the record as ended. A lapsed owner can never commit: whoever takes the lease over
 * rewrites the record its commits check.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { runtimeKeys } from "./keys.ts";
import { atomicCommit, type StagedCommit, type Store } from "./kv.ts";

/** The lease backup export and restore hold; turns pause while it is live. */
export const MAINTENANCE_LEASE = "maintenance";

interface LeaseRecord {
  owner: string;
  epoch: number;
  /**
   * Until when the take-over holds it (epoch ms). Absent from records written before take-overs
   * carried it (their expiry record alone says), so a rolling upgrade honours those leases.
   */
  expiresAt?: number;
  /** Released: free to take at once, whatever an expiry record of its epoch says. */
  ended?: true;
}

/** A renewal: the lease of `epoch` is held until `expiresAt` (epoch ms). */
interface LeaseExpiry {
  owner: string;
  epoch: number;
  expiresAt: number;
}

/**
 * How long an expiry record stays in KV, in TTLs: past its `expiresAt` it says nothing (a
 * record of another epoch never did), so KV's expiry may drop it any time after.
 */
const EXPIRY_KEPT_TTLS = 3;

/**
 * Until when the lease `record` names is held (epoch ms): its take-over's `expiresAt` or the
 * last renewal of its epoch, whichever is later; −∞ when it is released or was never taken.
 */
function heldUntil(record: LeaseRecord | null, expiry: LeaseExpiry | null): number {
  if (record === null || record.ended) return Number.NEGATIVE_INFINITY;
  const renewed = expiry?.epoch === record.epoch ? expiry.expiresAt : Number.NEGATIVE_INFINITY;
  return Math.max(record.expiresAt ?? Number.NEGATIVE_INFINITY, renewed);
}

/** A lease this process holds. */
export interface HeldLease {
  name: string;
  owner: string;
  epoch: number;
  /** The lease record's versionstamp: what the owner's commits check. */
  versionstamp: string;
  /** The previous owner's lease lapsed while it held it (it crashed or stalled mid-work). */
  tookOverLapsed: boolean;
}

/** Commits a lease change: alone by default, or through a caller's group committer. */
export type LeaseCommit = StagedCommit;

/** Commits a lease change in its own atomic operation. */
async function commitAlone(store: Store, tx: Tx) {
  const result = await atomicCommit(store, (op) => op.check(...tx.checks).mutate(...tx.mutations));
  return result.ok
    ? { ok: true as const, versionstamp: result.versionstamp }
    : { ok: false as const };
}

/** Options of {@linkcode acquireLease}. */
export interface AcquireOptions {
  /**
   * The lease as this owner last released it ({@linkcode releaseLease}'s result). Taking it again
   * is tried without reading first: the take-over checks that the record is still as released
   * (nobody held it since, so what the owner kept of it is current), and reads nothing else.
   */
  released?: HeldLease;
  /**
   * Keys read in the same snapshot as the lease and checked unchanged by the take-over, so the
   * new owner starts from their values as of taking over (at most 8 with `peek`); not read
   * when a `released` lease is taken back without a read.
   */
  alongside?: Deno.KvKey[];
  /**
   * Keys read in the same snapshot but not checked: what the new owner wants to know as of now
   * without a read of its own (a take-over without a read leaves them unread).
   */
  peek?: Deno.KvKey[];
  /**
   * The epoch a holder ended the lease at in a record of its own, read among `alongside`
   * entries (an actor's session: its last turn's commit ends the lease there, so the release
   * costs no write of the lease record, whose versionstamp is then the released lease's).
   * null: none said.
   */
  endedIn?: (alongside: Deno.KvEntryMaybe<unknown>[]) => number | null;
}

/** A lease just taken, with the keys read alongside it. */
export interface AcquiredLease extends HeldLease {
  /** The entries of {@linkcode AcquireOptions.alongside}, in order. */
  alongside: Deno.KvEntryMaybe<unknown>[];
  /** The entries of {@linkcode AcquireOptions.peek}, in order; empty when nothing was read. */
  peeked: Deno.KvEntryMaybe<unknown>[];
}

/**
 * Takes the lease when nobody holds it (never held, released, or lapsed).
 *
 * @returns the held lease, or null when another owner holds it.
 * @example
 * ```ts
 * const lease = await acquireLease(store, "actor:42", ownerId, 30_000, clock.now());
 * ```
 */
export async function acquireLease(
  store: Store,
  name: string,
  owner: string,
  ttlMs: number,
  now: number,
  commit: LeaseCommit = (tx) => commitAlone(store, tx),
  options: AcquireOptions = {},
): Promise<AcquiredLease | null> {
  const result = await tryAcquireLease(store, name, owner, ttlMs, now, commit, options);
  return "lease" in result ? result.lease : null;
}

/**
 * The lease held elsewhere: until when, as its holder last renewed it (null when a concurrent
 * take-over won and the expiry is unknown).
 */
export interface LeaseHeld {
  heldUntil: number | null;
}

/**
 * Like {@linkcode acquireLease}, saying until when the lease is held when it is refused, so a
 * waiting owner can try again the moment it would lapse.
 *
 * @example
 * ```ts
 * const result = await tryAcquireLease(store, "u:42", ownerId, 5000, clock.now());
 * if (!("lease" in result)) wakeAt(result.heldUntil ?? clock.now() + 5000);
 * ```
 */
export async function tryAcquireLease(
  store: Store,
  name: string,
  owner: string,
  ttlMs: number,
  now: number,
  commit: LeaseCommit = (tx) => commitAlone(store, tx),
  options: AcquireOptions = {},
): Promise<{ lease: AcquiredLease } | LeaseHeld> {
  const { released } = options;
  if (released) {
    // Only this owner renews its epoch, and it stopped: the record unchanged since the release
    // is all a take-over without a read has to check.
    const again = await takeOver(store, name, owner, ttlMs, now, commit, {
      epoch: released.epoch,
      record: released.versionstamp,
    });
    if (again) return { lease: { ...again, tookOverLapsed: false, alongside: [], peeked: [] } };
  }
  const [record, expiry, ...rest] = await store.kv.getMany([
    ...leaseKeys(name),
    ...options.alongside ?? [],
    ...options.peek ?? [],
  ]) as [
    Deno.KvEntryMaybe<LeaseRecord>,
    Deno.KvEntryMaybe<LeaseExpiry>,
    ...Deno.KvEntryMaybe<unknown>[],
  ];
  const alongside = rest.slice(0, options.alongside?.length ?? 0);
  const peeked = rest.slice(alongside.length);
  const endedAt = options.endedIn?.(alongside) ?? null;
  const until = record.value !== null && endedAt === record.value.epoch
    ? Number.NEGATIVE_INFINITY
    : heldUntil(record.value, expiry.value);
  const holder = record.value?.owner;
  if (until > now && holder !== owner) return { heldUntil: until };
  // The expiry is checked too: a renewal landing after this read keeps the lease its holder's.
  const taken = await takeOver(store, name, owner, ttlMs, now, commit, {
    // A record removed while free (stageFreeLeaseRemoval) starts again above the epoch a
    // holder's own record says it ended, which must not name the new lease as ended.
    epoch: Math.max(record.value?.epoch ?? 0, endedAt ?? 0),
    record: record.versionstamp,
    expiry: expiry.versionstamp,
    alongside,
  });
  if (!taken) return { heldUntil: null };
  return {
    lease: {
      ...taken,
      // Held and not released: its owner stopped mid-work.
      tookOverLapsed: until !== Number.NEGATIVE_INFINITY && holder !== owner,
      alongside,
      peeked,
    },
  };
}

/** What a take-over expects to find: the lease record, the expiry and any keys read alongside. */
interface Expected {
  epoch: number;
  record: string | null;
  /** The expiry record's versionstamp as read; undefined: not checked. */
  expiry?: string | null;
  alongside?: Deno.KvEntryMaybe<unknown>[];
}

async function takeOver(
  store: Store,
  name: string,
  owner: string,
  ttlMs: number,
  now: number,
  commit: LeaseCommit,
  expected: Expected,
): Promise<Omit<HeldLease, "tookOverLapsed"> | null> {
  const epoch = expected.epoch + 1;
  const record: LeaseRecord = { owner, epoch, expiresAt: now + ttlMs };
  const tx = store.tx().check(runtimeKeys.lease(name), expected.record);
  if (expected.expiry !== undefined) tx.check(runtimeKeys.leaseExpiry(name), expected.expiry);
  tx.set(runtimeKeys.lease(name), record);
  for (const entry of expected.alongside ?? []) tx.check(entry.key, entry.versionstamp);
  const result = await commit(tx);
  return result.ok ? { name, owner, epoch, versionstamp: result.versionstamp } : null;
}

/**
 * Extends a held lease; false when it was lost (taken over after lapsing). Writes the expiry
 * record, never the lease record, so the owner's commits keep passing their check.
 *
 * @example
 * ```ts
 * if (!await renewLease(store, lease, 30_000, clock.now())) stopWorking();
 * ```
 */
export async function renewLease(
  store: Store,
  lease: HeldLease,
  ttlMs: number,
  now: number,
  commit: LeaseCommit = (tx) => commitAlone(store, tx),
): Promise<boolean> {
  const expiry: LeaseExpiry = { owner: lease.owner, epoch: lease.epoch, expiresAt: now + ttlMs };
  const tx = store.tx()
    .check(runtimeKeys.lease(lease.name), lease.versionstamp)
    .set(runtimeKeys.leaseExpiry(lease.name), expiry, { expireIn: EXPIRY_KEPT_TTLS * ttlMs });
  return (await commit(tx)).ok;
}

/**
 * Gives a lease up so another process may take it at once.
 *
 * @returns the lease as released (pass it as {@linkcode AcquireOptions.released} to take it
 * again without a read), or null when it was lost before.
 * @example
 * ```ts
 * const released = await releaseLease(store, lease);
 * ```
 */
export async function releaseLease(
  store: Store,
  lease: HeldLease,
  commit: LeaseCommit = (tx) => commitAlone(store, tx),
): Promise<HeldLease | null> {
  const tx = store.tx();
  checkLease(tx, lease);
  stageRelease(tx, lease);
  const result = await commit(tx);
  return result.ok ? releasedLease(lease, result.versionstamp) : null;
}

/**
 * A lease as its release committed with `versionstamp`: what taking it again without a read
 * checks (nothing else of the lease is kept, such as the entries read alongside it).
 *
 * @example
 * ```ts
 * const released = releasedLease(lease, versionstamp);
 * ```
 */
export function releasedLease(lease: HeldLease, versionstamp: string): HeldLease {
  const { name, owner, epoch } = lease;
  return { name, owner, epoch, versionstamp, tookOverLapsed: false };
}

/**
 * Stages a lease's release into a tx of its holder, which carries the lease's check
 * ({@linkcode checkLease}) as every commit of the holder does: the lease ends when the tx
 * commits (its versionstamp is the released lease's).
 *
 * @example
 * ```ts
 * checkLease(tx, lease);
 * stageRelease(tx, lease);
 * ```
 */
export function stageRelease(tx: Tx, lease: HeldLease): void {
  const ended: LeaseRecord = { owner: lease.owner, epoch: lease.epoch, ended: true };
  tx.set(runtimeKeys.lease(lease.name), ended);
}

/**
 * Stages the check that makes a commit fail once the lease was lost.
 *
 * @example
 * ```ts
 * checkLease(tx, lease);
 * ```
 */
export function checkLease(tx: Tx, lease: HeldLease): void {
  tx.check(runtimeKeys.lease(lease.name), lease.versionstamp);
}

/**
 * Whether anyone holds a live lease on `name` now.
 *
 * @example
 * ```ts
 * if (await isLeaseLive(store, "maintenance", clock.now())) await pause();
 * ```
 */
export async function isLeaseLive(store: Store, name: string, now: number): Promise<boolean> {
  return leaseLiveIn(await store.kv.getMany(leaseKeys(name)), now);
}

/**
 * The keys that say whether a lease is held, to read alongside others.
 *
 * @example
 * ```ts
 * const entries = await store.kv.getMany([...leaseKeys("maintenance"), other]);
 * ```
 */
export function leaseKeys(name: string): Deno.KvKey[] {
  return [runtimeKeys.lease(name), runtimeKeys.leaseExpiry(name)];
}

/**
 * Stages the removal of a lease record nobody holds — released, lapsed, or ended at `endedAt`
 * in its holder's own record — checked unchanged, so a take-over meanwhile keeps it. A lease
 * whose record is gone is free; the next take-over starts its epoch above `endedAt`.
 *
 * @param entries the entries of {@linkcode leaseKeys}, as read for this change.
 * @returns whether the removal was staged (false: no record, or held).
 * @example
 * ```ts
 * const [lease, expiry, session] = await store.kv.getMany([...leaseKeys("u:42"), sessionKey]);
 * stageFreeLeaseRemoval(tx, [lease, expiry], sessionLeaseEnded(session), clock.now());
 * ```
 */
export function stageFreeLeaseRemoval(
  tx: Tx,
  entries: Deno.KvEntryMaybe<unknown>[],
  endedAt: number | null,
  now: number,
): boolean {
  const [record, expiry] = entries as [
    Deno.KvEntryMaybe<LeaseRecord>,
    Deno.KvEntryMaybe<LeaseExpiry>,
  ];
  if (record.value === null) return false;
  if (record.value.epoch !== endedAt && heldUntil(record.value, expiry.value) > now) return false;
  tx.check(record.key, record.versionstamp).delete(record.key);
  return true;
}

/**
 * Whether the entries of {@linkcode leaseKeys} say the lease is held at `now`.
 *
 * @example
 * ```ts
 * leaseLiveIn(await store.kv.getMany(leaseKeys("maintenance")), clock.now());
 * ```
 */
export function leaseLiveIn(entries: Deno.KvEntryMaybe<unknown>[], now: number): boolean {
  const [record, expiry] = entries as [
    Deno.KvEntryMaybe<LeaseRecord>,
    Deno.KvEntryMaybe<LeaseExpiry>,
  ];
  return heldUntil(record.value, expiry.value) > now;
}
