/**
 * What the metrics routes show, from the durable counters: a summary object for
 * `/api/v1/metrics` and Prometheus text (names prefixed `rvx_`) for `/metrics`.
 *
 * Histograms are stored as `<name>_count`, `<name>_sum_us` and `<name>_bucket_<le|inf>`
 * counters (see `src/store/counters.ts`); both views put them back together.
 *
 * @module
 */
import { HISTOGRAM_BUCKETS_MS } from "../store/counters.ts";

/** Counters that go up and down. */
const GAUGE =
  /^(sessions_(active|in_\w+|pending_\w+)|users_total|local_users_total|banned_total|users_last_seen_\d{8}|dead_letters)$/;

/** A histogram rebuilt from its counters. */
export interface HistogramView {
  count: number;
  sum_ms: number;
  avg_ms: number | null;
  /** Per upper bound (ms, `+Inf` last): how many observations were at or below it. */
  buckets: { le: string; count: number }[];
}

/** Splits counters into histograms and plain counters. */
export function splitHistograms(
  counters: Map<string, number>,
): { histograms: Map<string, HistogramView>; plain: Map<string, number> } {
  const names = [...counters.keys()].filter((n) => n.endsWith("_sum_us")).map((n) =>
    n.slice(0, -"_sum_us".length)
  );
  const histograms = new Map<string, HistogramView>();
  const taken = new Set<string>();
  for (const name of names) {
    const count = counters.get(`${name}_count`) ?? 0;
    const sumMs = (counters.get(`${name}_sum_us`) ?? 0) / 1000;
    let cumulative = 0;
    const buckets = [...HISTOGRAM_BUCKETS_MS.map(String), "inf"].map((le) => {
      const key = `${name}_bucket_${le}`;
      taken.add(key);
      cumulative += counters.get(key) ?? 0;
      return { le: le === "inf" ? "+Inf" : le, count: cumulative };
    });
    taken.add(`${name}_count`).add(`${name}_sum_us`);
    histograms.set(name, {
      count,
      sum_ms: Math.round(sumMs * 1000) / 1000,
      avg_ms: count > 0 ? Math.round((sumMs / count) * 1000) / 1000 : null,
      buckets,
    });
  }
  const plain = new Map([...counters].filter(([name]) => !taken.has(name)));
  return { histograms, plain };
}

function pick(counters: Map<string, number>, names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, counters.get(name) ?? 0]));
}

/**
 * The summary of `/api/v1/metrics`: requests, errors by level, cache, providers, histograms,
 * and every counter by name.
 *
 * @example
 * ```ts
 * const summary = metricsSummary(await counters.getAll(store), { uptime_s: 12 });
 * ```
 */
export function metricsSummary(
  counters: Map<string, number>,
  process: Record<string, unknown>,
): Record<string, unknown> {
  const { histograms, plain } = splitHistograms(counters);
  const hits = counters.get("cache_hits") ?? 0;
  const misses = counters.get("cache_misses") ?? 0;
  const providers: Record<string, Record<string, number>> = {};
  for (const [name, value] of plain) {
    const match = /^provider_(\w+?)_(requests|successes|errors|timeouts|skipped)$/.exec(name);
    if (match) (providers[match[1]] ??= {})[match[2]] = value;
  }
  return {
    process,
    requests: pick(counters, [
      "api_requests_total",
      "api_responses_2xx",
      "api_responses_4xx",
      "api_responses_5xx",
      "turns_total",
      "analyses_total",
      "ingest_duplicates",
      "ingest_rejected",
    ]),
    errors: {
      info: counters.get("errors_info") ?? 0,
      warning: counters.get("errors_warning") ?? 0,
      error: counters.get("errors_error") ?? 0,
      critical: counters.get("errors_critical") ?? 0,
      db: counters.get("errors_db") ?? 0,
      api: counters.get("errors_api") ?? 0,
    },
    cache: {
      hits,
      misses,
      hit_rate: hits + misses > 0 ? Math.round((hits / (hits + misses)) * 1000) / 1000 : null,
    },
    analysis: {
      offline_fallbacks: counters.get("analysis_offline_fallbacks") ?? 0,
      providers,
    },
    sessions: pick(counters, ["sessions_active", "sessions_created", "sessions_cleaned"]),
    histograms: Object.fromEntries(
      [...histograms].map(([name, h]) => [name, { count: h.count, avg_ms: h.avg_ms }]),
    ),
    counters: Object.fromEntries([...plain].sort(([a], [b]) => a.localeCompare(b))),
  };
}

function metricName(name: string): string {
  return `rvx_${name.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

function num(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? "+Inf" : "-Inf";
}

/**
 * Prometheus text exposition (format 0.0.4) of the counters, histograms and process gauges.
 *
 * @example
 * ```ts
 * const text = prometheusText(await counters.getAll(store), { uptime_seconds: 12 }, "0.1.0");
 * ```
 */
export function prometheusText(
  counters: Map<string, number>,
  gauges: Record<string, number>,
  version: string,
): string {
  const { histograms, plain } = splitHistograms(counters);
  const lines: string[] = [
    "# HELP rvx_build_info The running release.",
    "# TYPE rvx_build_info gauge",
    `rvx_build_info{version="${version.replace(/["\\\n]/g, "_")}"} 1`,
  ];
  for (const [name, value] of Object.entries(gauges).sort(([a], [b]) => a.localeCompare(b))) {
    const metric = metricName(name);
    lines.push(`# TYPE ${metric} gauge`, `${metric} ${num(value)}`);
  }
  for (const [name, value] of [...plain].sort(([a], [b]) => a.localeCompare(b))) {
    const metric = metricName(name);
    if (name in gauges) continue;
    lines.push(
      `# TYPE ${metric} ${GAUGE.test(name) ? "gauge" : "counter"}`,
      `${metric} ${num(value)}`,
    );
  }
  for (const [name, h] of [...histograms].sort(([a], [b]) => a.localeCompare(b))) {
    const metric = metricName(name);
    lines.push(`# HELP ${metric} Durations in milliseconds.`, `# TYPE ${metric} histogram`);
    for (const bucket of h.buckets) {
      lines.push(`${metric}_bucket{le="${bucket.le}"} ${bucket.count}`);
    }
    lines.push(`${metric}_sum ${h.sum_ms}`, `${metric}_count ${h.count}`);
  }
  return `${lines.join("\n")}\n`;
}
