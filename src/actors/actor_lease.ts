/**
 * Owning an actor: its lease taken (with its session read in the same snapshot), kept renewed
 * by the {@linkcode LeaseKeeper} while this process drains it, kept a little after the inbox
 * is drained, and released.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { LeaseKeeper } from "../store/lease_keeper.ts";
import { type ActorSlot, type RuntimeParts } from "./parts.ts";

/**
 * How long a drained actor keeps its lease: a user's next update within it skips a take-over
 * and a release (two commit waits). The release that ends it re-reads the inbox, so updates
 * another process queued meanwhile wait at most this long.
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
  /** The lease was released after lingering: look for work another process queued. */
  afterLinger(slot: ActorSlot): Promise<void>;
  /** The supervisor is stopping (it releases every lease itself). */
  stopping(): boolean;
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
   * same snapshot as the lease, checked unchanged by the take-over: one read, not three.
   *
   * @returns true, or when to try again: another process holds it until then.
   */
  async acquire(slot: ActorSlot): Promise<true | { retryAt: number }> {
    const { store, clock, settings, owner } = this.#parts;
    const load = slot.session === undefined ? this.#hooks.actorKeys(slot.name) : [];
    const keeper = await LeaseKeeper.tryTake(slot.name, owner, {
      store,
      clock,
      ttlMs: settings.leaseTtlMs,
      commit: this.commit,
      released: slot.released ?? undefined,
      alongside: load,
    });
    slot.released = null;
    if (!(keeper instanceof LeaseKeeper)) {
      // Its holder may have died: try the moment the lease would lapse unless renewed.
      return { retryAt: keeper.heldUntil ?? clock.now() + settings.leaseTtlMs };
    }
    slot.keeper = keeper;
    const { lease } = keeper;
    if (load.length > 0) {
      this.#hooks.adopt(slot, lease.alongside);
    } else if (lease.epoch !== slot.lastEpoch + 1) {
      // Another owner held it since our last lease and may have changed the session: reload it.
      slot.session = undefined;
    }
    slot.lastEpoch = lease.epoch;
    if (lease.tookOverLapsed) await this.#hooks.tookOverLapsed(slot);
    return true;
  }

  /** Keeps a drained actor's lease a while, then releases it (see {@linkcode LEASE_LINGER_MS}). */
  linger(slot: ActorSlot): void {
    const { clock, settings } = this.#parts;
    slot.lingerTimer?.cancel();
    slot.lingerTimer = clock.setTimeout(async () => {
      slot.lingerTimer = null;
      if (this.#hooks.stopping() || slot.draining || slot.queued || !slot.keeper) return;
      await this.release(slot);
      await this.#hooks.afterLinger(slot);
    }, Math.min(LEASE_LINGER_MS, Math.floor(settings.leaseTtlMs / 3)));
  }

  /** Gives the actor's lease up (remembering it, so taking it again needs no read). */
  async release(slot: ActorSlot): Promise<void> {
    slot.lingerTimer?.cancel();
    slot.lingerTimer = null;
    const keeper = slot.keeper;
    slot.keeper = null;
    if (keeper && await keeper.release()) slot.released = keeper.lease;
  }

  /** Drops what this process knew of the actor's lease and session (the lease was lost). */
  forget(slot: ActorSlot): void {
    slot.lingerTimer?.cancel();
    slot.lingerTimer = null;
    slot.keeper?.stop();
    slot.keeper = null;
    slot.released = null;
    slot.session = undefined;
  }
}
