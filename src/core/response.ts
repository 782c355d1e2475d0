/**
 * The uniform JSON envelope of every API answer (docs/OPERATIONS.md, "HTTP API").
 *
 * @module
 */

/** What a response says about the outcome. */
export type ResponseStatus = "ok" | "error" | "warning" | "processing";

/** Every key always present; `null` where empty. */
export interface BotResponse<T = unknown> {
  success: boolean;
  status: ResponseStatus;
  data: T | null;
  error: string | null;
  error_code: string | null;
  /** ISO 8601 UTC. */
  timestamp: string;
  request_id: string | null;
  processing_time_ms: number;
}

/** Facts about the request every factory needs. */
export interface ResponseMeta {
  requestId?: string | null;
  /** When handling started (epoch ms); processing time is measured from here. */
  startedAt?: number;
  /** Now, for the timestamp and processing time. @default Date.now() */
  now?: number;
}

function envelope<T>(
  fields: Pick<BotResponse<T>, "success" | "status" | "data" | "error" | "error_code">,
  meta: ResponseMeta,
): BotResponse<T> {
  const now = meta.now ?? Date.now();
  const elapsed = meta.startedAt === undefined ? 0 : Math.max(0, now - meta.startedAt);
  return {
    ...fields,
    timestamp: new Date(now).toISOString(),
    request_id: meta.requestId ?? null,
    processing_time_ms: Math.round(elapsed * 100) / 100,
  };
}

/**
 * A successful response.
 *
 * @example
 * ```ts
 * const body = ok({ users_total: 3 }, { requestId: "abc", startedAt: Date.now() });
 * ```
 */
export function ok<T>(data: T, meta: ResponseMeta = {}): BotResponse<T> {
  return envelope({ success: true, status: "ok", data, error: null, error_code: null }, meta);
}

/**
 * A failed response with a stable code.
 *
 * @example
 * ```ts
 * const body = error("Not found", "NOT_FOUND", { requestId: "abc" });
 * ```
 */
export function error(
  message: string,
  code: string,
  meta: ResponseMeta = {},
  data: unknown = null,
): BotResponse {
  return envelope(
    { success: false, status: "error", data, error: message, error_code: code },
    meta,
  );
}

/**
 * A partial success: data is usable but something needs attention (e.g. an offline fallback).
 *
 * @example
 * ```ts
 * const body = warning({ analysis }, "Providers unavailable; answered offline", "OFFLINE");
 * ```
 */
export function warning<T>(
  data: T,
  message: string,
  code: string | null = null,
  meta: ResponseMeta = {},
): BotResponse<T> {
  return envelope(
    { success: true, status: "warning", data, error: message, error_code: code },
    meta,
  );
}
