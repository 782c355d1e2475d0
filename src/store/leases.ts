/**
 * Leases: single ownership of an actor (or a job, or a cron run) across processes sharing one
 * KV. The lease record {owner, epoch} is written only on take-over and every commit of the
 * owner checks its versionstamp; a separate expiry record is renewed while working, so renewals
 * never break those checks and a lapsed owner can never commit.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { runtimeKeys } from "./keys.ts";
import { atomicCommit, type Store } from "./kv.ts";

/** The lease backup export and restore hold; turns pause while it is live. */
export const MAINTENANCE_LEASE = "maintenance";

interface LeaseRecord {
  owner: string;
  epoch: number;
}

interface LeaseExpiry extends LeaseRecord {
  /** Epoch ms. */
  expiresAt: number;
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
export type LeaseCommit = (tx: Tx) => Promise<{ ok: true; versionstamp: string } | { ok: false }>;

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
   * The lease as this owner last released it. Taking it again is tried without reading first:
   * the take-over checks that nobody took it since (the record is as released, no expiry).
   */
  released?: HeldLease;
  /**
   * Keys read in the same snapshot as the lease and checked unchanged by the take-over, so the
   * new owner starts from their values as of taking over (at most 8).
   */
  alongside?: Deno.KvKey[];
}

/** A lease just taken, with the keys read alongside it. */
export interface AcquiredLease extends HeldLease {
  /** The entries of {@linkcode AcquireOptions.alongside}, in order. */
  alongside: Deno.KvEntryMaybe<unknown>[];
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
  if (released && !options.alongside?.length) {
    const again = await takeOver(store, name, owner, ttlMs, now, commit, {
      epoch: released.epoch,
      record: released.versionstamp,
      expiry: null,
    });
    if (again) return { lease: { ...again, tookOverLapsed: false, alongside: [] } };
  }
  const [record, expiry, ...alongside] = await store.kv.getMany([
    runtimeKeys.lease(name),
    runtimeKeys.leaseExpiry(name),
    ...options.alongside ?? [],
  ]) as [
    Deno.KvEntryMaybe<LeaseRecord>,
    Deno.KvEntryMaybe<LeaseExpiry>,
    ...Deno.KvEntryMaybe<unknown>[],
  ];
  const live = expiry.value !== null && expiry.value.expiresAt > now;
  if (live && expiry.value!.owner !== owner) return { heldUntil: expiry.value!.expiresAt };
  const taken = await takeOver(store, name, owner, ttlMs, now, commit, {
    epoch: record.value?.epoch ?? 0,
    record: record.versionstamp,
    expiry: expiry.versionstamp,
    alongside,
  });
  if (!taken) return { heldUntil: null };
  return {
    lease: {
      ...taken,
      tookOverLapsed: expiry.value !== null && expiry.value.owner !== owner,
      alongside,
    },
  };
}

/** What a take-over expects to find: the lease record, the expiry and any keys read alongside. */
interface Expected {
  epoch: number;
  record: string | null;
  expiry: string | null;
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
  const tx = store.tx()
    .check(runtimeKeys.lease(name), expected.record)
    .check(runtimeKeys.leaseExpiry(name), expected.expiry)
    .set(runtimeKeys.lease(name), { owner, epoch })
    .set(runtimeKeys.leaseExpiry(name), { owner, epoch, expiresAt: now + ttlMs });
  for (const entry of expected.alongside ?? []) tx.check(entry.key, entry.versionstamp);
  const result = await commit(tx);
  return result.ok ? { name, owner, epoch, versionstamp: result.versionstamp } : null;
}

/**
 * Extends a held lease; false when it was lost (taken over after lapsing).
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
  const tx = store.tx()
    .check(runtimeKeys.lease(lease.name), lease.versionstamp)
    .set(runtimeKeys.leaseExpiry(lease.name), {
      owner: lease.owner,
      epoch: lease.epoch,
      expiresAt: now + ttlMs,
    });
  return (await commit(tx)).ok;
}

/**
 * Gives a lease up so another process may take it at once.
 *
 * @example
 * ```ts
 * await releaseLease(store, lease);
 * ```
 */
export async function releaseLease(
  store: Store,
  lease: HeldLease,
  commit: LeaseCommit = (tx) => commitAlone(store, tx),
): Promise<boolean> {
  const tx = store.tx()
    .check(runtimeKeys.lease(lease.name), lease.versionstamp)
    .delete(runtimeKeys.leaseExpiry(lease.name));
  return (await commit(tx)).ok;
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
  const expiry = await store.kv.get<LeaseExpiry>(runtimeKeys.leaseExpiry(name));
  return expiry.value !== null && expiry.value.expiresAt > now;
}
