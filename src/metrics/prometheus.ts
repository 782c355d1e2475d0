/**
 * Prometheus text exposition (format 0.0.4) of the durable counters, named as Prometheus asks
 * (`promtool check metrics` passes): counters end in `_total`, durations are histograms in seconds
 * (`_bucket`, `_sum`, `_count`), providers, levels and status classes are labels.
 *
 * Every figure is a KV total shared by all processes, so any instance answers the same scrape.
 * What only one process knows (resident actors, breaker states, uptime) is left out: on Deploy a
 * scrape reaches an arbitrary isolate, and a per-instance label would make unbounded series. The
 * JSON summary (`/api/v1/metrics`) still shows them for the process that answers. Ratios and
 * percentiles are left to PromQL (docs/OPERATIONS.md, "Metrics").
 *
 * @module
 */
import { HISTOGRAM_BUCKETS_MS } from "../store/counters.ts";
import { type MetricsSummary } from "./bot_metrics.ts";
import { histogramCounterNames, histogramNames, readHistogram } from "./histogram.ts";

type MetricType = "counter" | "gauge" | "histogram";
type Labels = Record<string, string>;

/** Where one stored counter goes: its family, the family's type and help, and its labels. */
interface Exposed {
  metric: string;
  type: MetricType;
  help: string;
  labels: Labels;
}

/** A stored counter's name → how it is exposed (`null`: left out). First match wins. */
const COUNTER_RULES: [RegExp, (m: RegExpExecArray) => Exposed | null][] = [
  // One series per UTC day: shown as `rvx_users_active{window}` instead.
  [/^users_last_seen_\d{8}$/, () => null],
  [/^api_responses_(\dxx)$/, (m) => ({
    metric: "rvx_api_responses_total",
    type: "counter",
    help: "HTTP API answers by status class.",
    labels: { code: m[1] },
  })],
  [/^errors_(info|warning|error|critical)$/, (m) => ({
    metric: "rvx_errors_total",
    type: "counter",
    help: "Errors reported, by level.",
    labels: { level: m[1] },
  })],
  [/^errors_(db|api)$/, (m) => ({
    metric: "rvx_errors_by_kind_total",
    type: "counter",
    help: "Errors reported from the database (db) or an upstream API (api).",
    labels: { kind: m[1] },
  })],
  [/^provider_(.+?)_(requests|successes|errors|timeouts|skipped)$/, (m) => ({
    metric: `rvx_provider_${m[2]}_total`,
    type: "counter",
    help: PROVIDER_HELP[m[2]],
    labels: { provider: m[1] },
  })],
  [/^feedback_(up|down)$/, (m) => ({
    metric: "rvx_feedback_total",
    type: "counter",
    help: "Feedback button presses on analyses (up: helpful, down: re-explain).",
    labels: { vote: m[1] },
  })],
  [/^(users|local_users)_total$/, (m) => ({
    metric: "rvx_users",
    type: "gauge",
    help: "Known users (telegram, or local ones from the terminal chat and playground).",
    labels: { kind: m[1] === "users" ? "telegram" : "local" },
  })],
  [/^banned_total$/, () => gauge("rvx_users_banned", "Users banned now.")],
  [/^dead_letters$/, () => gauge("rvx_dead_letters", "Updates in the dead-letter list.")],
  [
    /^sessions_(active|in_\w+|pending_\w+)$/,
    (m) => gauge(`rvx_sessions_${m[1]}`, `Sessions not expired (${m[1].replaceAll("_", " ")}).`),
  ],
];

const PROVIDER_HELP: Record<string, string> = {
  requests: "Calls to an AI provider (each retry counts).",
  successes: "AI provider calls that returned an analysis.",
  errors: "AI provider calls that failed (not by timeout).",
  timeouts: "AI provider calls that ran out of time.",
  skipped: "Analyses that skipped a provider (breaker open or Retry-After pending).",
};

/** Help for the plain counters (`rvx_<name>_total`); others get a generic line. */
const COUNTER_HELP: Record<string, string> = {
  turns_total: "Turns committed (an update handled to its end).",
  turns_direct: "Turns run as their update arrived, never queued (part of turns_total).",
  turns_failed: "Turns given up: the update moved to the dead-letter list.",
  api_requests_total: "HTTP API requests answered.",
  analyses_total: "News analyses made for users.",
  questions_total: "Questions answered for users.",
  analyses_offline: "Analyses for users made by the offline analyzer.",
  analysis_offline_fallbacks: "Analyses that fell back to the offline analyzer.",
  cache_hits: "Analysis cache lookups that found an entry.",
  cache_misses: "Analysis cache lookups that found none.",
  dead_letters_retried: "Dead letters re-queued by an operator.",
  dead_letters_discarded: "Dead letters discarded by an operator.",
  ingest_duplicates: "Updates received again (same update_id) and not queued twice.",
  ingest_rejected: "Updates refused at ingest (invalid).",
  sessions_created: "Sessions started.",
  sessions_cleaned: "Expired sessions removed by the sweep.",
  lessons_opened: "Lessons opened.",
  quizzes_started: "Quizzes started.",
  quizzes_total: "Quizzes finished.",
  quizzes_passed: "Quizzes passed.",
  quizzes_perfect: "Quizzes answered without a mistake.",
  learning_xp_total: "XP earned in courses.",
};

/** Histograms by stored name → family (in seconds) and labels. */
const HISTOGRAM_RULES: [RegExp, (m: RegExpExecArray) => Exposed][] = [
  [/^turn_ms$/, () => ({
    metric: "rvx_turn_duration_seconds",
    type: "histogram",
    help: "Turn duration: an update's handling up to its commit.",
    labels: {},
  })],
  [/^api_request_ms$/, () => ({
    metric: "rvx_api_request_duration_seconds",
    type: "histogram",
    help: "HTTP API request duration.",
    labels: {},
  })],
  [/^provider_(.+)_latency$/, (m) => ({
    metric: "rvx_provider_request_duration_seconds",
    type: "histogram",
    help: "AI provider call duration (one attempt).",
    labels: { provider: m[1] },
  })],
  [/^(.+?)(?:_ms)?$/, (m) => ({
    metric: `${metricName(m[1])}_duration_seconds`,
    type: "histogram",
    help: `Duration of ${m[1].replaceAll("_", " ")}.`,
    labels: {},
  })],
];

/** Always shown, at 0 before their first event (so `rate()` sees the first one). */
const ALWAYS = [
  "users_total",
  "sessions_active",
  "dead_letters",
  "turns_total",
  "turns_direct",
  "turns_failed",
  "api_requests_total",
  "api_responses_2xx",
  "api_responses_4xx",
  "api_responses_5xx",
  "errors_info",
  "errors_warning",
  "errors_error",
  "errors_critical",
  "analyses_total",
  "cache_hits",
  "cache_misses",
];

/** Histograms always shown (all buckets 0 before the first observation). */
const ALWAYS_HISTOGRAMS = ["turn_ms", "api_request_ms"];

/** Bucket bounds in seconds, as `le` labels. */
const LE_SECONDS = [...HISTOGRAM_BUCKETS_MS.map((ms) => num(ms / 1000)), "+Inf"];

function gauge(metric: string, help: string): Exposed {
  return { metric, type: "gauge", help, labels: {} };
}

/** The first rule matching `name`, applied; undefined when none matches. */
function firstMatch<T>(
  rules: [RegExp, (m: RegExpExecArray) => T][],
  name: string,
): T | undefined {
  for (const [pattern, expose] of rules) {
    const match = pattern.exec(name);
    if (match) return expose(match);
  }
  return undefined;
}

/** How a plain (non-histogram) counter is exposed; null: left out. */
function exposeCounter(name: string): Exposed | null {
  const ruled = firstMatch(COUNTER_RULES, name);
  if (ruled !== undefined) return ruled;
  const base = metricName(name);
  return {
    metric: base.endsWith("_total") ? base : `${base}_total`,
    type: "counter",
    help: COUNTER_HELP[name] ?? `Durable count of ${name.replaceAll("_", " ")}.`,
    labels: {},
  };
}

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

function labels(set: Labels): string {
  const parts = Object.entries(set).map(([k, v]) => `${k}="${labelValue(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}

function num(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  return Number.isFinite(value) ? String(value) : value > 0 ? "+Inf" : "-Inf";
}

interface Family {
  type: MetricType;
  help: string;
  lines: string[];
}

/** Collects families so each name gets one HELP/TYPE with all its samples together. */
class Exposition {
  readonly #families = new Map<string, Family>();

  #family(metric: string, type: MetricType, help: string): Family {
    let family = this.#families.get(metric);
    if (!family) {
      family = { type, help, lines: [] };
      this.#families.set(metric, family);
    } else if (family.type !== type) {
      throw new TypeError(`Cannot expose "${metric}" as a ${type}: it is a ${family.type}`);
    }
    return family;
  }

  sample(exposed: Exposed, value: number): void {
    const family = this.#family(exposed.metric, exposed.type, exposed.help);
    family.lines.push(`${exposed.metric}${labels(exposed.labels)} ${num(value)}`);
  }

  /** Cumulative buckets in seconds ending in `+Inf`, then `_sum` (seconds) and `_count`. */
  histogram(exposed: Exposed, cumulative: number[], sumSeconds: number, count: number): void {
    const { metric } = exposed;
    const family = this.#family(metric, "histogram", exposed.help);
    cumulative.forEach((n, i) => {
      family.lines.push(`${metric}_bucket${labels({ ...exposed.labels, le: LE_SECONDS[i] })} ${n}`);
    });
    family.lines.push(
      `${metric}_sum${labels(exposed.labels)} ${num(sumSeconds)}`,
      `${metric}_count${labels(exposed.labels)} ${count}`,
    );
  }

  text(): string {
    const out: string[] = [];
    for (const [metric, family] of this.#families) {
      out.push(`# HELP ${metric} ${family.help}`, `# TYPE ${metric} ${family.type}`);
      out.push(...family.lines);
    }
    return `${out.join("\n")}\n`;
  }
}

/**
 * Renders the durable counters, and the summary's KV-wide gauges, as Prometheus text.
 *
 * @example
 * ```ts
 * const all = await counters.getAll(store);
 * const text = prometheusText(all, await getMetricsSummary(store, { clock }));
 * ```
 */
export function prometheusText(all: ReadonlyMap<string, number>, summary: MetricsSummary): string {
  const out = new Exposition();
  out.sample({
    ...gauge("rvx_build_info", "The running release (value 1)."),
    labels: { version: String(summary.process.version ?? "unknown") },
  }, 1);
  const active = gauge("rvx_users_active", "Users last seen within the window (UTC days).");
  out.sample({ ...active, labels: { window: "today" } }, summary.users.active_today);
  out.sample({ ...active, labels: { window: "7d" } }, summary.users.active_7d);
  out.sample(gauge("rvx_inbox_depth", "Updates waiting in inboxes."), summary.runtime.inbox_depth);

  const histograms = [...new Set([...ALWAYS_HISTOGRAMS, ...histogramNames(all)])];
  const parts = new Set(histograms.flatMap(histogramCounterNames));
  const plain = new Map([...ALWAYS.map((name) => [name, 0] as const), ...all]);
  for (const [name, value] of [...plain].sort(([a], [b]) => a.localeCompare(b))) {
    if (parts.has(name)) continue;
    const exposed = exposeCounter(name);
    if (exposed) out.sample(exposed, value);
  }
  for (const name of histograms) {
    const h = readHistogram(all, name);
    out.histogram(
      // The last rule matches any name.
      firstMatch(HISTOGRAM_RULES, name)!,
      h.buckets.map((b) => b.count),
      Math.max(0, all.get(`${name}_sum_us`) ?? 0) / 1_000_000,
      h.count,
    );
  }
  return out.text();
}
