/**
 * Time as a dependency: production code asks a {@linkcode Clock} for the time and for timers, so
 * tests can move time forward without waiting.
 *
 * @module
 */

/** A cancellable timer handle returned by {@linkcode Clock.setTimeout}. */
export interface TimerHandle {
  cancel(): void;
}

/** The source of time and timers for everything that waits or expires. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Resolves after `ms` milliseconds; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

function sleepWith(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * The real clock.
 *
 * @example Wait half a second
 * ```ts
 * await systemClock.sleep(500);
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const id = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(id) };
  },
  sleep(ms, signal) {
    return sleepWith(systemClock, ms, signal);
  },
};

/**
 * Waits for `work` at most `ms`: true when it finished in time, false when the time ran out
 * (the work goes on). A failure of `work` in time is thrown.
 *
 * @example
 * ```ts
 * const settled = await settlesWithin(supervisor.whenIdle(), 50_000, clock);
 * ```
 */
export async function settlesWithin(
  work: Promise<unknown>,
  ms: number,
  clock: Clock,
): Promise<boolean> {
  let timer: TimerHandle | null = null;
  const timeUp = new Promise<false>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([work.then(() => true), timeUp]);
  } finally {
    (timer as TimerHandle | null)?.cancel();
  }
}

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that only moves when told to. Timers fire in time order during {@linkcode advance}.
 *
 * @example Expire something without waiting
 * ```ts
 * const clock = new FakeClock(Date.UTC(2026, 0, 1));
 * const slept = clock.sleep(1_000);
 * await clock.advance(1_000);
 * await slept;
 * ```
 */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  /** How many timers are waiting: lets a test advance once code has started waiting. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return { cancel: () => this.#timers = this.#timers.filter((t) => t !== timer) };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, ms, signal);
  }

  /** Moves time forward by `ms`, firing due timers in order and letting their callbacks run. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    while (true) {
      await settle();
      const due = this.#timers
        .filter((t) => t.at <= target)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.at);
      due.fn();
    }
    this.#now = target;
    await settle();
  }

  /** Sets the time (never backwards) without firing anything on the way; then fires what is due. */
  async set(at: number): Promise<void> {
    await this.advance(Math.max(0, at - this.#now));
  }
}

/** Lets pending promise callbacks run (a few macrotask turns), so awaited code reaches its next wait. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setTimeout(r, 0));
}
