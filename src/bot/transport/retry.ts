/**
 * Bounded retries of Bot API calls, as a grammY API transformer. Each call gets a timeout; a
 * network error, a 5xx or a 429 is retried after a short pause (Telegram's `retry_after` when it
 * gives one); after the bounded tries the call throws {@linkcode TelegramUnavailableError}, so the
 * runtime pauses the actor instead of blaming the handler. Bounds and reasons:
 * docs/OPERATIONS.md, "Telegram outages".
 *
 * @module
 */
import { HttpError, type Transformer } from "grammy";
import { type Clock, systemClock } from "../../core/clock.ts";
import { type TelegramOutageReason, TelegramUnavailableError } from "../../core/errors.ts";
import { retry } from "../../core/retry.ts";

/** Options of {@linkcode botApiRetry}. */
export interface BotApiRetryOptions {
  /** Longest one HTTP call may take before it counts as a network error. @default 10000 */
  callTimeoutMs?: number;
  /** Tries per call, the first included. @default 5 */
  maxAttempts?: number;
  /** Pause before the second try; it doubles from there. @default 500 */
  baseDelayMs?: number;
  /**
   * Longest pause between two tries, and the longest 429 `retry_after` waited out here; a longer
   * one throws at once, carrying the wait, for the runtime to pause the actor. @default 5000
   */
  maxDelayMs?: number;
  /** No try starts later than this after the call began. @default 30000 */
  maxTotalMs?: number;
  clock?: Clock;
  /** Randomness of the pauses' jitter (tests pass a constant). @default Math.random */
  random?: () => number;
}

/** The defaults, for docs and for callers that show them. */
export const BOT_API_RETRY_DEFAULTS = {
  callTimeoutMs: 10_000,
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 5_000,
  maxTotalMs: 30_000,
} as const;

/** One failed try that is worth another: Telegram, not the request, is the problem. */
class Outage extends Error {
  constructor(
    readonly reason: TelegramOutageReason,
    readonly status?: number,
    readonly retryAfterMs?: number,
    options?: ErrorOptions,
  ) {
    super(`Telegram outage: ${reason}`, options);
  }
}

/**
 * The transformer. `getUpdates` only gets its timeout (its long-poll time added): the polling
 * loop has its own backoff, and retrying inside it would hide a lost connection.
 *
 * @example
 * ```ts
 * bot.api.config.use(botApiRetry({ maxDelayMs: 5000 }));
 * ```
 */
export function botApiRetry(options: BotApiRetryOptions = {}): Transformer {
  const settings = { ...BOT_API_RETRY_DEFAULTS, ...options };
  const clock = options.clock ?? systemClock;

  return async function boundedRetry(prev, method, payload, apiSignal) {
    // grammY's npm build types signals with a shim; the platform's signal is what it really uses.
    const signal = apiSignal as unknown as AbortSignal | undefined;
    const longPollMs = method === "getUpdates"
      ? Number((payload as { timeout?: number }).timeout ?? 0) * 1000
      : 0;
    const callOnce = async () => {
      const timeout = new AbortController();
      const timer = clock.setTimeout(
        () => timeout.abort(new DOMException("Bot API call timed out", "TimeoutError")),
        settings.callTimeoutMs + longPollMs,
      );
      const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal;
      try {
        return await prev(method, payload, combined as unknown as typeof apiSignal);
      } finally {
        timer.cancel();
      }
    };
    if (method === "getUpdates") return await callOnce();

    try {
      return await retry(async () => {
        let response: Awaited<ReturnType<typeof callOnce>>;
        try {
          response = await callOnce();
        } catch (err) {
          if (err instanceof HttpError && !signal?.aborted) {
            throw new Outage("network", undefined, undefined, { cause: err });
          }
          throw err;
        }
        if (response.ok) return response;
        if (response.error_code === 429) {
          const seconds = response.parameters?.retry_after;
          throw new Outage("rate_limited", 429, seconds === undefined ? undefined : seconds * 1000);
        }
        if (response.error_code >= 500) throw new Outage("server_error", response.error_code);
        return response;
      }, {
        maxAttempts: settings.maxAttempts,
        baseMs: settings.baseDelayMs,
        maxMs: settings.maxDelayMs,
        random: options.random,
        clock,
        signal,
        deadline: clock.now() + settings.maxTotalMs,
        shouldRetry: (err) =>
          err instanceof Outage && (err.retryAfterMs ?? 0) <= settings.maxDelayMs,
        retryAfterMs: (err) => err instanceof Outage ? err.retryAfterMs : undefined,
      });
    } catch (err) {
      if (!(err instanceof Outage)) throw err;
      throw new TelegramUnavailableError(method, {
        reason: err.reason,
        status: err.status,
        retryAfterMs: err.retryAfterMs,
        cause: err.cause ?? err,
      });
    }
  };
}
