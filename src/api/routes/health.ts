/**
 * `GET /health`: liveness. One KV read (never a write) and the last commit error, if any.
 *
 * @module
 */
import { Hono } from "hono";
import { type Clock } from "../../core/clock.ts";
import { toAppError } from "../../core/errors.ts";
import { metaKeys } from "../../store/keys.ts";
import { type Store } from "../../store/kv.ts";
import { type ApiEnv } from "../env.ts";
import { sendError, sendOk } from "../respond.ts";

/** What the health route reads. */
export interface HealthDeps {
  store: Store;
  clock: Clock;
  /** When the process started (epoch ms). */
  startedAt: number;
  version: string;
}

/**
 * @example
 * ```ts
 * app.route("/", healthRoutes({ store, clock, startedAt: Date.now(), version: "0.1.0" }));
 * ```
 */
export function healthRoutes(deps: HealthDeps): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.get("/health", async (c) => {
    const { store, clock } = deps;
    const base = {
      version: deps.version,
      uptime_s: Math.round((clock.now() - deps.startedAt) / 1000),
      last_commit_error: store.lastCommitError && {
        at: new Date(store.lastCommitError.at).toISOString(),
        code: store.lastCommitError.code,
      },
    };
    const readStarted = performance.now();
    try {
      const schema = await store.kv.get<number>(metaKeys.schemaVersion);
      return sendOk(c, clock, {
        status: "ok",
        kv: { ok: true, read_ms: Math.round((performance.now() - readStarted) * 100) / 100 },
        schema_version: schema.value,
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
  return app;
}
