/**
 * Which actor drains when: a run queue drained by at most `concurrency` actors at once, one
 * drain per actor at a time (work signalled during a drain runs right after it), and wake-ups
 * at a given time (a retry's backoff, a pause, a lease held elsewhere).
 *
 * @module
 */
import { type Clock } from "../core/clock.ts";
import { type ActorSlot } from "./parts.ts";

/** What {@linkcode Scheduler} calls. */
export interface SchedulerHooks {
  clock: Clock;
  concurrency: number;
  /** Drains one actor (never throws). */
  drain(slot: ActorSlot): Promise<void>;
  /** Signals an actor again by name (after a drain that was wanted again, or a wake-up). */
  reschedule(actor: string): void;
  /** After each drain (eviction: busy actors may have pushed the count over the cap). */
  afterDrain(): void;
  /** When the last queued actor is drained. */
  onIdle?(): void;
}

/**
 * @example
 * ```ts
 * const scheduler = new Scheduler({ clock, concurrency: 128, drain, reschedule, afterDrain });
 * scheduler.schedule(slot);
 * ```
 */
export class Scheduler {
  readonly #hooks: SchedulerHooks;
  #runQueue: ActorSlot[] = [];
  #active = 0;
  #stopping = false;
  #idleWaiters: (() => void)[] = [];

  constructor(hooks: SchedulerHooks) {
    this.#hooks = hooks;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /** Actors draining or queued to drain now. */
  get busy(): number {
    return this.#active + this.#runQueue.length;
  }

  /** Queues the actor's drain, or marks it wanted again when it is draining now. */
  schedule(slot: ActorSlot): void {
    if (this.#stopping) return;
    if (slot.draining) {
      slot.wanted = true;
      return;
    }
    if (slot.queued) return;
    slot.queued = true;
    this.#runQueue.push(slot);
    this.#pump();
  }

  /**
   * Runs `work` for the actor at once, in place of a drain and counted as one, when nothing of
   * the actor is queued or draining and a drain slot is free (a direct turn).
   *
   * @returns what `work` returns, or null when the actor or the runtime is busy.
   */
  runNow<T>(slot: ActorSlot, work: () => Promise<T>): Promise<T> | null {
    const busy = slot.draining || slot.queued || slot.wakeTimer !== null;
    if (this.#stopping || busy || this.#active >= this.#hooks.concurrency) return null;
    this.#active++;
    slot.draining = true;
    return work().finally(() => {
      slot.draining = false;
      this.#ended(slot);
    });
  }

  /** Signals the actor again at `at` (epoch ms), replacing an earlier wake-up. */
  wakeAt(slot: ActorSlot, at: number): void {
    const { clock } = this.#hooks;
    slot.wakeTimer?.cancel();
    slot.wakeTimer = clock.setTimeout(() => {
      slot.wakeTimer = null;
      this.#hooks.reschedule(slot.name);
    }, Math.max(0, at - clock.now()));
  }

  /** Resolves once nothing is queued or draining. */
  whenIdle(): Promise<void> {
    if (this.#active === 0 && this.#runQueue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Takes no more work and waits for the drains in progress. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#runQueue = [];
    await this.whenIdle();
  }

  #pump(): void {
    const hooks = this.#hooks;
    while (this.#active < hooks.concurrency && this.#runQueue.length > 0) {
      const slot = this.#runQueue.shift()!;
      slot.queued = false;
      this.#active++;
      void hooks.drain(slot).finally(() => this.#ended(slot));
    }
  }

  #ended(slot: ActorSlot): void {
    const hooks = this.#hooks;
    this.#active--;
    hooks.afterDrain();
    if (slot.wanted && !this.#stopping) {
      slot.wanted = false;
      hooks.reschedule(slot.name);
    }
    this.#pump();
    if (this.#active === 0 && this.#runQueue.length === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
      if (!this.#stopping) hooks.onIdle?.();
    }
  }
}
