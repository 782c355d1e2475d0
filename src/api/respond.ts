/**
 * Turning results and errors into BotResponse JSON with the right HTTP status.
 *
 * @module
 */
import { type Context } from "hono";
import { type ContentfulStatusCode } from "hono/utils/http-status";
import { type Clock } from "../core/clock.ts";
import { AppError, DatabaseError, RateLimitError, ValidationError } from "../core/errors.ts";
import { error, ok, type ResponseMeta, warning } from "../core/response.ts";
import { t } from "../i18n/mod.ts";
import { type ApiEnv } from "./env.ts";

function metaOf(c: Context<ApiEnv>, clock: Clock): ResponseMeta {
  return { requestId: c.get("requestId"), startedAt: c.get("startedAt"), now: clock.now() };
}

/**
 * Answers with a successful BotResponse.
 *
 * @example
 * ```ts
 * app.get("/x", (c) => sendOk(c, clock, { hello: "world" }));
 * ```
 */
export function sendOk(
  c: Context<ApiEnv>,
  clock: Clock,
  data: unknown,
  status: ContentfulStatusCode = 200,
): Response {
  return c.json(ok(data, metaOf(c, clock)), status);
}

/**
 * Answers with a usable result that needs attention (`status: "warning"`, HTTP 200).
 *
 * @example
 * ```ts
 * return sendWarning(c, clock, analysis, "Answered offline", "ANALYSIS_OFFLINE");
 * ```
 */
export function sendWarning(
  c: Context<ApiEnv>,
  clock: Clock,
  data: unknown,
  message: string,
  code: string,
): Response {
  return c.json(warning(data, message, code, metaOf(c, clock)), 200);
}

/**
 * Answers with an error BotResponse.
 *
 * @example
 * ```ts
 * return sendError(c, clock, 404, "NOT_FOUND", "Not found");
 * ```
 */
export function sendError(
  c: Context<ApiEnv>,
  clock: Clock,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  data: unknown = null,
): Response {
  return c.json(error(message, code, metaOf(c, clock), data), status);
}

/**
 * Answers 400 `VALIDATION_ERROR_<FIELD>` naming the field and why it was refused.
 *
 * @example
 * ```ts
 * return sendInvalid(c, clock, "text", "must be at least 10 characters");
 * ```
 */
export function sendInvalid(
  c: Context<ApiEnv>,
  clock: Clock,
  field: string,
  reason: string,
): Response {
  const err = new ValidationError(field, t(c.get("lang"), "api_invalid_field", { field, reason }));
  return sendError(c, clock, 400, err.code, err.message, { field, reason });
}

/**
 * Answers 400 `VALIDATION_ERROR_BODY`: the body is not a JSON object.
 *
 * @example
 * ```ts
 * return sendInvalidBody(c, clock);
 * ```
 */
export function sendInvalidBody(c: Context<ApiEnv>, clock: Clock): Response {
  return sendError(c, clock, 400, "VALIDATION_ERROR_BODY", t(c.get("lang"), "api_invalid_body"), {
    field: "body",
  });
}

/** What a limit said, for the `RateLimit-*` headers. */
export interface LimitState {
  limit: number;
  remaining: number;
  /** Epoch ms when the window frees up. */
  resetAt: number;
}

/**
 * Sets `RateLimit-Limit/-Remaining/-Reset` (seconds until reset), and `Retry-After` when refused.
 *
 * @example
 * ```ts
 * setLimitHeaders(c, { limit: 60, remaining: 0, resetAt }, clock.now(), true);
 * ```
 */
export function setLimitHeaders(
  c: Context<ApiEnv>,
  state: LimitState,
  now: number,
  refused: boolean,
): number {
  const seconds = Math.max(1, Math.ceil((state.resetAt - now) / 1000));
  c.header("RateLimit-Limit", String(state.limit));
  c.header("RateLimit-Remaining", String(Math.max(0, state.remaining)));
  c.header("RateLimit-Reset", String(seconds));
  if (refused) c.header("Retry-After", String(seconds));
  return seconds;
}

/** The HTTP status an application error answers with (docs/OPERATIONS.md, "HTTP API"). */
export function statusOf(err: AppError): ContentfulStatusCode {
  if (err instanceof ValidationError) return 400;
  if (err instanceof RateLimitError) return 429;
  if (err instanceof DatabaseError) return 503;
  if (err.name === "ApiError") return 502;
  return 500;
}

/**
 * Answers an {@linkcode AppError}: its own code and message for known classes, a bare
 * `INTERNAL_ERROR` for everything else (no internals leak).
 *
 * @example
 * ```ts
 * return sendAppError(c, clock, new ValidationError("text", "Text is required"));
 * ```
 */
export function sendAppError(c: Context<ApiEnv>, clock: Clock, err: AppError): Response {
  const status = statusOf(err);
  if (status === 500) {
    return sendError(c, clock, 500, "INTERNAL_ERROR", t(c.get("lang") ?? "en", "api_internal"));
  }
  if (err instanceof RateLimitError) {
    c.header("Retry-After", String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
  }
  return sendError(c, clock, status, err.code, err.message);
}
