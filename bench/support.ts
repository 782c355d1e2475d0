/**
 * Small helpers the benchmark groups share: output without `console`, percentiles, and bounded
 * concurrency.
 *
 * @module
 */

const encoder = new TextEncoder();

/**
 * Writes one line to stdout.
 *
 * @example
 * ```ts
 * print("actors_updates_per_s=12000");
 * ```
 */
export function print(line = ""): void {
  Deno.stdout.writeSync(encoder.encode(`${line}\n`));
}

/**
 * Writes one progress line to stderr, so stdout stays the table and the `name=value` lines.
 *
 * @example
 * ```ts
 * progress("actors: baseline");
 * ```
 */
export function progress(line: string): void {
  Deno.stderr.writeSync(encoder.encode(`${line}\n`));
}

/**
 * The nearest-rank percentile of samples (`p` in 0–100); NaN for no samples.
 *
 * @example
 * ```ts
 * percentile([1, 2, 3, 4], 50); // 2
 * ```
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p / 100) - 1))];
}

/**
 * Rounds to a number of decimal digits.
 *
 * @example
 * ```ts
 * round(3.14159, 2); // 3.14
 * ```
 */
export function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

/**
 * A counting semaphore: at most `limit` holders at once, the rest wait in arrival order.
 *
 * @example
 * ```ts
 * const slots = new Semaphore(64);
 * await slots.acquire();
 * try { await work(); } finally { slots.release(); }
 * ```
 */
export class Semaphore {
  readonly #limit: number;
  #held = 0;
  #waiters: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  acquire(): Promise<void> {
    if (this.#held < this.#limit) {
      this.#held++;
      return Promise.resolve();
    }
    // The releasing holder hands its slot over, so `#held` stays the same.
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#held--;
  }
}

/**
 * Calls `task(0)` … `task(count - 1)` with at most `inFlight` running at once.
 *
 * @example
 * ```ts
 * await runBounded(20_000, 64, (i) => inbox.ingest([updates[i]]));
 * ```
 */
export async function runBounded(
  count: number,
  inFlight: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  const slots = new Semaphore(inFlight);
  // Settled tasks are not kept: a memory benchmark must not measure its own bookkeeping.
  const failures: unknown[] = [];
  for (let i = 0; i < count && failures.length === 0; i++) {
    await slots.acquire();
    task(i).then(() => slots.release(), (error) => {
      failures.push(error);
      slots.release();
    });
  }
  for (let i = 0; i < inFlight; i++) await slots.acquire();
  if (failures.length > 0) throw failures[0];
}

/**
 * Calls `task(i)` at `i / perMs` ms after the start, on real timers, catching up in bursts when
 * the event loop was late (an open loop: a slow task never delays the next one's start).
 *
 * @example
 * ```ts
 * await runPaced(5_000, 1, (i) => ingestTimed(updates[i]));
 * ```
 */
export async function runPaced(
  count: number,
  perMs: number,
  task: (index: number) => Promise<unknown>,
): Promise<void> {
  const started = performance.now();
  const running: Promise<unknown>[] = [];
  let next = 0;
  while (next < count) {
    const due = Math.min(count, Math.floor((performance.now() - started) * perMs) + 1);
    while (next < due) running.push(task(next++));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(running);
}
