/**
 * The `/dashboard` page: one self-contained HTML page (inline CSS, SVG charts drawn here, no
 * script, no external URL) over the per-minute rollup, the 6-hourly history, provider status,
 * cron runs, backups and health. It reloads itself with a meta refresh.
 *
 * @module
 */
import { type SupervisorStats } from "../../actors/supervisor.ts";
import { type ProviderStatus } from "../../analysis/engine.ts";
import { type RollupPoint } from "../../jobs/metrics.ts";
import { type BackupInfo } from "../../store/backups.ts";
import { HISTOGRAM_BUCKETS_MS } from "../../store/counters.ts";
import { type CronRun } from "../../store/cron_runs.ts";
import { type SeriesPoint } from "../../store/series.ts";

/** The windows the per-minute charts can show. */
export const DASHBOARD_RANGES = {
  "1h": 3_600_000,
  "6h": 21_600_000,
  "24h": 86_400_000,
  "48h": 172_800_000,
} as const;

/** A window of the per-minute charts. */
export type DashboardRange = keyof typeof DASHBOARD_RANGES;

/** Health as the page shows it. */
export interface DashboardHealth {
  kvOk: boolean;
  readMs: number | null;
  errorCode: string | null;
  generation: number;
  lastCommitError: { at: number; code: string } | null;
  version: string;
  uptimeS: number;
}

/** Everything the page draws. */
export interface DashboardData {
  now: number;
  range: DashboardRange;
  refreshSeconds: number;
  health: DashboardHealth;
  /** The supervisor's `getStats()`, when available. */
  stats: SupervisorStats | null;
  rollup: SeriesPoint<RollupPoint>[];
  /** 6-hourly snapshots: `{ counters, summary }`. */
  snapshots: SeriesPoint<unknown>[];
  providers: ProviderStatus[];
  crons: { name: string; schedule: string; runs: CronRun[] }[];
  /** null: no backup service here. */
  backups: BackupInfo[] | null;
  backupsError: string | null;
}

/** The strict CSP the page is served with (no script at all). */
export const DASHBOARD_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** One line of a chart: `[time, value]` pairs, `null` for "no value here". */
export interface ChartSeries {
  name: string;
  color: string;
  points: [number, number | null][];
}

/** A chart's description. */
export interface ChartSpec {
  id: string;
  title: string;
  series: ChartSeries[];
  /** How values read (`%` multiplies ratios by 100). */
  unit: "" | "%" | "ms";
  from: number;
  to: number;
  /** A longer gap between two points breaks the line. */
  maxGapMs: number;
  /** Shown when no series has a value. */
  empty: string;
}

const MINUTE = 60_000;
const COLORS = ["#2f6fd0", "#d0502f", "#2f9e5f", "#9a5fd0", "#c08a00", "#3aa0b0"];

/** Escapes text for HTML. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!,
  );
}

function iso(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "—" : new Date(ms).toISOString().slice(0, 19) + "Z";
}

function shortTime(ms: number, spanMs: number): string {
  const text = new Date(ms).toISOString();
  return spanMs > 2 * 86_400_000 ? text.slice(5, 10) : text.slice(11, 16);
}

function formatValue(value: number, unit: ChartSpec["unit"]): string {
  if (unit === "%") return `${Math.round(value * 1000) / 10}%`;
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return unit === "ms" ? `${rounded} ms` : String(rounded);
}

function niceMax(max: number, unit: ChartSpec["unit"]): number {
  if (unit === "%") return 1;
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (max <= step * power) return step * power;
  }
  return 10 * power;
}

/**
 * Draws a line chart as inline SVG (with a legend giving each series' latest value).
 *
 * @example
 * ```ts
 * const html = renderChart({ id: "req", title: "Requests", unit: "", from, to, maxGapMs: 180_000, empty: "No data", series });
 * ```
 */
export function renderChart(spec: ChartSpec): string {
  const width = 600, height = 170, left = 46, right = 8, top = 8, bottom = 22;
  const plotW = width - left - right, plotH = height - top - bottom;
  const values = spec.series.flatMap((s) => s.points.map(([, v]) => v)).filter((v) =>
    v !== null && Number.isFinite(v)
  ) as number[];
  const head = `<section class="card chart" id="${spec.id}"><h3>${escapeHtml(spec.title)}</h3>`;
  if (values.length === 0) {
    return `${head}<p class="empty">${escapeHtml(spec.empty)}</p></section>`;
  }
  const yMax = niceMax(Math.max(...values), spec.unit);
  const span = Math.max(spec.to - spec.from, 1);
  const x = (at: number) => left + ((at - spec.from) / span) * plotW;
  const y = (v: number) => top + plotH - (Math.min(Math.max(v, 0), yMax) / yMax) * plotH;
  const grid = [0, 0.5, 1].map((f) => {
    const gy = top + plotH - f * plotH;
    return `<line class="grid" x1="${left}" x2="${width - right}" y1="${gy}" y2="${gy}"/>` +
      `<text class="axis" x="${left - 4}" y="${gy + 4}" text-anchor="end">${
        escapeHtml(formatValue(yMax * f, spec.unit))
      }</text>`;
  }).join("");
  const xLabels = `<text class="axis" x="${left}" y="${height - 6}">${
    shortTime(spec.from, span)
  }</text><text class="axis" x="${width - right}" y="${height - 6}" text-anchor="end">${
    shortTime(spec.to, span)
  } UTC</text>`;
  let count = 0;
  const lines = spec.series.map((series) => {
    const segments: string[][] = [];
    let current: string[] = [];
    let lastAt: number | null = null;
    for (const [at, v] of series.points) {
      if (v === null || !Number.isFinite(v) || (lastAt !== null && at - lastAt > spec.maxGapMs)) {
        if (current.length > 0) segments.push(current);
        current = [];
      }
      if (v !== null && Number.isFinite(v)) {
        current.push(`${x(at).toFixed(1)},${y(v).toFixed(1)}`);
        count++;
        lastAt = at;
      }
    }
    if (current.length > 0) segments.push(current);
    return segments.map((points) =>
      points.length === 1
        ? `<circle class="point" cx="${points[0].split(",")[0]}" cy="${
          points[0].split(",")[1]
        }" r="2.5" fill="${series.color}"/>`
        : `<polyline class="line" fill="none" stroke="${series.color}" stroke-width="1.8" points="${
          points.join(" ")
        }"/>`
    ).join("");
  }).join("");
  const legend = spec.series.map((series) => {
    const last = [...series.points].reverse().find(([, v]) => v !== null && Number.isFinite(v));
    return `<li><span class="swatch" style="background:${series.color}"></span>${
      escapeHtml(series.name)
    } <b>${last ? escapeHtml(formatValue(last[1]!, spec.unit)) : "—"}</b></li>`;
  }).join("");
  return `${head}<svg class="plot" viewBox="0 0 ${width} ${height}" role="img" aria-label="${
    escapeHtml(spec.title)
  }" data-points="${count}" preserveAspectRatio="none">${grid}${xLabels}${lines}</svg><ul class="legend">${legend}</ul></section>`;
}

// === Values derived from the rollup

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
function rollupCharts(data: DashboardData): ChartSpec[] {
  const from = data.now - DASHBOARD_RANGES[data.range];
  const points = data.rollup.filter((p) => p.at >= from);
  const base = {
    unit: "" as ChartSpec["unit"],
    from,
    to: data.now,
    maxGapMs: 3 * MINUTE,
    empty: points.length === 0
      ? "No per-minute points yet: the metrics_rollup cron records one every minute."
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
function historyCharts(data: DashboardData): ChartSpec[] {
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

// === Tables

function table(head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  return `<div class="scroll"><table><thead><tr>${
    head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")
  }</tr></thead><tbody>${
    rows.map((r) => `<tr>${r.map((cell) => `<td>${cell}</td>`).join("")}</tr>`).join("")
  }</tbody></table></div>`;
}

function badge(text: string, kind: "ok" | "warn" | "bad" | "idle"): string {
  return `<span class="badge ${kind}">${escapeHtml(text)}</span>`;
}

function numbers(record: Record<string, number>): string {
  const entries = Object.entries(record);
  return entries.length === 0
    ? "—"
    : entries.map(([k, v]) => `${escapeHtml(k)}=${escapeHtml(String(v))}`).join(" ");
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

function healthSection(data: DashboardData): string {
  const h = data.health;
  const s = data.stats;
  const tiles: [string, string, "ok" | "warn" | "bad" | "idle"][] = [
    [
      "KV",
      h.kvOk ? `ok · ${h.readMs ?? "?"} ms` : `down · ${h.errorCode ?? "?"}`,
      h.kvOk ? "ok" : "bad",
    ],
    [
      "Last commit error",
      h.lastCommitError ? `${h.lastCommitError.code} at ${iso(h.lastCommitError.at)}` : "none",
      h.lastCommitError ? "warn" : "ok",
    ],
    ["Version", `${h.version} · up ${duration(h.uptimeS)} · gen ${h.generation}`, "idle"],
  ];
  if (s) {
    tiles.push(
      ["Active users", String(s.active_users), "idle"],
      ["Resident actors", String(s.resident_actors), "idle"],
      ["Inbox depth", String(s.inbox_depth), s.inbox_depth > 100 ? "warn" : "idle"],
      ["Dead letters", String(s.dead_letters), s.dead_letters > 0 ? "warn" : "ok"],
      ["Pending feedback", String(s.pending_feedback), "idle"],
    );
  }
  return `<section class="card wide" id="health"><h2>Health</h2><div class="tiles">${
    tiles.map(([label, value, kind]) =>
      `<div class="tile ${kind}"><div class="label">${escapeHtml(label)}</div><div class="value">${
        escapeHtml(value)
      }</div></div>`
    ).join("")
  }</div></section>`;
}

function providersSection(data: DashboardData): string {
  const rows = data.providers.map((p) => [
    escapeHtml(p.name),
    badge(p.state, p.state === "closed" ? "ok" : p.state === "open" ? "bad" : "warn"),
    escapeHtml(p.lastErrorCode ?? "—"),
    escapeHtml(iso(p.lastErrorAt)),
    escapeHtml(iso(p.lastSuccessAt)),
    escapeHtml(p.retryAfterUntil && p.retryAfterUntil > data.now ? iso(p.retryAfterUntil) : "—"),
  ]);
  return `<section class="card" id="providers"><h2>Providers</h2>${
    table(
      ["provider", "circuit", "last error", "at", "last success", "skipped until"],
      rows,
      "No AI provider configured: analyses are answered offline.",
    )
  }</section>`;
}

function cronSection(data: DashboardData): string {
  const rows = data.crons.map(({ name, schedule, runs }) => {
    const last = runs[0];
    const status = last
      ? badge(last.status, last.status === "ok" ? "ok" : last.status === "error" ? "bad" : "warn")
      : badge("never ran", "idle");
    return [
      `<code>${escapeHtml(name)}</code>`,
      `<code>${escapeHtml(schedule)}</code>`,
      status,
      escapeHtml(last ? iso(Date.parse(last.started_at)) : "—"),
      escapeHtml(
        last?.duration_ms !== null && last?.duration_ms !== undefined
          ? `${last.duration_ms} ms`
          : "—",
      ),
      last ? (last.error ? escapeHtml(last.error) : numbers(last.numbers)) : "—",
      escapeHtml(String(runs.filter((r) => r.status === "error").length)),
    ];
  });
  const recent = data.crons.flatMap((c) => c.runs).sort((a, b) =>
    b.started_at.localeCompare(a.started_at)
  ).slice(0, 12).map((run) => [
    escapeHtml(iso(Date.parse(run.started_at))),
    `<code>${escapeHtml(run.name)}</code>`,
    badge(run.status, run.status === "ok" ? "ok" : run.status === "error" ? "bad" : "warn"),
    escapeHtml(run.duration_ms === null ? "—" : `${run.duration_ms} ms`),
    run.error ? escapeHtml(run.error) : numbers(run.numbers),
  ]);
  return `<section class="card wide" id="cron"><h2>Cron runs</h2>${
    table(
      ["cron", "schedule (UTC)", "last", "started", "took", "result", "errors (recent)"],
      rows,
      "No crons known.",
    )
  }<h3>Latest runs</h3>${
    table(
      ["started", "cron", "status", "took", "result"],
      recent,
      "No cron has run yet (crons start with the server when CRON_ENABLED=true).",
    )
  }</section>`;
}

function backupsSection(data: DashboardData): string {
  let body: string;
  if (data.backupsError) {
    body = `<p class="empty">Backups could not be listed: ${escapeHtml(data.backupsError)}</p>`;
  } else if (data.backups === null) {
    body = `<p class="empty">No backup service in this process.</p>`;
  } else {
    const newest = data.backups[0];
    const age = newest ? Math.round((data.now - Date.parse(newest.created_at)) / 1000) : null;
    body = (newest
      ? `<p>Newest: ${badge(duration(age!) + " ago", age! > 2 * 86_400 ? "warn" : "ok")}</p>`
      : "") +
      table(
        ["name", "created", "records", "size", "where"],
        data.backups.slice(0, 10).map((b) => [
          `<code>${escapeHtml(b.name)}</code>`,
          escapeHtml(iso(Date.parse(b.created_at))),
          escapeHtml(String(b.record_count)),
          escapeHtml(bytes(b.size_bytes)),
          escapeHtml(b.location),
        ]),
        "No backups yet: the backup cron makes one daily at 03:20 UTC, or run `deno task backup`.",
      );
  }
  return `<section class="card" id="backups"><h2>Backups</h2>${body}</section>`;
}

const STYLE = `
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2330;background:#f3f5f8}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;padding:.75rem 1rem;background:#1d2330;color:#fff}
header h1{font-size:1.2rem;margin:0}header a{color:#cfe0ff}header .ranges a{margin-right:.5rem}header .ranges a.on{font-weight:700;color:#fff}
main{display:grid;gap:.75rem;padding:.75rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,24rem),1fr))}
.card{background:#fff;border:1px solid #dde2ea;border-radius:8px;padding:.6rem .8rem;min-width:0}
.wide{grid-column:1/-1}
h2{font-size:1.05rem;margin:.1rem 0 .5rem}h3{font-size:.95rem;margin:.2rem 0 .4rem}
.plot{width:100%;height:11rem;display:block}
.grid{stroke:#e3e7ee;stroke-width:1}.axis{font-size:11px;fill:#6a7385}
.legend{list-style:none;margin:.3rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:13px}
.swatch{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
.empty{color:#6a7385;font-style:italic;margin:.4rem 0}
.tiles{display:grid;gap:.5rem;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr))}
.tile{border-radius:6px;padding:.4rem .6rem;background:#f3f5f8;border-left:4px solid #8a94a6}
.tile.ok{border-color:#2f9e5f}.tile.warn{border-color:#c08a00}.tile.bad{border-color:#c33}
.tile .label{font-size:12px;color:#6a7385}.tile .value{font-weight:600;word-break:break-word}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:13px}
td,th{border-bottom:1px solid #e3e7ee;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{color:#6a7385;font-weight:600}code{font:12px ui-monospace,monospace}
.badge{display:inline-block;border-radius:4px;padding:0 .35rem;font-size:12px;font-weight:600;color:#fff;background:#8a94a6}
.badge.ok{background:#2f9e5f}.badge.warn{background:#c08a00}.badge.bad{background:#c33}
footer{padding:0 1rem 1rem;color:#6a7385;font-size:12px}
@media (prefers-color-scheme:dark){body{background:#101317;color:#e3e7ee}.card{background:#181c22;border-color:#2c333d}
.tile{background:#20252d}td,th{border-color:#2c333d}.grid{stroke:#2c333d}}
`;

/**
 * Renders the page.
 *
 * @example
 * ```ts
 * c.header("Content-Security-Policy", DASHBOARD_CSP);
 * return c.html(renderDashboard(data));
 * ```
 */
export function renderDashboard(data: DashboardData): string {
  const ranges = (Object.keys(DASHBOARD_RANGES) as DashboardRange[]).map((r) =>
    `<a href="?range=${r}"${r === data.range ? ' class="on"' : ""}>${r}</a>`
  ).join("");
  const charts = [...rollupCharts(data), ...historyCharts(data)].map(renderChart).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${data.refreshSeconds}">
<title>RVX dashboard</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<header><h1>RVX dashboard</h1><span class="ranges">Window: ${ranges}</span><a href="/playground">Playground</a><a href="/docs">API docs</a></header>
<main>
${healthSection(data)}
${charts}
${providersSection(data)}
${backupsSection(data)}
${cronSection(data)}
</main>
<footer>Updated ${
    escapeHtml(iso(data.now))
  } · refreshes every ${data.refreshSeconds} s · ${data.rollup.length} per-minute points, ${data.snapshots.length} snapshots</footer>
</body>
</html>
`;
}
