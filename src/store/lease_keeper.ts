/**
 * The lease keeper: takes a lease and keeps it renewed while its holder works. Actors, jobs,
 * crons and backup/restore maintenance all hold their leases through it, so every lease behaves
 * the same way (docs/ARCHITECTURE.md, "Leases"):
 *
 * - renewed every third of its TTL, so two renewals may fail before it lapses;
 * - a renewal KV refuses because someone took the lease over (it had lapsed) loses it for good:
 *   renewing stops, {@linkcode LeaseKeeper.lost} turns true, `onLost` is called, and the
 *   holder's commits fail their lease check whatever it does;
 * - a renewal that fails because KV is unavailable is logged and tried again on the next tick;
 *   if KV stays away the lease lapses and a peer may take it — fencing never depends on a
 *   renewal getting through;
 * - it is released on its own commit ({@linkcode LeaseKeeper.release}) or inside one of the
 *   holder's commits ({@linkcode LeaseKeeper.stageRelease}), or left to lapse.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Clock, type TimerHandle } from "../core/clock.ts";
import { type Tx } from "../core/tx.ts";
import { type Store } from "./kv.ts";
import {
  type AcquiredLease,
  type AcquireOptions,
  type HeldLease,
  type LeaseCommit,
  type LeaseHeld,
  releasedLease,
  releaseLease,
  renewLease,
  stageRelease,
  tryAcquireLease,
} from "./leases.ts";

/** What {@linkcode LeaseKeeper.take} needs besides the lease's name and owner. */
export interface LeaseKeeperOptions extends AcquireOptions {
  store: Store;
  clock: Clock;
  ttlMs: number;
  /** Commits take-over, renewals and release (a caller's group committer). @default alone */
  commit?: LeaseCommit;
  /** Told once when the lease was lost to another owner. */
  onLost?: () => void;
}

/** How often a lease of `ttlMs` is renewed. */
export function renewIntervalMs(ttlMs: number): number {
  return Math.max(50, Math.floor(ttlMs / 3));
}

const log = getLogger(["rvx", "store", "leases"]);

/**
 * A lease held and kept renewed.
 *
 * @example
 * ```ts
 * const keeper = await LeaseKeeper.take("cron:sweep", owner, { store, clock, ttlMs: 6000 });
 * if (!keeper) return; // held elsewhere
 * try { await work(keeper.lease); } finally { await keeper.release(); }
 * ```
 */
export class LeaseKeeper {
  readonly lease: AcquiredLease;
  readonly #options: LeaseKeeperOptions;
  #timer: TimerHandle | null = null;
  #lost = false;
  #done = false;
  /** A commit releasing the lease is in flight ({@linkcode LeaseKeeper.stageRelease}). */
  #releasing = false;
  /** That commit ends the lease in a record of the holder's own ({@linkcode LeaseKeeper.endIn}). */
  #endingInRecord = false;
  /** A renewal failed on KV and has not worked since (logged once per streak). */
  #failing = false;
  #inflight: Promise<void> | null = null;

  private constructor(lease: AcquiredLease, options: LeaseKeeperOptions) {
    this.lease = lease;
    this.#options = options;
    this.#schedule();
  }

  /**
   * Takes the lease when nobody holds it and starts renewing it.
   *
   * @returns the keeper, or null when another owner holds the lease.
   */
  static async take(
    name: string,
    owner: string,
    options: LeaseKeeperOptions,
  ): Promise<LeaseKeeper | null> {
    const taken = await LeaseKeeper.tryTake(name, owner, options);
    return taken instanceof LeaseKeeper ? taken : null;
  }

  /** Like {@linkcode LeaseKeeper.take}, saying until when the lease is held when refused. */
  static async tryTake(
    name: string,
    owner: string,
    options: LeaseKeeperOptions,
  ): Promise<LeaseKeeper | LeaseHeld> {
    const { store, clock, ttlMs, commit } = options;
    const result = await tryAcquireLease(store, name, owner, ttlMs, clock.now(), commit, options);
    return "lease" in result ? new LeaseKeeper(result.lease, options) : result;
  }

  /** The lease was taken over by another owner (it had lapsed). */
  get lost(): boolean {
    return this.#lost;
  }

  /**
   * Renews now: true while the lease is still this holder's.
   *
   * @throws when KV fails (the caller cannot know whether it still holds the lease).
   */
  async confirm(): Promise<boolean> {
    if (this.#lost || this.#done) return false;
    await this.#inflight;
    const renewed = await renewLease(
      this.#options.store,
      this.lease,
      this.#options.ttlMs,
      this.#options.clock.now(),
      this.#options.commit,
    );
    if (!renewed) this.#loseLease();
    return renewed;
  }

  /**
   * Stops renewing and gives the lease up, so another owner may take it at once.
   *
   * @returns the lease as released (taking it again needs no read), or null when it was lost
   * or KV failed (then it lapses after its TTL).
   */
  async release(): Promise<HeldLease | null> {
    this.stop();
    // A renewal landing after the release would fail its check and look like a loss.
    await this.#inflight;
    if (this.#lost) return null;
    const { store, commit } = this.#options;
    try {
      return await releaseLease(store, this.lease, commit);
    } catch {
      // Unreleased, it simply lapses after its TTL.
      return null;
    }
  }

  /**
   * Stages the lease's release into one of the holder's own commits (which checks the lease)
   * instead of a commit of its own. Renewing pauses until {@linkcode LeaseKeeper.released}
   * says how that commit ended.
   */
  stageRelease(tx: Tx): void {
    stageRelease(tx, this.lease);
    this.#releasing = true;
  }

  /**
   * Like {@linkcode LeaseKeeper.stageRelease}, for a commit that ends the lease in a record of
   * the holder's own (see {@linkcode AcquireOptions.endedIn}): nothing is staged here.
   *
   * @returns the epoch that record must name.
   */
  endIn(): number {
    this.#releasing = true;
    this.#endingInRecord = true;
    return this.lease.epoch;
  }

  /**
   * How the commit {@linkcode LeaseKeeper.stageRelease} or {@linkcode LeaseKeeper.endIn} staged
   * into ended: with `versionstamp` it committed and the lease is released (renewing stops);
   * with null it did not, and renewing goes on.
   *
   * @returns the lease as released, or null.
   */
  released(versionstamp: string | null): HeldLease | null {
    const inRecord = this.#endingInRecord;
    this.#releasing = false;
    this.#endingInRecord = false;
    if (versionstamp === null) return null;
    this.stop();
    // Ended elsewhere, the lease record is as this holder took it.
    return releasedLease(this.lease, inRecord ? this.lease.versionstamp : versionstamp);
  }

  /** Stops renewing without releasing: the lease lapses after its TTL. */
  stop(): void {
    this.#done = true;
    this.#timer?.cancel();
    this.#timer = null;
  }

  #schedule(): void {
    const { clock, ttlMs } = this.#options;
    this.#timer = clock.setTimeout(async () => {
      this.#timer = null;
      if (this.#done) return;
      this.#inflight = this.#renew();
      await this.#inflight;
      this.#inflight = null;
      if (!this.#lost && !this.#done) this.#schedule();
    }, renewIntervalMs(ttlMs));
  }

  /** A scheduled renewal: never throws. */
  async #renew(): Promise<void> {
    const { store, clock, ttlMs, commit } = this.#options;
    // The commit releasing it is on its way; should it fail, the next tick renews.
    if (this.#releasing) return;
    try {
      const renewed = await renewLease(store, this.lease, ttlMs, clock.now(), commit);
      if (this.#failing) {
        this.#failing = false;
        log.info("Renewing the lease {name} works again", { name: this.lease.name });
      }
      // Refused because the holder released it (stopped, or released in one of its commits).
      if (!renewed && !this.#releasing && !this.#done) this.#loseLease();
    } catch (err) {
      if (!this.#failing) {
        this.#failing = true;
        log.warn("Renewing the lease {name} failed: {reason}", {
          name: this.lease.name,
          code: "LEASE_RENEWAL_FAILED",
          reason: err instanceof Error ? err.message : String(err),
        });
      }
    }
  }

  #loseLease(): void {
    if (this.#lost) return;
    this.#lost = true;
    this.stop();
    log.warn("Lost the lease {name}: another owner took it over", {
      name: this.lease.name,
      code: "LEASE_LOST",
    });
    this.#options.onLost?.();
  }
}
