/**
 * Timers that all fire the same delay after they are set, on one clock timer: set in order,
 * they come due in order, so a queue replaces a clock timer (and its cancellation) per call.
 * For a deadline taken per request, such as a direct turn's ack deadline.
 *
 * @module
 */
import { type Clock, type TimerHandle } from "./clock.ts";

interface Due {
  at: number;
  fn: () => void;
  live: boolean;
}

/** Entries already fired or cancelled kept at the queue's front before it is compacted. */
const COMPACT_AFTER = 1024;

/**
 * @example
 * ```ts
 * const deadlines = new FixedDelayTimers(clock, 250);
 * const timer = deadlines.setTimeout(() => queueInstead());
 * timer.cancel();
 * ```
 */
export class FixedDelayTimers {
  readonly #clock: Clock;
  readonly #delayMs: number;
  #queue: Due[] = [];
  #head = 0;
  #timer: TimerHandle | null = null;
  /** Due timers are being called: one set meanwhile is armed for after them. */
  #firing = false;
  /** Timers set and neither fired nor cancelled: at 0 no clock timer is left pending. */
  #live = 0;

  constructor(clock: Clock, delayMs: number) {
    this.#clock = clock;
    this.#delayMs = delayMs;
  }

  /** Calls `fn` the fixed delay from now, unless cancelled first. */
  setTimeout(fn: () => void): TimerHandle {
    const due: Due = { at: this.#clock.now() + this.#delayMs, fn, live: true };
    this.#queue.push(due);
    this.#live++;
    if (!this.#timer && !this.#firing) this.#arm(due.at);
    return { cancel: () => this.#cancel(due) };
  }

  #cancel(due: Due): void {
    if (!due.live) return;
    due.live = false;
    if (--this.#live > 0 || this.#firing) return;
    this.#timer?.cancel();
    this.#timer = null;
    this.#queue = [];
    this.#head = 0;
  }

  #arm(at: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#fire(), Math.max(0, at - this.#clock.now()));
  }

  #fire(): void {
    this.#timer = null;
    const now = this.#clock.now();
    const queue = this.#queue;
    this.#firing = true;
    try {
      for (; this.#head < queue.length; this.#head++) {
        const due = queue[this.#head];
        if (!due.live) continue;
        if (due.at > now) break;
        due.live = false;
        this.#live--;
        due.fn();
      }
    } finally {
      // Also after a callback threw: the timers behind it still fire.
      this.#firing = false;
      this.#rearm();
    }
  }

  #rearm(): void {
    const queue = this.#queue;
    while (this.#head < queue.length && !queue[this.#head].live) this.#head++;
    if (this.#head === queue.length) {
      this.#queue = [];
      this.#head = 0;
      return;
    }
    if (this.#head > COMPACT_AFTER) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
    this.#arm(this.#queue[this.#head].at);
  }
}
