/**
 * The error model: every failure becomes an {@linkcode AppError} with a stable code, a level
 * that decides how loudly it is reported, and an i18n key for what the user is told.
 *
 * @module
 */
import { type PlainMessageKey } from "../i18n/mod.ts";

/** How serious a failure is; decides the log level and whether it is audited. */
export type ErrorLevel = "info" | "warning" | "error" | "critical";

/** Options shared by every {@linkcode AppError}. */
export interface AppErrorOptions {
  code?: string;
  level?: ErrorLevel;
  /** Structured facts for operators; never shown to users. */
  details?: Record<string, unknown>;
  /** The i18n key of what the user is told. */
  userMessage?: PlainMessageKey;
  cause?: unknown;
}

/**
 * A failure the application understands.
 *
 * @example Refuse an oversized turn
 * ```ts
 * throw new AppError("Turn staged too many mutations", { code: "TURN_TOO_LARGE" });
 * ```
 */
export class AppError extends Error {
  readonly code: string;
  readonly level: ErrorLevel;
  readonly details: Record<string, unknown>;
  readonly userMessage: PlainMessageKey;

  constructor(message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = options.code ?? "APP_ERROR";
    this.level = options.level ?? "error";
    this.details = options.details ?? {};
    this.userMessage = options.userMessage ?? "error_generic";
  }
}

/**
 * Deno KV (or the store around it) failed or is unavailable.
 *
 * @example
 * ```ts
 * throw new DatabaseError("Read profile failed: KV is closed");
 * ```
 */
export class DatabaseError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super(message, { code: "DB_ERROR", userMessage: "error_unavailable", ...options });
    this.name = "DatabaseError";
  }
}

/**
 * An outside HTTP API (an AI provider, Telegram) failed; `status` is its HTTP status if any.
 *
 * @example
 * ```ts
 * throw new ApiError("Provider answered 502", { status: 502 });
 * ```
 */
export class ApiError extends AppError {
  readonly status?: number;

  constructor(message: string, options: AppErrorOptions & { status?: number } = {}) {
    const { status, ...rest } = options;
    super(message, {
      code: status ? `API_ERROR_${status}` : "API_ERROR",
      userMessage: "error_upstream",
      ...rest,
    });
    this.name = "ApiError";
    this.status = status;
  }
}

/**
 * Input failed validation; `field` names what was wrong and goes into the code.
 *
 * @example
 * ```ts
 * throw new ValidationError("text", "Text must be 10–4096 characters");
 * ```
 */
export class ValidationError extends AppError {
  readonly field: string;

  constructor(field: string, message: string, options: AppErrorOptions = {}) {
    super(message, {
      code: `VALIDATION_ERROR_${field.toUpperCase().replace(/[^A-Z0-9]+/g, "_")}`,
      level: "warning",
      userMessage: "error_validation",
      ...options,
    });
    this.name = "ValidationError";
    this.field = field;
  }
}

/**
 * A limit was reached; `retryAfterMs` says when trying again makes sense.
 *
 * @example
 * ```ts
 * throw new RateLimitError("Too many requests", { retryAfterMs: 30_000 });
 * ```
 */
export class RateLimitError extends AppError {
  readonly retryAfterMs: number;

  constructor(message: string, options: AppErrorOptions & { retryAfterMs: number }) {
    const { retryAfterMs, ...rest } = options;
    super(message, {
      code: "RATE_LIMIT_ERROR",
      level: "warning",
      userMessage: "error_rate_limited",
      ...rest,
    });
    this.name = "RateLimitError";
    this.retryAfterMs = retryAfterMs;
  }
}

/** Facts added to an error as it is converted: where it happened. */
export type ErrorContext = Record<string, unknown>;

/**
 * Converts anything thrown into an {@linkcode AppError}, keeping the original as `cause`.
 *
 * KV errors become {@linkcode DatabaseError}, timeouts an {@linkcode ApiError} with status 408,
 * errors that carry an HTTP status an `ApiError` with that status, grammY errors
 * `TELEGRAM_ERROR`, and anything else `UNKNOWN_ERROR` at level critical.
 *
 * @example
 * ```ts
 * const appError = toAppError(new TypeError("Bad resource ID"), { operation: "kv.get" }, 42);
 * ```
 */
export function toAppError(err: unknown, context: ErrorContext = {}, userId?: number): AppError {
  const details = userId === undefined ? { ...context } : { ...context, userId };
  if (err instanceof AppError) {
    Object.assign(err.details, details);
    return err;
  }
  const message = err instanceof Error ? err.message : String(err);
  if (isGrammyError(err)) {
    return new AppError(`Telegram call ${err.method} failed: ${err.description}`, {
      code: "TELEGRAM_ERROR",
      details: { ...details, method: err.method, errorCode: err.error_code },
      userMessage: "error_upstream",
      cause: err,
    });
  }
  if (err instanceof Error && err.name === "HttpError") {
    return new AppError(`Telegram is unreachable: ${message}`, {
      code: "TELEGRAM_ERROR",
      details,
      userMessage: "error_upstream",
      cause: err,
    });
  }
  if (isTimeout(err)) {
    return new ApiError(`Timed out: ${message}`, { status: 408, details, cause: err });
  }
  if (isKvError(err)) {
    return new DatabaseError(`KV operation failed: ${message}`, { details, cause: err });
  }
  const status = httpStatusOf(err);
  if (status !== undefined) {
    return new ApiError(`HTTP ${status}: ${message}`, { status, details, cause: err });
  }
  return new AppError(message, {
    code: "UNKNOWN_ERROR",
    level: "critical",
    details,
    cause: err,
  });
}

/** grammY's GrammyError, recognised by shape so core does not depend on grammY. */
function isGrammyError(
  err: unknown,
): err is Error & { method: string; description: string; error_code: number } {
  return err instanceof Error && err.name === "GrammyError" &&
    typeof (err as { method?: unknown }).method === "string";
}

function isTimeout(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === "TimeoutError" ||
    (err instanceof DOMException && err.name === "TimeoutError");
}

const KV_MESSAGE = /\bkv\b|database|sqlite|versionstamp|atomic|Bad resource ID|resource.*closed/i;

function isKvError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === "BadResource" || err.name === "Interrupted") return true;
  return KV_MESSAGE.test(err.message);
}

function httpStatusOf(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const status = (err as { status?: unknown }).status;
  return typeof status === "number" && status >= 400 && status <= 599 ? status : undefined;
}

/** Why Telegram was unavailable: no answer, a 5xx, or a 429 that outlasted our bound. */
export type TelegramOutageReason = "network" | "server_error" | "rate_limited";

/**
 * Telegram's Bot API did not take a call after the bounded retries of
 * `src/bot/transport/retry.ts`: the network failed, Telegram answered 5xx, or it kept answering
 * 429. This is an outage, not a handler bug: the runtime pauses the actor and retries the turn
 * later without using up an attempt, and never dead-letters the update for it
 * (docs/OPERATIONS.md, "Telegram outages").
 *
 * @example
 * ```ts
 * if (error instanceof TelegramUnavailableError) pauseActor(error.retryAfterMs);
 * ```
 */
export class TelegramUnavailableError extends AppError {
  /** The Bot API method that could not be called. */
  readonly method: string;
  readonly reason: TelegramOutageReason;
  /** Telegram's HTTP status (5xx, 429), absent for network errors. */
  readonly status?: number;
  /** A wait Telegram asked for (429 `retry_after`), when it did. */
  readonly retryAfterMs?: number;

  constructor(
    method: string,
    options: AppErrorOptions & {
      reason: TelegramOutageReason;
      status?: number;
      retryAfterMs?: number;
    },
  ) {
    const { reason, status, retryAfterMs, ...rest } = options;
    super(`Telegram unavailable: ${method} failed (${reason}${status ? ` ${status}` : ""})`, {
      code: "TELEGRAM_UNAVAILABLE",
      level: "warning",
      userMessage: "error_unavailable",
      details: { method, reason, ...(status ? { status } : {}) },
      ...rest,
    });
    this.name = "TelegramUnavailableError";
    this.method = method;
    this.reason = reason;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}
