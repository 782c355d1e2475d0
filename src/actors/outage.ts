/**
 * Telegram outages as the runtime sees them: a turn that failed because the Bot API could not be
 * reached is not the handler's fault, so it uses up no attempt and is never dead-lettered; the
 * actor pauses and runs the turn again, or sooner when Telegram is seen answering again
 * (`outage_probe.ts`; docs/ARCHITECTURE.md, "Telegram outages").
 *
 * Recognised: the bounded retry transformer's `TelegramUnavailableError` (code
 * `TELEGRAM_UNAVAILABLE`), and — by shape, so the runtime does not depend on grammY — grammY's
 * own errors from a client without that transformer: `HttpError` (no answer) and `GrammyError`
 * with 429 or 5xx.
 *
 * @module
 */
import { TelegramUnavailableError } from "../core/errors.ts";
import { backoffDelay } from "../core/retry.ts";

/** How long an actor pauses after consecutive outage failures. */
export interface OutageBackoff {
  /** The first pause. @default 2000 */
  baseMs: number;
  /** The longest pause, whatever Telegram's `retry_after` asks for. @default 30000 */
  maxMs: number;
  /**
   * While actors are paused, one of them runs its turn again this long after the last such try
   * ended, one at a time (`outage_probe.ts`). @default 2000
   */
  probeMs?: number;
}

/** The default pauses: 2 s doubling to 30 s; a probe every 2 s. */
export const OUTAGE_BACKOFF: OutageBackoff = { baseMs: 2000, maxMs: 30_000, probeMs: 2000 };

interface Shape {
  name?: unknown;
  code?: unknown;
  error_code?: unknown;
  retryAfterMs?: unknown;
  parameters?: { retry_after?: unknown };
  cause?: unknown;
}

/** The error itself, then its causes (an `AppError` may wrap grammY's). */
function* chain(err: unknown): Generator<Shape> {
  for (let depth = 0; depth < 4 && typeof err === "object" && err !== null; depth++) {
    yield err as Shape;
    err = (err as Shape).cause;
  }
}

function isOutageShape(err: Shape): boolean {
  if (err instanceof TelegramUnavailableError || err.code === "TELEGRAM_UNAVAILABLE") return true;
  if (err.name === "HttpError") return true;
  return err.name === "GrammyError" && typeof err.error_code === "number" &&
    (err.error_code === 429 || err.error_code >= 500);
}

/**
 * Whether a turn failed because Telegram was unavailable.
 *
 * @example
 * ```ts
 * if (isTelegramOutage(err)) pause(); else countAttempt();
 * ```
 */
export function isTelegramOutage(err: unknown): boolean {
  for (const link of chain(err)) if (isOutageShape(link)) return true;
  return false;
}

/**
 * The wait Telegram asked for (a 429's `retry_after`), in ms, if any.
 *
 * @example
 * ```ts
 * askedWaitMs(err); // 8000 for a 429 with retry_after 8
 * ```
 */
export function askedWaitMs(err: unknown): number | undefined {
  for (const link of chain(err)) {
    if (typeof link.retryAfterMs === "number") return link.retryAfterMs;
    const seconds = link.parameters?.retry_after;
    if (typeof seconds === "number") return seconds * 1000;
  }
  return undefined;
}

/**
 * How long to pause after the `streak`-th outage failure in a row: the wait Telegram asked for
 * (a 429's `retry_after`, which says when it answers again), else the backoff; never more than
 * `maxMs`.
 *
 * @example
 * ```ts
 * outagePauseMs(err, 1); // 2000, or a 429's retry_after up to 30 s
 * ```
 */
export function outagePauseMs(
  err: unknown,
  streak: number,
  backoff: OutageBackoff = OUTAGE_BACKOFF,
): number {
  const asked = askedWaitMs(err);
  if (asked !== undefined) return Math.min(backoff.maxMs, asked);
  return backoffDelay(streak, { baseMs: backoff.baseMs, maxMs: backoff.maxMs, jitter: 0.2 });
}
