/**
 * The per-client-IP limit on `/api/*` (the client as {@linkcode clientIp} finds it, IPv6 by /64):
 * a sliding window per client counted in KV with compare-and-set (`reserveShared`), so every
 * process on the same KV shares it. One small record per active client (buckets, not hits),
 * expiring with its window: nothing grows in memory or in KV.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type MiddlewareHandler } from "hono";
import { type Clock } from "../../core/clock.ts";
import { DatabaseError } from "../../core/errors.ts";
import { t } from "../../i18n/mod.ts";
import { type Store } from "../../store/kv.ts";
import { type QuotaDecision, type QuotaScope, reserveShared } from "../../store/quotas.ts";
import { clientIp, limitSubject } from "../client_ip.ts";
import { type ApiEnv } from "../env.ts";
import { sendError, setLimitHeaders } from "../respond.ts";

/** Options of {@linkcode ipRateLimit}. */
export interface IpRateLimitOptions {
  store: Store;
  clock: Clock;
  /** Requests per window (`API_RATE_LIMIT_REQUESTS`). */
  limit: number;
  /** `API_RATE_LIMIT_WINDOW_SECONDS`. */
  windowSeconds: number;
  /** `TRUST_PROXY`: take the client from what the trusted proxies appended to `X-Forwarded-For`. */
  trustProxy: boolean;
  /** `TRUSTED_PROXY_HOPS`. @default 1 */
  proxyHops?: number;
}

/** The limit scope in KV (`["limit", "ip", subject]`). */
export const IP_LIMIT_SCOPE = "ip" satisfies QuotaScope;

const log = getLogger(["rvx", "api", "rate_limit"]);

/**
 * Counts one request of a client (a {@linkcode limitSubject}) in its sliding window, the same
 * bucketed window every quota uses; refuses (without writing) when the window is full.
 *
 * @example
 * ```ts
 * const state = await takeWindow(store, "203.0.113.7", 60, 60_000, Date.now());
 * ```
 */
export async function takeWindow(
  store: Store,
  subject: string,
  limit: number,
  windowMs: number,
  now: number,
): Promise<QuotaDecision> {
  return await reserveShared(store, { scope: IP_LIMIT_SCOPE, id: subject, limit, windowMs }, now);
}

/**
 * The limiter middleware: sets `RateLimit-*` on every answer and refuses with 429
 * `RATE_LIMIT_ERROR` and `Retry-After` once the window is full. While KV cannot count (writes
 * failing), requests go through unlimited: read-only routes such as `/api/v1/stats` are what an
 * operator needs during an outage, and the routes that write fail on their own.
 *
 * @example
 * ```ts
 * app.use("/api/*", ipRateLimit({ store, clock, limit: 60, windowSeconds: 60, trustProxy: false }));
 * ```
 */
export function ipRateLimit(options: IpRateLimitOptions): MiddlewareHandler<ApiEnv> {
  const { store, clock, limit } = options;
  const windowMs = options.windowSeconds * 1000;
  if (!(limit >= 1) || !(windowMs >= 1000)) {
    throw new RangeError("Cannot create the IP rate limit: limit ≥ 1 and a window ≥ 1 s needed");
  }
  return async function ipRateLimitMiddleware(c, next) {
    const ip = c.get("clientIp") ?? clientIp(c, options);
    const now = clock.now();
    let state;
    try {
      state = await takeWindow(store, limitSubject(ip), limit, windowMs, now);
    } catch (err) {
      if (!(err instanceof DatabaseError)) throw err;
      log.debug("Request not counted: {code}", { code: err.code, requestId: c.get("requestId") });
      return await next();
    }
    const seconds = setLimitHeaders(c, state, now, !state.allowed);
    if (!state.allowed) {
      return sendError(
        c,
        clock,
        429,
        "RATE_LIMIT_ERROR",
        t(c.get("lang"), "api_rate_limited", { seconds }),
        { scope: "ip", limit, retry_after_s: seconds },
      );
    }
    await next();
  };
}
