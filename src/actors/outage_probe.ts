/**
 * Resuming promptly after a Telegram outage without hammering it meanwhile. Each paused actor
 * waits out its own pause (2 s doubling to 30 s); besides, while any is paused, one of them —
 * the one due soonest — runs its turn again `probeMs` after the last such try ended, one try at
 * a time, so the process calls Telegram about once every few seconds however many actors wait.
 * The first paused turn that goes through (the probe's or any other's) means Telegram answers
 * again: every actor paused for the outage resumes at once. An actor waiting out a wait Telegram
 * asked for (a 429's `retry_after`) is neither probed nor woken early (docs/ARCHITECTURE.md,
 * "Telegram outages").
 *
 * @module
 */
import { type Clock, type TimerHandle } from "../core/clock.ts";
import { type ActorSlot } from "./parts.ts";

/** What {@linkcode OutageProbe} works with. */
export interface OutageProbeDeps {
  clock: Clock;
  /** Time between the end of one probe and the next. */
  probeMs: number;
  /** A probe whose turn never ran (its lease was held elsewhere) is given up after this. */
  giveUpMs: number;
  /** The actors in memory. */
  slots(): Iterable<ActorSlot>;
  /** Makes a paused actor run at `at` (epoch ms) instead of at the end of its pause. */
  wake(slot: ActorSlot, at: number): void;
}

/**
 * @example
 * ```ts
 * const probe = new OutageProbe({ clock, probeMs: 2000, giveUpMs: 30_000, slots, wake });
 * const resuming = slot.outages > 0;
 * const outcome = await runner.run(slot, ref);
 * probe.turnEnded(slot, resuming);
 * ```
 */
export class OutageProbe {
  readonly #deps: OutageProbeDeps;
  #timer: TimerHandle | null = null;
  /** The actor woken as the probe, until its turn ends. */
  #probing: string | null = null;

  constructor(deps: OutageProbeDeps) {
    this.#deps = deps;
  }

  /**
   * After a turn of `slot` ran: `resuming` says the actor was paused for an outage before it.
   * A resuming turn that went through (the slot's outage streak is over) wakes every paused
   * actor; a turn that paused starts the probing if it is not on.
   */
  turnEnded(slot: ActorSlot, resuming: boolean): void {
    // Most turns have nothing to do with an outage: cost them nothing here.
    if (!resuming && slot.outages === 0 && slot.name !== this.#probing) return;
    if (slot.name === this.#probing) {
      this.#probing = null;
      this.#cancel();
    }
    if (resuming && slot.outages === 0) {
      this.#cancel();
      this.#wakeAll();
      return;
    }
    // The actor that just paused is still draining: it is picked, if due soonest, when the
    // timer fires.
    const paused = slot.outages > 0 && slot.askedUntil <= this.#deps.clock.now();
    if (!this.#probing && !this.#timer && (paused || this.#next())) this.#arm(this.#deps.probeMs);
  }

  /** Stops probing (the supervisor stops). */
  stop(): void {
    this.#cancel();
    this.#probing = null;
  }

  /** Paused for an outage, not for a wait Telegram asked for, and not running. */
  #probeable(slot: ActorSlot, now: number): boolean {
    return slot.outages > 0 && slot.resumeAt > now && slot.askedUntil <= now &&
      !slot.draining && !slot.queued;
  }

  /** The probeable actor due soonest. */
  #next(): ActorSlot | null {
    const now = this.#deps.clock.now();
    let next: ActorSlot | null = null;
    for (const slot of this.#deps.slots()) {
      if (this.#probeable(slot, now) && (!next || slot.resumeAt < next.resumeAt)) next = slot;
    }
    return next;
  }

  #arm(ms: number): void {
    this.#timer = this.#deps.clock.setTimeout(() => {
      this.#timer = null;
      this.#probing = null;
      const slot = this.#next();
      if (!slot) return;
      this.#probing = slot.name;
      this.#deps.wake(slot, this.#deps.clock.now());
      this.#arm(this.#deps.giveUpMs);
    }, ms);
  }

  #cancel(): void {
    this.#timer?.cancel();
    this.#timer = null;
  }

  #wakeAll(): void {
    const now = this.#deps.clock.now();
    for (const slot of this.#deps.slots()) {
      if (slot.outages > 0 && slot.resumeAt > now && !slot.draining && !slot.queued) {
        this.#deps.wake(slot, Math.max(now, slot.askedUntil));
      }
    }
  }
}
