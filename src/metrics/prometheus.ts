/**
 * Prometheus text exposition (format 0.0.4) of BotMetrics: every durable counter as `rvx_<name>`,
 * the histograms with cumulative buckets ending in `+Inf`, and the summary's derived figures
 * (requests by source and outcome, active users, response-time percentiles, ratios, providers).
 *
 * @module
 */
import { type MetricsSummary } from "./bot_metrics.ts";
import { histogramCounterNames, histogramNames, readHistogram } from "./histogram.ts";

/** Counters that go up and down. */
const GAUGE =
  /^(sessions_(active|in_\w+|pending_\w+)|users_total|local_users_total|banned_total|dead_letters)$/;

/** Per-day counters: shown as the derived active-user gauges instead of one series per day. */
const PER_DAY = /^users_last_seen_\d{8}$/;

/**
 * A valid Prometheus metric name with the `rvx_` prefix.
 *
 * @example
 * ```ts
 * metricName("provider_a-b_requests"); // "rvx_provider_a_b_requests"
 * ```
 */
export function metricName(name: string): string {
  return `rvx_${name.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

function labelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function labels(set: Record<string, string>): string {
  const parts = Object.entries(set).map(([k, v]) => `${k}="${labelValue(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function num(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  return Number.isFinite(value) ? String(value) : value > 0 ? "+Inf" : "-Inf";
}

/** Collects families so each name gets one HELP/TYPE and its samples together. */
class Exposition {
  readonly #lines: string[] = [];
  readonly #seen = new Set<string>();

  has(metric: string): boolean {
    return this.#seen.has(metric);
  }

  family(
    metric: string,
    type: "counter" | "gauge" | "histogram",
    help: string,
    samples: [Record<string, string>, number | null][],
  ): void {
    const present = samples.filter((s): s is [Record<string, string>, number] => s[1] !== null);
    if (this.#seen.has(metric) || present.length === 0) return;
    this.#seen.add(metric);
    this.#lines.push(`# HELP ${metric} ${help}`, `# TYPE ${metric} ${type}`);
    for (const [set, value] of present) this.#lines.push(`${metric}${labels(set)} ${num(value)}`);
  }

  histogram(metric: string, help: string, h: ReturnType<typeof readHistogram>): void {
    if (this.#seen.has(metric)) return;
    this.#seen.add(metric);
    this.#lines.push(`# HELP ${metric} ${help}`, `# TYPE ${metric} histogram`);
    for (const b of h.buckets) {
      this.#lines.push(`${metric}_bucket${labels({ le: b.le })} ${b.count}`);
    }
    this.#lines.push(`${metric}_sum ${num(h.sum_ms)}`, `${metric}_count ${h.count}`);
  }

  text(): string {
    return `${this.#lines.join("\n")}\n`;
  }
}

const STATS: Record<string, string> = {
  p50_ms: "p50",
  p95_ms: "p95",
  p99_ms: "p99",
  avg_ms: "avg",
  fastest_ms: "fastest",
  slowest_ms: "slowest",
};

/**
 * Renders the summary and the raw counters as Prometheus text.
 *
 * @example
 * ```ts
 * const all = await counters.getAll(store);
 * const text = prometheusText(all, await getMetricsSummary(store, { clock }));
 * ```
 */
export function prometheusText(all: ReadonlyMap<string, number>, summary: MetricsSummary): string {
  const out = new Exposition();
  out.family("rvx_build_info", "gauge", "The running release.", [[{
    version: String(summary.process.version ?? "unknown"),
  }, 1]]);

  const { requests: r } = summary;
  out.family("rvx_requests_total", "counter", "Turns and API calls by outcome.", [
    [{ source: "turn", outcome: "success" }, r.turns.successful],
    [{ source: "turn", outcome: "failure" }, r.turns.failed],
    [{ source: "api", outcome: "success" }, r.api.successful],
    [{ source: "api", outcome: "failure" }, r.api.failed],
  ]);
  out.family("rvx_request_success_ratio", "gauge", "Successful / all requests.", [
    [{}, r.success_rate],
  ]);
  out.family("rvx_users_active", "gauge", "Users last seen within the window (UTC days).", [
    [{ window: "today" }, summary.users.active_today],
    [{ window: "7d" }, summary.users.active_7d],
  ]);
  for (
    const [metric, rt, help] of [
      ["rvx_response_time_ms", summary.response_time, "Turn duration figures (ms)."],
      ["rvx_api_response_time_ms", summary.api_response_time, "API request duration figures (ms)."],
    ] as const
  ) {
    out.family(
      metric,
      "gauge",
      `${help} Percentiles interpolated within buckets.`,
      Object.entries(STATS).map((
        [key, stat],
      ) => [{ stat }, rt[key as keyof typeof rt] as number | null]),
    );
  }
  out.family("rvx_cache_hit_ratio", "gauge", "Analysis cache hits / lookups.", [
    [{}, summary.cache.hit_rate],
  ]);
  out.family("rvx_errors_total", "counter", "Reported errors by level.", [
    [{ level: "info" }, summary.errors.info],
    [{ level: "warning" }, summary.errors.warning],
    [{ level: "error" }, summary.errors.error],
    [{ level: "critical" }, summary.errors.critical],
  ]);
  const providers = Object.entries(summary.analysis.providers);
  out.family(
    "rvx_provider_success_ratio",
    "gauge",
    "Provider successes / requests.",
    providers.map(([provider, f]) => [{ provider }, f.success_rate]),
  );
  out.family(
    "rvx_provider_breaker_open",
    "gauge",
    "1 while the provider's breaker is not closed in this process.",
    providers.map((
      [provider, f],
    ) => [{ provider }, f.state === null ? null : Number(f.state !== "closed")]),
  );
  out.family("rvx_inbox_depth", "gauge", "Updates waiting in inboxes.", [[
    {},
    summary.runtime.inbox_depth,
  ]]);
  out.family("rvx_resident_actors", "gauge", "Actors in this process's memory.", [[
    {},
    summary.runtime.resident_actors,
  ]]);
  for (const [name, value] of Object.entries(summary.process)) {
    if (typeof value !== "number") continue;
    out.family(metricName(name), "gauge", `Process gauge ${name}.`, [[{}, value]]);
  }

  const parts = new Set<string>();
  for (const name of histogramNames(all)) {
    for (const part of histogramCounterNames(name)) parts.add(part);
  }
  for (const [name, value] of [...all].sort(([a], [b]) => a.localeCompare(b))) {
    if (parts.has(name) || PER_DAY.test(name)) continue;
    const gauge = GAUGE.test(name);
    out.family(metricName(name), gauge ? "gauge" : "counter", `Counter ${name}.`, [[{}, value]]);
  }
  for (const name of histogramNames(all)) {
    out.histogram(
      metricName(name),
      `Durations of ${name} in milliseconds.`,
      readHistogram(all, name),
    );
  }
  return out.text();
}
