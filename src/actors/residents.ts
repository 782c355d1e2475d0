/**
 * The actors in memory, least recently active first, and their eviction: idle actors leave
 * after `ACTOR_IDLE_SECONDS`, and at most `ACTOR_MAX_RESIDENT` stay besides busy ones (draining,
 * queued, holding a lease or waiting to wake), which are never dropped.
 *
 * @module
 */
import { type Clock, type TimerHandle } from "../core/clock.ts";
import { type ActorSlot, newSlot, type SupervisorSettings } from "./parts.ts";

/** Busy slots one over-the-cap eviction looks past before giving up until the next call. */
const EVICT_BUSY_SCAN = 256;

/**
 * @example
 * ```ts
 * const residents = new ResidentActors(clock, settings);
 * const slot = residents.slot("u:42");
 * ```
 */
export class ResidentActors {
  readonly #clock: Clock;
  readonly #settings: SupervisorSettings;
  /** Map order is the least-recently-active order. */
  #slots = new Map<string, ActorSlot>();
  #timer: TimerHandle | null = null;

  constructor(clock: Clock, settings: SupervisorSettings) {
    this.#clock = clock;
    this.#settings = settings;
  }

  get size(): number {
    return this.#slots.size;
  }

  values(): IterableIterator<ActorSlot> {
    return this.#slots.values();
  }

  /** The actor's slot if it is in memory (its place in the order unchanged). */
  get(actor: string): ActorSlot | undefined {
    return this.#slots.get(actor);
  }

  /** The actor's slot, made the most recently active; created (making room first) if absent. */
  slot(actor: string): ActorSlot {
    const slot = this.#slots.get(actor) ?? newSlot(actor, this.#clock.now());
    this.#slots.delete(actor);
    // Make room before inserting: the slot asked for must never be the one evicted, or a second
    // slot for the same actor could drain it at the same time.
    this.evict(false, 1);
    this.#slots.set(actor, slot);
    return slot;
  }

  /** Evicts idle actors every half `ACTOR_IDLE_SECONDS` (at least every second) until stopped. */
  startEvicting(): void {
    const every = Math.max(1000, Math.floor(this.#settings.actorIdleMs / 2));
    this.#timer = this.#clock.setTimeout(() => {
      this.evict(true);
      this.startEvicting();
    }, every);
  }

  /** Stops evicting and forgets every slot. */
  clear(): void {
    this.#timer?.cancel();
    this.#timer = null;
    this.#slots.clear();
  }

  /** Stops the eviction timer, keeping the slots. */
  stopEvicting(): void {
    this.#timer?.cancel();
    this.#timer = null;
  }

  /**
   * Drops idle actors (or, over the cap, the least recently active ones that are not busy).
   *
   * @param room slots about to be added, counted against the cap.
   */
  evict(idleOnly: boolean, room = 0): void {
    const cutoff = this.#clock.now() - this.#settings.actorIdleMs;
    let busySkipped = 0;
    for (const slot of this.#slots.values()) {
      const overCap = this.#slots.size + room > this.#settings.actorMaxResident;
      if (!idleOnly && !overCap) break;
      const busy = slot.draining || slot.queued || slot.keeper !== null || slot.wakeTimer !== null;
      if (busy) {
        // Under a backlog the oldest slots are queued ones: bound the cost of one call, the
        // next call (a drain ending, a new actor) goes on where busy ones became idle.
        if (!idleOnly && ++busySkipped > EVICT_BUSY_SCAN) break;
        continue;
      }
      if (overCap || slot.lastActive <= cutoff) this.#slots.delete(slot.name);
    }
  }
}
