/**
 * BotMetrics: one summary object of the bot's durable counters (KV sums every process and
 * isolate adds to, so totals are shared and survive restarts) plus this process's live gauges.
 *
 * A "request" is a turn (an update run to its end: committed, or given up as a dead letter) or
 * an HTTP API call (2xx/3xx succeeded, 4xx/5xx failed). Averages are sums / counts; percentiles
 * are interpolated within the fixed histogram buckets.
 *
 * @module
 */
import { type ProviderStatus } from "../analysis/engine.ts";
import { type SupervisorStats } from "../actors/supervisor.ts";
import { type Clock } from "../core/clock.ts";
import { lastSeenCounter } from "../store/activity.ts";
import * as counters from "../store/counters.ts";
import { readInboxDepth } from "../store/inbox_depth.ts";
import { type Store } from "../store/kv.ts";
import { histogramCounterNames, histogramNames, readHistogram } from "./histogram.ts";

const DAY_MS = 86_400_000;

/** What {@linkcode getMetricsSummary} reads besides the store. */
export interface MetricsSummaryDeps {
  clock: Clock;
  /** The running release. @default "unknown" */
  version?: string;
  /** When this process started (epoch ms), for `uptime_seconds`. @default clock.now() */
  startedAt?: number;
  /** The supervisor's `getStats()`: resident actors and the live gauges of this process. */
  stats?: () => Promise<SupervisorStats>;
  /** The analysis engine's `providerStatus()`: breaker states of this process. */
  providerStatus?: () => ProviderStatus[];
}

/** Requests of one kind. */
export interface RequestCounts {
  total: number;
  successful: number;
  failed: number;
  /** successful / total; null with no requests. */
  success_rate: number | null;
}

/** Response-time figures of one histogram. */
export interface ResponseTime {
  count: number;
  avg_ms: number | null;
  fastest_ms: number | null;
  slowest_ms: number | null;
  /** false: fastest/slowest are bucket bounds (no exact min/max records kept). */
  exact_extremes: boolean;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

/** One AI provider's figures: durable counts plus this process's breaker state. */
export interface ProviderFigures {
  requests: number;
  successes: number;
  errors: number;
  timeouts: number;
  skipped: number;
  success_rate: number | null;
  latency: ResponseTime;
  /** Breaker state in this process (`closed`, `open`, `half-open`); null when not known here. */
  state: string | null;
  last_error_code: string | null;
}

/** What {@linkcode getMetricsSummary} returns. */
export interface MetricsSummary {
  generated_at: string;
  /** Version, uptime and this process's supervisor gauges. */
  process: Record<string, string | number>;
  /** Turns and API calls together, each kind, and the raw request counters by name. */
  requests: RequestCounts & {
    turns: RequestCounts;
    api: RequestCounts & { client_errors: number; server_errors: number };
  } & Record<string, unknown>;
  users: {
    total: number;
    active_today: number;
    active_7d: number;
    local_total: number;
    banned: number;
  };
  /** Turn durations (an update's handling up to its commit). */
  response_time: ResponseTime;
  /** HTTP API request durations. */
  api_response_time: ResponseTime;
  errors: {
    info: number;
    warning: number;
    error: number;
    critical: number;
    total: number;
    db: number;
    api: number;
  };
  cache: { hits: number; misses: number; hit_rate: number | null };
  sessions: { sessions_active: number; sessions_created: number; sessions_cleaned: number };
  analysis: { offline_fallbacks: number; providers: Record<string, ProviderFigures> };
  runtime: { inbox_depth: number; resident_actors: number | null; dead_letters: number };
  /** Every histogram: count and true average. */
  histograms: Record<string, { count: number; avg_ms: number | null }>;
  /** Every plain counter by name (histogram parts left out). */
  counters: Record<string, number>;
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null;
}

function requestCounts(successful: number, failed: number): RequestCounts {
  const total = successful + failed;
  return { total, successful, failed, success_rate: ratio(successful, total) };
}

function responseTime(all: ReadonlyMap<string, number>, name: string): ResponseTime {
  const { buckets: _buckets, sum_ms: _sum, ...figures } = readHistogram(all, name);
  return figures;
}

const PROVIDER_COUNTER = /^provider_(.+?)_(requests|successes|errors|timeouts|skipped)$/;

/**
 * Builds the summary from counters already read (pure; {@linkcode getMetricsSummary} reads them).
 *
 * @example
 * ```ts
 * const summary = summarizeMetrics(await counters.getAll(store), { now: Date.now(), inboxDepth: 0 });
 * ```
 */
export function summarizeMetrics(
  all: ReadonlyMap<string, number>,
  live: {
    now: number;
    inboxDepth: number;
    version?: string;
    uptimeSeconds?: number;
    stats?: SupervisorStats;
    providers?: ProviderStatus[];
  },
): MetricsSummary {
  const n = (name: string) => all.get(name) ?? 0;

  // A turn ends committed (`turns_total`) or dead-lettered; `turns_failed`, when recorded, is the
  // monotonic count of the latter (`dead_letters` is a gauge of the list).
  const turns = requestCounts(
    n("turns_total"),
    all.has("turns_failed") ? n("turns_failed") : n("dead_letters"),
  );
  const clientErrors = n("api_responses_4xx");
  const serverErrors = n("api_responses_5xx");
  const apiTotal = n("api_requests_total");
  const api = {
    ...requestCounts(
      Math.max(0, apiTotal - clientErrors - serverErrors),
      clientErrors + serverErrors,
    ),
    client_errors: clientErrors,
    server_errors: serverErrors,
  };

  const taken = new Set<string>();
  const histograms: MetricsSummary["histograms"] = {};
  for (const name of histogramNames(all)) {
    for (const part of histogramCounterNames(name)) taken.add(part);
    const h = readHistogram(all, name);
    histograms[name] = { count: h.count, avg_ms: h.avg_ms };
  }
  const plain = [...all].filter(([name]) => !taken.has(name)).sort(([a], [b]) =>
    a.localeCompare(b)
  );

  const providers: Record<string, ProviderFigures> = {};
  const figures = (name: string): ProviderFigures =>
    providers[name] ??= {
      requests: 0,
      successes: 0,
      errors: 0,
      timeouts: 0,
      skipped: 0,
      success_rate: null,
      latency: responseTime(all, `provider_${name}_latency`),
      state: null,
      last_error_code: null,
    };
  for (const [name, value] of plain) {
    const match = PROVIDER_COUNTER.exec(name);
    if (match) figures(match[1])[match[2] as "requests"] = value;
  }
  for (const status of live.providers ?? []) {
    const f = figures(status.name);
    f.state = status.state;
    f.last_error_code = status.lastErrorCode;
  }
  for (const f of Object.values(providers)) f.success_rate = ratio(f.successes, f.requests);

  const activeDays = Array.from({ length: 7 }, (_, i) => n(lastSeenCounter(live.now - i * DAY_MS)));
  const levels = {
    info: n("errors_info"),
    warning: n("errors_warning"),
    error: n("errors_error"),
    critical: n("errors_critical"),
  };
  const hits = n("cache_hits");
  const misses = n("cache_misses");

  return {
    generated_at: new Date(live.now).toISOString(),
    process: {
      version: live.version ?? "unknown",
      ...(live.uptimeSeconds === undefined ? {} : { uptime_seconds: live.uptimeSeconds }),
      ...(live.stats ?? {}),
    },
    requests: {
      ...requestCounts(turns.successful + api.successful, turns.failed + api.failed),
      turns,
      api,
      ...Object.fromEntries(
        [
          "api_requests_total",
          "api_responses_2xx",
          "api_responses_4xx",
          "api_responses_5xx",
          "turns_total",
          "analyses_total",
          "ingest_duplicates",
          "ingest_rejected",
        ].map((name) => [name, n(name)]),
      ),
    },
    users: {
      total: n("users_total"),
      active_today: Math.max(0, activeDays[0]),
      active_7d: Math.max(0, activeDays.reduce((s, v) => s + v, 0)),
      local_total: n("local_users_total"),
      banned: n("banned_total"),
    },
    response_time: responseTime(all, "turn_ms"),
    api_response_time: responseTime(all, "api_request_ms"),
    errors: {
      ...levels,
      total: levels.info + levels.warning + levels.error + levels.critical,
      db: n("errors_db"),
      api: n("errors_api"),
    },
    cache: { hits, misses, hit_rate: ratio(hits, hits + misses) },
    sessions: {
      sessions_active: n("sessions_active"),
      sessions_created: n("sessions_created"),
      sessions_cleaned: n("sessions_cleaned"),
    },
    analysis: { offline_fallbacks: n("analysis_offline_fallbacks"), providers },
    runtime: {
      inbox_depth: live.stats?.inbox_depth ?? live.inboxDepth,
      resident_actors: live.stats?.resident_actors ?? null,
      dead_letters: n("dead_letters"),
    },
    histograms,
    counters: Object.fromEntries(plain),
  };
}

/**
 * Reads every counter and the live gauges and returns the BotMetrics summary: requests, users,
 * response time, errors, cache, sessions, providers, inbox depth, resident actors, dead letters.
 *
 * @example
 * ```ts
 * const summary = await getMetricsSummary(store, { clock, version: VERSION, stats: () => supervisor.getStats() });
 * summary.requests.success_rate;
 * ```
 */
export async function getMetricsSummary(
  store: Store,
  deps: MetricsSummaryDeps,
): Promise<MetricsSummary> {
  const [all, stats, depth] = await Promise.all([
    counters.getAll(store),
    deps.stats?.(),
    // The supervisor's stats carry the depth when given.
    deps.stats ? 0 : readInboxDepth(store),
  ]);
  const now = deps.clock.now();
  return summarizeMetrics(all, {
    now,
    inboxDepth: depth,
    version: deps.version,
    uptimeSeconds: Math.round((now - (deps.startedAt ?? now)) / 1000),
    stats,
    providers: deps.providerStatus?.(),
  });
}
