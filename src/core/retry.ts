/**
 * Retrying with exponential backoff and jitter, on an injected clock.
 *
 * @module
 */
import { type Clock, systemClock } from "./clock.ts";

/** Options of {@linkcode retry} and {@linkcode backoffDelay}. */
export interface RetryOptions {
  /** Attempts in total, the first included. @default 3 */
  maxAttempts?: number;
  /** Delay before the second attempt. @default 1000 */
  baseMs?: number;
  /** Upper bound of one delay. @default 30000 */
  maxMs?: number;
  /** Share of each delay randomised (0 = exact, 1 = anywhere in 0..delay). @default 0.2 */
  jitter?: number;
  /** Decides whether an error is worth another attempt. @default always */
  shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** A delay the failure itself asks for (a `Retry-After`), which wins over the backoff. */
  retryAfterMs?: (error: unknown) => number | undefined;
  /** No attempt starts after this time (epoch ms); the last error is thrown instead. */
  deadline?: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** Randomness source for jitter, for deterministic tests. @default Math.random */
  random?: () => number;
}

/**
 * The delay before attempt `attempt + 1` (attempt counts from 1): `base · 2^(attempt-1)`, capped,
 * minus up to `jitter` of itself.
 *
 * @example
 * ```ts
 * backoffDelay(3, { baseMs: 1000, maxMs: 30_000, jitter: 0 }); // 4000
 * ```
 */
export function backoffDelay(attempt: number, options: RetryOptions = {}): number {
  const { baseMs = 1000, maxMs = 30_000, jitter = 0.2, random = Math.random } = options;
  const exact = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exact * (1 - jitter * random()));
}

/**
 * Runs `fn` until it succeeds, an error is not worth retrying, attempts run out, or the next
 * attempt would start after the deadline; then throws the last error.
 *
 * @example Retry a flaky call three times
 * ```ts
 * const body = await retry(() => fetch(url).then((r) => r.text()), { maxAttempts: 3 });
 * ```
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const { maxAttempts = 3, shouldRetry = () => true, clock = systemClock } = options;
  for (let attempt = 1;; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= maxAttempts || !shouldRetry(error, attempt)) throw error;
      const asked = options.retryAfterMs?.(error);
      const delay = asked ?? backoffDelay(attempt, options);
      if (options.deadline !== undefined && clock.now() + delay >= options.deadline) throw error;
      await clock.sleep(delay, options.signal);
    }
  }
}
