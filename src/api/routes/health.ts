/**
 * `GET /health`: liveness. One KV read (never a write) and the last commit error, if any.
 * Requests arriving while a read is in flight share it, so a burst of probes costs one read.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { type Clock } from "../../core/clock.ts";
import { toAppError } from "../../core/errors.ts";
import { metaKeys } from "../../store/keys.ts";
import { type Store } from "../../store/kv.ts";
import { addRoute, type ApiRouter, createRouter } from "../openapi.ts";
import { sendError, sendOk } from "../respond.ts";

/** What the health route reads. */
export interface HealthDeps {
  store: Store;
  clock: Clock;
  /** When the process started (epoch ms). */
  startedAt: number;
  version: string;
}

interface KvProbe {
  schemaVersion: number | null;
  readMs: number;
}

const HealthSchema = z.object({
  status: z.enum(["ok", "unavailable"]),
  kv: z.object({
    ok: z.boolean(),
    read_ms: z.number().optional(),
    error_code: z.string().optional(),
  }),
  schema_version: z.number().nullable().optional(),
  generation: z.number().optional(),
  version: z.string(),
  uptime_s: z.number(),
  last_commit_error: z.object({ at: z.string(), code: z.string() }).nullable(),
}).openapi("Health");

/**
 * @example
 * ```ts
 * app.route("/", healthRoutes({ store, clock, startedAt: Date.now(), version: "0.1.0" }));
 * ```
 */
export function healthRoutes(deps: HealthDeps): ApiRouter {
  const router = createRouter();
  const { store, clock } = deps;
  let inFlight: Promise<KvProbe> | null = null;

  /** One KV read shared by the requests that arrive while it runs (probes stay fresh and cheap). */
  function probeKv(): Promise<KvProbe> {
    if (inFlight) return inFlight;
    const probe = (async () => {
      const started = performance.now();
      const schema = await store.kv.get<number>(metaKeys.schemaVersion);
      return {
        schemaVersion: schema.value,
        readMs: Math.round((performance.now() - started) * 100) / 100,
      };
    })();
    inFlight = probe;
    probe.finally(() => {
      if (inFlight === probe) inFlight = null;
    }).catch(() => {/* each caller handles the failure */});
    return probe;
  }

  addRoute(router, clock, {
    method: "get",
    path: "/health",
    tags: ["public"],
    summary: "Liveness: one KV read and the last commit error",
    description:
      "Not rate-limited. Answers 503 `UNAVAILABLE` (with the same data) while KV is down.",
    success: { kind: "json", data: HealthSchema },
    errors: [503],
  }, async (c) => {
    const base = {
      version: deps.version,
      uptime_s: Math.round((clock.now() - deps.startedAt) / 1000),
      last_commit_error: store.lastCommitError && {
        at: new Date(store.lastCommitError.at).toISOString(),
        code: store.lastCommitError.code,
      },
    };
    try {
      const probe = await probeKv();
      return sendOk(c, clock, {
        status: "ok",
        kv: { ok: true, read_ms: probe.readMs },
        schema_version: probe.schemaVersion,
        generation: store.generation,
        ...base,
      });
    } catch (err) {
      const appError = toAppError(err, { operation: "health.kv_read" });
      return sendError(c, clock, 503, "UNAVAILABLE", "KV is unavailable", {
        status: "unavailable",
        kv: { ok: false, error_code: appError.code },
        ...base,
      });
    }
  });
  return router;
}
