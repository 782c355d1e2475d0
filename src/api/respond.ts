/**
 * Turning results and errors into BotResponse JSON with the right HTTP status.
 *
 * @module
 */
import { type Context } from "hono";
import { type ContentfulStatusCode } from "hono/utils/http-status";
import { type Clock } from "../core/clock.ts";
import { AppError, DatabaseError, RateLimitError, ValidationError } from "../core/errors.ts";
import { error, ok, type ResponseMeta } from "../core/response.ts";
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

/** The HTTP status an application error answers with (DESIGN §7). */
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
  if (status === 500) return sendError(c, clock, 500, "INTERNAL_ERROR", "Internal error");
  if (err instanceof RateLimitError) {
    c.header("Retry-After", String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
  }
  return sendError(c, clock, status, err.code, err.message);
}
