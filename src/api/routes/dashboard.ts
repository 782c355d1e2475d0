/**
 * `GET /dashboard` (admin page): gathers the metrics series, provider status, cron runs, backups
 * and health, and renders them on the server.
 *
 * @module
 */
import { z } from "@hono/zod-openapi";
import { type SupervisorStats } from "../../actors/supervisor.ts";
import { type AnalysisEngine } from "../../analysis/engine.ts";
import { type Clock } from "../../core/clock.ts";
import { ROLLUP_KEEP_MS, ROLLUP_SERIES, SNAPSHOT_SERIES } from "../../jobs/metrics.ts";
import { CRON_SCHEDULES } from "../../jobs/mod.ts";
import { type BackupService } from "../../store/backups.ts";
import { listRuns } from "../../store/cron_runs.ts";
import { metaKeys } from "../../store/keys.ts";
import { type Store } from "../../store/kv.ts";
import { listPoints } from "../../store/series.ts";
import { addRoute, type ApiRouter, createRouter, type Guard } from "../openapi.ts";
import {
  DASHBOARD_CSP,
  DASHBOARD_RANGES,
  type DashboardData,
  type DashboardHealth,
  type DashboardRange,
  renderDashboard,
} from "../views/dashboard.ts";

/** What the dashboard reads. */
export interface DashboardDeps {
  store: Store;
  clock: Clock;
  /** When the process started (epoch ms). */
  startedAt: number;
  version: string;
  engine: Pick<AnalysisEngine, "providerStatus">;
  /** The page guard (`auth.page`). */
  guard: Guard;
  stats?: () => Promise<SupervisorStats>;
  backups?: Pick<BackupService, "list">;
  /** Seconds between reloads. @default 30 */
  refreshSeconds?: number;
}

/** Runs listed per cron. */
const RUNS_PER_CRON = 10;

/**
 * Collects what the page shows (each part fails on its own: a broken part shows as such).
 *
 * @example
 * ```ts
 * const data = await collectDashboard(deps, "6h");
 * ```
 */
export async function collectDashboard(
  deps: DashboardDeps,
  range: DashboardRange,
): Promise<DashboardData> {
  const { store, clock } = deps;
  const now = clock.now();
  const health = await probeHealth(deps);
  const [rollup, snapshots, crons, stats, backups] = await Promise.all([
    listPoints<DashboardData["rollup"][number]["value"]>(store, ROLLUP_SERIES, {
      since: now - Math.min(DASHBOARD_RANGES[range], ROLLUP_KEEP_MS),
      limit: 3000,
    }).catch(() => []),
    listPoints<unknown>(store, SNAPSHOT_SERIES, { reverse: true, limit: 400 })
      .then((points) => points.reverse()).catch(() => []),
    Promise.all(
      Object.entries(CRON_SCHEDULES).map(async ([name, schedule]) => ({
        name,
        schedule,
        runs: await listRuns(store, name, RUNS_PER_CRON).catch(() => []),
      })),
    ),
    deps.stats ? deps.stats().catch(() => null) : Promise.resolve(null),
    deps.backups
      ? deps.backups.list().then(
        (list) => ({ list, error: null }),
        (err) => ({ list: [], error: err instanceof Error ? err.message : String(err) }),
      )
      : Promise.resolve({ list: null, error: null }),
  ]);
  return {
    now,
    range,
    refreshSeconds: deps.refreshSeconds ?? 30,
    health,
    stats,
    rollup,
    snapshots,
    providers: deps.engine.providerStatus(),
    crons,
    backups: backups.list,
    backupsError: backups.error,
  };
}

async function probeHealth(deps: DashboardDeps): Promise<DashboardHealth> {
  const { store, clock } = deps;
  const base = {
    generation: store.generation,
    lastCommitError: store.lastCommitError
      ? { at: store.lastCommitError.at, code: store.lastCommitError.code }
      : null,
    version: deps.version,
    uptimeS: Math.round((clock.now() - deps.startedAt) / 1000),
  };
  const started = performance.now();
  try {
    await store.kv.get(metaKeys.schemaVersion);
    return {
      ...base,
      kvOk: true,
      readMs: Math.round((performance.now() - started) * 100) / 100,
      errorCode: null,
    };
  } catch (err) {
    return {
      ...base,
      kvOk: false,
      readMs: null,
      errorCode: err instanceof Error ? err.name : "UNKNOWN",
    };
  }
}

/**
 * @example
 * ```ts
 * app.route("/", dashboardRoutes({ store, clock, startedAt, version, engine, guard: auth.page }));
 * ```
 */
export function dashboardRoutes(deps: DashboardDeps): ApiRouter {
  const router = createRouter();
  addRoute(router, deps.clock, {
    method: "get",
    path: "/dashboard",
    tags: ["admin"],
    summary: "The operator's dashboard (HTML): charts, providers, cron runs, backups, health",
    description: "Also takes the admin token once as `?token=` (then an HttpOnly cookie); " +
      "without it answers 401 with a token form.",
    guard: deps.guard,
    query: z.object({
      range: z.enum(Object.keys(DASHBOARD_RANGES) as [DashboardRange, ...DashboardRange[]])
        .default("6h"),
    }),
    success: { kind: "text", mediaType: "text/html", description: "The dashboard page" },
  }, async (c, { query }) => {
    const data = await collectDashboard(deps, query.range);
    c.header("Content-Security-Policy", DASHBOARD_CSP);
    c.header("Cache-Control", "no-store");
    return c.html(renderDashboard(data));
  });
  return router;
}
