/**
 * `GET /api/v1/metrics` (the BotMetrics summary in a BotResponse) and `GET /metrics` (Prometheus
 * text), both from the durable counters every process adds to (`src/metrics/`).
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { type AnalysisEngine } from "../../analysis/engine.ts";
import { type SupervisorStats } from "../../actors/supervisor.ts";
import { type Clock } from "../../core/clock.ts";
import { type Store } from "../../store/kv.ts";
import { getMetricsSummary, type MetricsSummaryDeps, metricsText } from "../metrics_view.ts";
import { addRoute, type ApiRouter, createRouter, type Guard } from "../openapi.ts";
import { sendOk } from "../respond.ts";

/** What the metrics routes read. */
export interface MetricsDeps {
  store: Store;
  clock: Clock;
  guard: Guard;
  startedAt: number;
  version: string;
  stats?: () => Promise<SupervisorStats>;
  /** For the providers' breaker states in this process. */
  engine?: Pick<AnalysisEngine, "providerStatus">;
}

const RequestCountsSchema = z.object({
  total: z.number(),
  successful: z.number(),
  failed: z.number(),
  success_rate: z.number().nullable(),
});

const ResponseTimeSchema = z.object({
  count: z.number(),
  avg_ms: z.number().nullable(),
  fastest_ms: z.number().nullable(),
  slowest_ms: z.number().nullable(),
  exact_extremes: z.boolean(),
  p50_ms: z.number().nullable(),
  p95_ms: z.number().nullable(),
  p99_ms: z.number().nullable(),
});

const SummarySchema = z.object({
  generated_at: z.string(),
  process: z.record(z.string(), z.union([z.string(), z.number()])),
  requests: RequestCountsSchema.extend({
    turns: RequestCountsSchema,
    api: RequestCountsSchema.extend({ client_errors: z.number(), server_errors: z.number() }),
  }).catchall(z.unknown()),
  users: z.object({
    total: z.number(),
    active_today: z.number(),
    active_7d: z.number(),
    local_total: z.number(),
    banned: z.number(),
  }),
  response_time: ResponseTimeSchema,
  api_response_time: ResponseTimeSchema,
  errors: z.object({
    info: z.number(),
    warning: z.number(),
    error: z.number(),
    critical: z.number(),
    total: z.number(),
    db: z.number(),
    api: z.number(),
  }),
  cache: z.object({ hits: z.number(), misses: z.number(), hit_rate: z.number().nullable() }),
  sessions: z.record(z.string(), z.number()),
  analysis: z.object({
    offline_fallbacks: z.number(),
    providers: z.record(
      z.string(),
      z.object({
        requests: z.number(),
        successes: z.number(),
        errors: z.number(),
        timeouts: z.number(),
        skipped: z.number(),
        success_rate: z.number().nullable(),
        latency: ResponseTimeSchema,
        state: z.string().nullable(),
        last_error_code: z.string().nullable(),
      }),
    ),
  }),
  runtime: z.object({
    inbox_depth: z.number(),
    resident_actors: z.number().nullable(),
    dead_letters: z.number(),
  }),
  histograms: z.record(z.string(), z.object({ count: z.number(), avg_ms: z.number().nullable() })),
  counters: z.record(z.string(), z.number()),
}).openapi("MetricsSummary");

/**
 * @example
 * ```ts
 * app.route("/", metricsRoutes({ store, clock, guard: auth.admin, startedAt, version }));
 * ```
 */
export function metricsRoutes(deps: MetricsDeps): ApiRouter {
  const router = createRouter();
  const { store, clock } = deps;
  const summaryDeps: MetricsSummaryDeps = {
    clock,
    version: deps.version,
    startedAt: deps.startedAt,
    stats: deps.stats,
    providerStatus: deps.engine ? () => deps.engine!.providerStatus() : undefined,
  };

  addRoute(router, clock, {
    method: "get",
    path: "/api/v1/metrics",
    operationId: "getMetricsSummary",
    tags: ["admin"],
    summary: "Metrics summary: requests, errors by level, cache, providers",
    guard: deps.guard,
    success: { kind: "json", data: SummarySchema },
  }, async (c) => sendOk(c, clock, await getMetricsSummary(store, summaryDeps)));
  addRoute(router, clock, {
    method: "get",
    path: "/metrics",
    operationId: "getPrometheusMetrics",
    tags: ["admin"],
    summary: "Prometheus text exposition, names prefixed rvx_",
    guard: deps.guard,
    success: {
      kind: "text",
      mediaType: "text/plain; version=0.0.4",
      description: "Prometheus text format 0.0.4",
    },
  }, async (c) => {
    const text = await metricsText(store, summaryDeps);
    c.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    c.header("Cache-Control", "no-store");
    return c.body(text);
  });
  return router;
}
