/**
 * `GET /api/v1/metrics` (a summary BotResponse) and `GET /metrics` (Prometheus text), both from
 * the durable counters every process adds to.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { type SupervisorStats } from "../../actors/supervisor.ts";
import { type Clock } from "../../core/clock.ts";
import * as counters from "../../store/counters.ts";
import { type Store } from "../../store/kv.ts";
import { metricsSummary, prometheusText } from "../metrics_view.ts";
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
}

const SummarySchema = z.object({
  process: z.record(z.string(), z.unknown()),
  requests: z.record(z.string(), z.number()),
  errors: z.object({
    info: z.number(),
    warning: z.number(),
    error: z.number(),
    critical: z.number(),
    db: z.number(),
    api: z.number(),
  }),
  cache: z.object({ hits: z.number(), misses: z.number(), hit_rate: z.number().nullable() }),
  analysis: z.record(z.string(), z.unknown()),
  sessions: z.record(z.string(), z.number()),
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

  async function processGauges(): Promise<Record<string, number>> {
    const stats = await deps.stats?.();
    return {
      uptime_seconds: Math.round((clock.now() - deps.startedAt) / 1000),
      ...(stats ? { ...stats } : {}),
    };
  }

  addRoute(router, clock, {
    method: "get",
    path: "/api/v1/metrics",
    tags: ["admin"],
    summary: "Metrics summary: requests, errors by level, cache, providers",
    guard: deps.guard,
    success: { kind: "json", data: SummarySchema },
  }, async (c) => {
    const [all, gauges] = await Promise.all([counters.getAll(store), processGauges()]);
    return sendOk(c, clock, metricsSummary(all, { version: deps.version, ...gauges }));
  });
  addRoute(router, clock, {
    method: "get",
    path: "/metrics",
    tags: ["admin"],
    summary: "Prometheus text exposition, names prefixed rvx_",
    guard: deps.guard,
    success: {
      kind: "text",
      mediaType: "text/plain; version=0.0.4",
      description: "Prometheus text format 0.0.4",
    },
  }, async (c) => {
    const [all, gauges] = await Promise.all([counters.getAll(store), processGauges()]);
    c.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    c.header("Cache-Control", "no-store");
    return c.body(prometheusText(all, gauges, deps.version));
  });
  return router;
}
