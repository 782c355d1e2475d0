/**
 * Whether a backup or restore holds the maintenance lease: turns pause while it does. Read at
 * most once a second, and for free whenever an actor's take-over reads its lease (the
 * maintenance lease's keys ride in that snapshot), so an idle user's update costs no read for it.
 *
 * @module
 */
import { type Clock } from "../core/clock.ts";
import { type Store } from "../store/kv.ts";
import { isLeaseLive, leaseKeys, leaseLiveIn, MAINTENANCE_LEASE } from "../store/leases.ts";

/** How often the maintenance lease is read while actors drain. */
export const MAINTENANCE_RECHECK_MS = 1000;

/**
 * @example
 * ```ts
 * const watch = new MaintenanceWatch(store, clock, () => dropCachedSessions());
 * if (await watch.live()) pause();
 * ```
 */
export class MaintenanceWatch {
  readonly #store: Store;
  readonly #clock: Clock;
  /** Told when maintenance ended: the generation may have moved, cached sessions are stale. */
  readonly #onEnded: () => void;
  #live = false;
  #checkedAt = Number.NEGATIVE_INFINITY;

  constructor(store: Store, clock: Clock, onEnded: () => void) {
    this.#store = store;
    this.#clock = clock;
    this.#onEnded = onEnded;
  }

  /** The keys a take-over reads for the watch (see {@linkcode MaintenanceWatch.seen}). */
  readonly keys: Deno.KvKey[] = leaseKeys(MAINTENANCE_LEASE);

  /** Whether maintenance holds the KV now, reading its lease when the last look is stale. */
  async live(): Promise<boolean> {
    const now = this.#clock.now();
    if (now - this.#checkedAt < MAINTENANCE_RECHECK_MS) return this.#live;
    await this.#note(await isLeaseLive(this.#store, MAINTENANCE_LEASE, now), now);
    return this.#live;
  }

  /**
   * Reads `keys` and, when the last look is stale, the maintenance lease in the same snapshot:
   * one read for both.
   *
   * @returns the entries of `keys`, in order.
   */
  async readWith(keys: Deno.KvKey[]): Promise<Deno.KvEntryMaybe<unknown>[]> {
    const stale = this.#clock.now() - this.#checkedAt >= MAINTENANCE_RECHECK_MS;
    const entries = await this.#store.kv.getMany(stale ? [...this.keys, ...keys] : keys);
    if (!stale) return entries;
    await this.seen(entries.slice(0, this.keys.length));
    return entries.slice(this.keys.length);
  }

  /** Takes the entries of {@linkcode MaintenanceWatch.keys} read elsewhere as the latest look. */
  async seen(entries: Deno.KvEntryMaybe<unknown>[]): Promise<void> {
    if (entries.length !== this.keys.length) return;
    const now = this.#clock.now();
    await this.#note(leaseLiveIn(entries, now), now);
  }

  async #note(live: boolean, now: number): Promise<void> {
    const ended = this.#live && !live;
    this.#live = live;
    this.#checkedAt = now;
    if (ended) {
      await this.#store.refreshGeneration();
      this.#onEnded();
    }
  }
}
