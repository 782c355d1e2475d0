/**
 * Owning an actor: its lease taken (with its session read in the same snapshot), kept renewed
 * by the {@linkcode LeaseKeeper} while this process drains it, and released in the drain's
 * last turn commit — or, while other actors drain or for a user who came back within the
 * linger, kept a little after the inbox is drained and released then (docs/ARCHITECTURE.md,
 * "Leases").
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { LeaseKeeper } from "../store/lease_keeper.ts";
import { runtimeKeys } from "../store/keys.ts";
import { type HeldLease } from "../store/leases.ts";
import { sessionLeaseEnded } from "../store/sessions.ts";
import { type CommitOutcome, committedAt } from "./commit_retry.ts";
import { type MaintenanceWatch } from "./maintenance_watch.ts";
import { type ActorSlot, type RuntimeParts } from "./parts.ts";

/**
 * How long a drained actor keeps its lease when its user came back within this long of the
 * last release: their next update within it skips a take-over and a release. A process that
 * queued work for the actor meanwhile retries the lease within this long, so that work waits
 * at most about this long.
 */
const LEASE_LINGER_MS = 1000;

/** What {@linkcode ActorLeases} calls back. */
export interface ActorLeaseHooks {
  /** The keys read with the lease for an actor whose session is not in memory. */
  actorKeys(actor: string): Deno.KvKey[];
  /** Takes the session and language from the entries of `actorKeys`. */
  adopt(slot: ActorSlot, entries: Deno.KvEntryMaybe<unknown>[]): void;
  /** The lease was taken over from an owner that let it lapse mid-turn. */
  tookOverLapsed(slot: ActorSlot): Promise<void>;
  /**
   * This process gives the lease up (a release about to be submitted, or a turn's commit that
   * ended it): a drained inbox's mark goes with it.
   */
  givingUp(slot: ActorSlot): void;
  /** The lease was released after lingering. */
  afterLinger(slot: ActorSlot): void;
  /** The maintenance watch: its keys ride in every take-over's read. */
  maintenance: MaintenanceWatch;
  /** The supervisor is stopping (it releases every lease itself). */
  stopping(): boolean;
  /** Other actors are draining or waiting to: their commits would carry a release. */
  othersBusy(): boolean;
}

/**
 * @example
 * ```ts
 * const leases = new ActorLeases(parts, hooks);
 * if (await leases.acquire(slot)) await drain(slot);
 * ```
 */
export class ActorLeases {
  readonly #parts: RuntimeParts;
  readonly #hooks: ActorLeaseHooks;

  constructor(parts: RuntimeParts, hooks: ActorLeaseHooks) {
    this.#parts = parts;
    this.#hooks = hooks;
  }

  /** Lease take-overs, renewals and releases share the turns' group commits. */
  readonly commit = (tx: Tx) => this.#parts.committer.submit(tx);

  /**
   * Takes the actor's lease. An actor not in memory has its session and language read in the
   * same snapshot as the lease, checked unchanged by the take-over, and the maintenance lease
   * and the inbox mark (`slot.inboxMark`) with them: one read, not four.
   *
   * @returns true, or when to try again: another process holds it until then.
   */
  async acquire(slot: ActorSlot): Promise<true | { retryAt: number }> {
    const { store, clock, settings, owner } = this.#parts;
    // The session rides in every read take-over: its holder's last turn may have ended the
    // lease there. Taking back a lease this process released needs no read at all.
    const keeper = await LeaseKeeper.tryTake(slot.name, owner, {
      store,
      clock,
      ttlMs: settings.leaseTtlMs,
      commit: this.commit,
      released: slot.released ?? undefined,
      alongside: this.#hooks.actorKeys(slot.name),
      endedIn: ([session]) => sessionLeaseEnded(session),
      peek: [...this.#hooks.maintenance.keys, runtimeKeys.inboxMark(slot.name)],
    });
    slot.released = null;
    slot.inboxMark = undefined;
    if (!(keeper instanceof LeaseKeeper)) {
      // Try again the moment the lease would lapse unless renewed (its holder may have died),
      // or within a linger: a holder that drained releases then without looking for work this
      // process queued meanwhile.
      const now = clock.now();
      return {
        retryAt: Math.min(keeper.heldUntil ?? now + settings.leaseTtlMs, now + this.#lingerMs()),
      };
    }
    const { peeked } = keeper.lease;
    const maintenance = this.#hooks.maintenance.keys.length;
    await this.#hooks.maintenance.seen(peeked.slice(0, maintenance));
    // A take-over without a read read no mark either.
    if (peeked.length > maintenance) slot.inboxMark = peeked[maintenance].versionstamp;
    slot.keeper = keeper;
    slot.lingers = clock.now() - slot.releasedAt < this.#lingerMs();
    const { lease } = keeper;
    // A take-over without a read found the lease as this process released it: nobody held it
    // since, so the session kept in memory is current.
    if (lease.alongside.length > 0) this.#hooks.adopt(slot, lease.alongside);
    if (lease.tookOverLapsed) await this.#hooks.tookOverLapsed(slot);
    return true;
  }

  /**
   * Ends the lease in the commit of the drain's last turn when the drain is over with it
   * (nothing more queued in memory), unless the user came back within the linger (see
   * {@linkcode LEASE_LINGER_MS}) or other actors are draining: then a release of its own rides
   * in a group commit with their turns, and lingering spares the user's next update a take-over.
   * Alone, a release is a commit and a write of its own; ended in the turn's session record,
   * which the next take-over reads anyway, it costs neither (docs/ARCHITECTURE.md, "Leases").
   *
   * @returns the epoch the session record must name as ended, or null to keep the lease
   * ({@linkcode ActorLeases.afterEnd} must follow a number).
   */
  endInSession(slot: ActorSlot): number | null {
    if (slot.wanted || slot.queued || !slot.keeper || slot.lingers) return null;
    if (this.#hooks.othersBusy()) return null;
    return slot.keeper.endIn();
  }

  /** How the commit {@linkcode ActorLeases.endInSession} ended the lease in ended. */
  afterEnd(slot: ActorSlot, outcome: CommitOutcome): void {
    const keeper = slot.keeper!;
    if (outcome === "already-done") {
      // An earlier try went through, releasing the lease; its versionstamp is unknown.
      keeper.stop();
      slot.keeper = null;
      this.#released(slot, null);
      this.#hooks.givingUp(slot);
      return;
    }
    const released = keeper.released(committedAt(outcome));
    if (!released) return;
    slot.keeper = null;
    this.#released(slot, released);
    this.#hooks.givingUp(slot);
  }

  /** Keeps a drained actor's lease a while, then releases it (see {@linkcode LEASE_LINGER_MS}). */
  linger(slot: ActorSlot): void {
    const { clock } = this.#parts;
    slot.lingerTimer?.cancel();
    slot.lingerTimer = clock.setTimeout(async () => {
      slot.lingerTimer = null;
      if (this.#hooks.stopping() || slot.draining || slot.queued || !slot.keeper) return;
      await this.release(slot);
      this.#hooks.afterLinger(slot);
    }, this.#lingerMs());
  }

  /** Gives the actor's lease up (remembering it, so taking it again needs no read). */
  async release(slot: ActorSlot): Promise<void> {
    slot.lingerTimer?.cancel();
    slot.lingerTimer = null;
    const keeper = slot.keeper;
    slot.keeper = null;
    if (!keeper) return;
    // Submitted first, the mark's deletion shares the release's group commit.
    this.#hooks.givingUp(slot);
    const released = await keeper.release();
    this.#released(slot, released);
  }

  /** Drops what this process knew of the actor's lease and session (the lease was lost). */
  forget(slot: ActorSlot): void {
    slot.lingerTimer?.cancel();
    slot.lingerTimer = null;
    slot.keeper?.stop();
    slot.keeper = null;
    slot.released = null;
    slot.inboxMark = undefined;
    slot.unmark = undefined;
    slot.session = undefined;
  }

  #released(slot: ActorSlot, released: HeldLease | null): void {
    slot.released = released;
    slot.releasedAt = this.#parts.clock.now();
  }

  #lingerMs(): number {
    return Math.min(LEASE_LINGER_MS, Math.floor(this.#parts.settings.leaseTtlMs / 3));
  }
}
