/**
 * The access log: one structured line per request (method, path without the query, status,
 * duration, request id, client), never headers or bodies; and request counters.
 *
 * @module
 */
import { type MiddlewareHandler } from "hono";
import { getLogger } from "@logtape/logtape";
import { type MetricsSink } from "../../core/sinks.ts";
import { type ApiEnv } from "../env.ts";

const log = getLogger(["rvx", "api", "access"]);

/** Paths probed often enough that their lines go to debug. */
const QUIET = new Set(["/health"]);

/**
 * @example
 * ```ts
 * app.use(accessLog(metrics));
 * ```
 */
export function accessLog(metrics?: MetricsSink): MiddlewareHandler<ApiEnv> {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    try {
      await next();
    } finally {
      const durationMs = Math.round((performance.now() - started) * 100) / 100;
      const status = c.res.status;
      const level = QUIET.has(c.req.path) ? "debug" : "info";
      if (log.isEnabledFor(level)) {
        const path = c.req.path.length > 200 ? `${c.req.path.slice(0, 199)}…` : c.req.path;
        log[level]("{method} {path} {status} in {durationMs} ms", {
          method: c.req.method,
          path,
          status,
          durationMs,
          requestId: c.get("requestId"),
          clientIp: c.get("clientIp") ?? null,
        });
      }
      if (metrics) {
        metrics.count("api_requests_total");
        metrics.count(`api_responses_${Math.floor(status / 100)}xx`);
        metrics.observe("api_request_ms", durationMs);
      }
    }
  };
}
