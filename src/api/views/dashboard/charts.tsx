/**
 * The dashboard's charts: per-minute ones over the chosen window (from the `minute` cron's
 * rollup points) and 6-hourly history (from `metrics_snapshot`), all from KV, so every
 * instance draws the same picture.
 *
 * @module
 */
import {
  ROLLUP_KEEP_MS,
  ROLLUP_SERIES,
  type RollupPoint,
  SNAPSHOT_SERIES,
} from "../../../jobs/metrics.ts";
import { HISTOGRAM_BUCKETS_MS } from "../../../store/counters.ts";
import { listPoints, type SeriesPoint } from "../../../store/series.ts";
import { Chart, type ChartSeries, type ChartSpec, COLORS } from "./chart.tsx";
import { DASHBOARD_RANGES, type DashboardRange, type DashboardSection } from "./context.ts";

const MINUTE = 60_000;

/** What the charts are drawn from. */
interface ChartData {
  now: number;
  range: DashboardRange;
  rollup: SeriesPoint<RollupPoint>[];
  /** 6-hourly snapshots: `{ counters, summary }`. */
  snapshots: SeriesPoint<unknown>[];
}

/** Change per minute of a counter at a point (null for the first point, which has no baseline). */
function perMinute(point: RollupPoint, name: string): number | null {
  if (point.interval_ms === null) return null;
  return ((point.delta[name] ?? 0) * MINUTE) / Math.max(point.interval_ms, 1);
}

function ratio(point: RollupPoint, part: string[], whole: string[]): number | null {
  const sum = (names: string[]) => names.reduce((n, name) => n + (point.delta[name] ?? 0), 0);
  const total = sum(whole);
  return total > 0 ? sum(part) / total : null;
}

/**
 * A quantile (0–1) of the observations a histogram's bucket counters gained at a point, by
 * linear interpolation inside the bucket (the open last bucket reads as its lower bound).
 *
 * @example
 * ```ts
 * quantileOf(point.delta, "api_request_ms", 0.99); // 42.5, or null without observations
 * ```
 */
export function quantileOf(delta: Record<string, number>, name: string, q: number): number | null {
  const bounds = [...HISTOGRAM_BUCKETS_MS.map(String), "inf"];
  const counts = bounds.map((le) => Math.max(delta[`${name}_bucket_${le}`] ?? 0, 0));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const target = q * total;
  let cumulative = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    if (cumulative + counts[i] >= target) {
      const lower = i === 0 ? 0 : HISTOGRAM_BUCKETS_MS[i - 1];
      if (i >= HISTOGRAM_BUCKETS_MS.length) return lower;
      const upper = HISTOGRAM_BUCKETS_MS[i];
      return lower + ((upper - lower) * (target - cumulative)) / counts[i];
    }
    cumulative += counts[i];
  }
  return HISTOGRAM_BUCKETS_MS[HISTOGRAM_BUCKETS_MS.length - 1];
}

function lineOf(
  points: SeriesPoint<RollupPoint>[],
  name: string,
  color: string,
  read: (p: RollupPoint) => number | null | undefined,
): ChartSeries {
  return { name, color, points: points.map((p) => [p.at, read(p.value) ?? null]) };
}

/** The per-minute charts. */
function rollupCharts(data: ChartData): ChartSpec[] {
  const from = data.now - DASHBOARD_RANGES[data.range];
  const points = data.rollup.filter((p) => p.at >= from);
  const base = {
    unit: "" as ChartSpec["unit"],
    from,
    to: data.now,
    maxGapMs: 3 * MINUTE,
    empty: points.length === 0
      ? "No per-minute points yet: the minute cron records one every minute."
      : "Nothing recorded in this window.",
  };
  const latency = (prefix: string, title: string, id: string): ChartSpec => ({
    ...base,
    id,
    title,
    unit: "ms",
    series: [
      lineOf(points, "p50", COLORS[0], (p) => quantileOf(p.delta, prefix, 0.5)),
      lineOf(points, "p99", COLORS[1], (p) => quantileOf(p.delta, prefix, 0.99)),
    ],
    empty: points.length === 0 ? base.empty : "No observations in this window.",
  });
  return [
    {
      ...base,
      id: "chart-requests",
      title: "Requests per minute",
      series: [
        lineOf(points, "API requests", COLORS[0], (p) => perMinute(p, "api_requests_total")),
        lineOf(points, "bot turns", COLORS[2], (p) => perMinute(p, "turns_total")),
        lineOf(points, "analyses", COLORS[3], (p) => perMinute(p, "analyses_total")),
      ],
    },
    {
      ...base,
      id: "chart-success",
      title: "API success rate (2xx of all answers)",
      unit: "%",
      series: [
        lineOf(points, "2xx", COLORS[2], (p) =>
          ratio(p, ["api_responses_2xx"], [
            "api_responses_2xx",
            "api_responses_4xx",
            "api_responses_5xx",
          ])),
        lineOf(points, "not 5xx", COLORS[0], (p) => {
          const bad = ratio(p, ["api_responses_5xx"], [
            "api_responses_2xx",
            "api_responses_4xx",
            "api_responses_5xx",
          ]);
          return bad === null ? null : 1 - bad;
        }),
      ],
    },
    latency("api_request_ms", "API latency", "chart-api-latency"),
    latency("turn_ms", "Bot turn latency", "chart-turn-latency"),
    {
      ...base,
      id: "chart-errors",
      title: "Errors per minute, by level",
      series: ["info", "warning", "error", "critical"].map((level, i) =>
        lineOf(
          points,
          level,
          COLORS[(i + 2) % COLORS.length],
          (p) => perMinute(p, `errors_${level}`),
        )
      ),
    },
    {
      ...base,
      id: "chart-cache",
      title: "Analysis cache hit ratio",
      unit: "%",
      series: [
        lineOf(
          points,
          "hits",
          COLORS[5],
          (p) => ratio(p, ["cache_hits"], ["cache_hits", "cache_misses"]),
        ),
      ],
      empty: points.length === 0 ? base.empty : "No cache lookups in this window.",
    },
    {
      ...base,
      id: "chart-users",
      title: "Active users and sessions",
      series: [
        lineOf(points, "active users", COLORS[0], (p) => p.gauges?.active_users),
        lineOf(points, "sessions", COLORS[2], (p) => p.counters.sessions_active),
        lineOf(points, "resident actors", COLORS[4], (p) => p.gauges?.resident_actors),
      ],
    },
    {
      ...base,
      id: "chart-inbox",
      title: "Inbox depth and dead letters",
      series: [
        lineOf(points, "inbox depth", COLORS[0], (p) => p.gauges?.inbox_depth),
        lineOf(
          points,
          "dead letters",
          COLORS[1],
          (p) => p.gauges?.dead_letters ?? p.counters.dead_letters,
        ),
      ],
    },
  ];
}

function countersOf(value: unknown): Record<string, number> {
  const counters = (value as { counters?: unknown } | null)?.counters;
  return counters && typeof counters === "object" ? counters as Record<string, number> : {};
}

/** The 6-hourly charts. */
function historyCharts(data: ChartData): ChartSpec[] {
  const snaps = data.snapshots;
  const from = snaps.length > 0 ? Math.min(snaps[0].at, data.now - 7 * 86_400_000) : data.now;
  const base = {
    unit: "" as ChartSpec["unit"],
    from,
    to: data.now,
    maxGapMs: 13 * 3_600_000,
    empty: "No 6-hourly snapshots yet: the metrics_snapshot cron takes one every 6 hours.",
  };
  const deltaLine = (name: string, color: string, counter: string): ChartSeries => ({
    name,
    color,
    points: snaps.map((s, i) => {
      if (i === 0) return [s.at, null];
      const moved = (countersOf(s.value)[counter] ?? 0) -
        (countersOf(snaps[i - 1].value)[counter] ?? 0);
      return [s.at, moved >= 0 ? moved : null];
    }),
  });
  const levelLine = (name: string, color: string, counter: string): ChartSeries => ({
    name,
    color,
    points: snaps.map((s) => [s.at, countersOf(s.value)[counter] ?? null]),
  });
  return [
    {
      ...base,
      id: "chart-history-activity",
      title: "History: activity per 6 h",
      series: [
        deltaLine("API requests", COLORS[0], "api_requests_total"),
        deltaLine("bot turns", COLORS[2], "turns_total"),
        deltaLine("analyses", COLORS[3], "analyses_total"),
        deltaLine("errors", COLORS[1], "errors_error"),
      ],
    },
    {
      ...base,
      id: "chart-history-users",
      title: "History: users and sessions",
      series: [
        levelLine("users", COLORS[0], "users_total"),
        levelLine("sessions", COLORS[2], "sessions_active"),
        levelLine("dead letters", COLORS[1], "dead_letters"),
      ],
    },
  ];
}

/** Every chart of the page. */
export const chartsSection: DashboardSection = {
  id: "chart-requests",
  title: "Charts",
  async render(ctx) {
    const [rollup, snapshots] = await Promise.all([
      listPoints<RollupPoint>(ctx.store, ROLLUP_SERIES, {
        since: ctx.now - Math.min(DASHBOARD_RANGES[ctx.range], ROLLUP_KEEP_MS),
        limit: 3000,
      }),
      listPoints<unknown>(ctx.store, SNAPSHOT_SERIES, { reverse: true, limit: 400 })
        .then((points) => points.reverse()),
    ]);
    const data = { now: ctx.now, range: ctx.range, rollup, snapshots };
    return (
      <>
        {[...rollupCharts(data), ...historyCharts(data)].map((spec) => (
          <Chart key={spec.id} spec={spec} />
        ))}
        <p class="card wide muted points">
          {rollup.length} per-minute points, {snapshots.length} 6-hourly snapshots
        </p>
      </>
    );
  },
};
