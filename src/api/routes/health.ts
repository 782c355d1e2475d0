/**
 * `GET /health` in the API and its OpenAPI description; the handler is `health_check.ts`.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { addRoute, type ApiRouter, createRouter } from "../openapi.ts";
import { type Clock } from "../../core/clock.ts";
import { healthCheck, type HealthProbe } from "./health_check.ts";

export {
  type HealthDeps,
  type HealthProbe,
  healthProbe,
  KV_READ_FRESH_MS,
  WRITE_PROBE_INTERVAL_MS,
} from "./health_check.ts";

const HealthSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  kv: z.object({
    ok: z.boolean(),
    read_ms: z.number().optional(),
    /** False while the latest commit failed and none has succeeded since. */
    write_ok: z.boolean().optional(),
    error_code: z.string().optional(),
    /** When commits started failing (ISO time), while they fail. */
    failing_since: z.string().optional(),
  }),
  schema_version: z.number().nullable().optional(),
  /** The schema fence: `current`, or why this process takes no updates. */
  schema: z.object({
    status: z.enum(["current", "waiting", "stopped"]),
    code: z.number(),
    stored: z.number().nullable(),
    error_code: z.string().nullable(),
    reason: z.string().nullable(),
  }).optional(),
  generation: z.number().optional(),
  version: z.string(),
  uptime_s: z.number(),
  last_commit_error: z.object({ at: z.string(), code: z.string() }).nullable(),
}).openapi("Health");

/**
 * @example
 * ```ts
 * const probe = healthProbe({ store, clock, startedAt: Date.now(), version: "0.1.0" });
 * app.route("/", healthRoutes({ clock, probe }));
 * ```
 */
export function healthRoutes(deps: { clock: Clock; probe: HealthProbe }): ApiRouter {
  const router = createRouter();
  addRoute(router, deps.clock, {
    method: "get",
    path: "/health",
    operationId: "getHealth",
    tags: ["public"],
    summary: "Liveness: one KV read, and whether KV takes writes",
    description: "Not rate-limited. Answers 503 `UNAVAILABLE` (with the same data) while KV is " +
      "down or its writes fail (the latest commit failed and none has succeeded since, e.g. a " +
      "full disk: `kv.write_ok` false, `kv.error_code` `KV_DISK_FULL`), and with " +
      "`SCHEMA_CHANGED` (a newer version migrated the KV: this process stopped) or " +
      "`SCHEMA_BEHIND` (the KV is not migrated to this code's schema yet) while `schema.status` " +
      "is not `current`.",
    success: { kind: "json", data: HealthSchema },
    errors: [503],
  }, healthCheck(deps.clock, deps.probe));
  return router;
}
