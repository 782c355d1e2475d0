/**
 * Metrics over time: a per-minute rollup (every counter, and how much each moved since the
 * previous point) kept 48 h for live charts, and a snapshot every 6 h (the metrics summary)
 * kept `METRICS_RETENTION_DAYS` and logged as one compact line.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import * as counters from "../store/counters.ts";
import { commitTx } from "../store/kv.ts";
import { appendPoint, listPoints, stagePrunePoints } from "../store/series.ts";
import { type CronDeps, type CronNumbers, type CronOutcome, runCron } from "./cron.ts";

/** The per-minute series. */
export const ROLLUP_SERIES = "metrics_1m";
/** The 6-hourly series. */
export const SNAPSHOT_SERIES = "metrics_6h";
/** How long per-minute points are kept. */
export const ROLLUP_KEEP_MS = 48 * 3_600_000;
const DAY_MS = 86_400_000;
/** Old points removed per run (a run every minute keeps up with one new point each). */
const PRUNE_PER_RUN = 500;

/** One per-minute point. */
export interface RollupPoint {
  /** Every counter's total at this minute. */
  counters: Record<string, number>;
  /** Counters that moved since the previous point, by how much. */
  delta: Record<string, number>;
  /** Since the previous point (ms), or null for the first. */
  interval_ms: number | null;
  /** Gauges read at this minute (inbox depth, resident actors…), when given. */
  gauges: Record<string, number> | null;
}

const log = getLogger(["rvx", "jobs", "metrics"]);

/** What the rollup reads. */
export interface MetricsRollupDeps extends CronDeps {
  /** Gauges to record with each point (e.g. from the supervisor's `getStats()`). */
  gauges?(): Promise<Record<string, number>>;
}

/**
 * The rollup as a run of its own (`metrics_rollup`); on schedule it is part of the minute cron
 * (`minute.ts`).
 *
 * @example
 * ```ts
 * await metricsRollupCron({ store, clock, cronEnabled: true });
 * ```
 */
export function metricsRollupCron(deps: MetricsRollupDeps): Promise<CronOutcome> {
  return runCron(deps, "metrics_rollup", () => rollupMetrics(deps));
}

/**
 * Records the minute's point and drops points older than 48 h.
 *
 * @returns the run's figures: counters recorded, points pruned.
 */
export async function rollupMetrics(deps: MetricsRollupDeps): Promise<CronNumbers> {
  const { store, clock } = deps;
  const now = Math.floor(clock.now() / 60_000) * 60_000;
  const totals = Object.fromEntries(await counters.getAll(store));
  const [previous] = await listPoints<RollupPoint>(store, ROLLUP_SERIES, {
    reverse: true,
    limit: 1,
  });
  const delta: Record<string, number> = {};
  for (const [name, value] of Object.entries(totals)) {
    const moved = value - (previous?.value.counters[name] ?? 0);
    if (moved !== 0) delta[name] = moved;
  }
  const point: RollupPoint = {
    counters: totals,
    delta,
    interval_ms: previous && previous.at < now ? now - previous.at : null,
    gauges: deps.gauges ? await deps.gauges() : null,
  };
  const tx = store.tx();
  appendPoint(tx, ROLLUP_SERIES, now, point);
  const pruned = await stagePrunePoints(
    store,
    tx,
    ROLLUP_SERIES,
    now - ROLLUP_KEEP_MS,
    PRUNE_PER_RUN,
  );
  await commitTx(store, tx);
  return { counters: Object.keys(totals).length, points_pruned: pruned };
}

/** What the snapshot reads. */
export interface MetricsSnapshotDeps extends CronDeps {
  /** `METRICS_RETENTION_DAYS`. */
  retentionDays: number;
  /** The metrics summary (BotMetrics' `getMetricsSummary()`); without it, the counters. */
  summary?(): Promise<unknown>;
}

/** Numeric leaves as `a.b=1` pairs, for the one-line log. */
export function compactLine(value: unknown, prefix = "", out: string[] = []): string {
  if (typeof value === "number") {
    out.push(`${prefix}=${Number.isInteger(value) ? value : value.toFixed(2)}`);
  } else if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) compactLine(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out.join(" ");
}

/**
 * Records a snapshot, logs it as one line, and drops snapshots past retention.
 *
 * @example
 * ```ts
 * await metricsSnapshotCron({ store, clock, cronEnabled: true, retentionDays: 90, summary: () => metrics.getMetricsSummary() });
 * ```
 */
export function metricsSnapshotCron(deps: MetricsSnapshotDeps): Promise<CronOutcome> {
  const { store, clock } = deps;
  return runCron(deps, "metrics_snapshot", async () => {
    const now = clock.now();
    // The raw counters feed the dashboard's history charts; the summary is the readable view.
    const totals = Object.fromEntries(await counters.getAll(store));
    const summary = deps.summary ? await deps.summary() : null;
    const tx = store.tx();
    appendPoint(tx, SNAPSHOT_SERIES, now, { counters: totals, summary });
    const pruned = await stagePrunePoints(
      store,
      tx,
      SNAPSHOT_SERIES,
      now - deps.retentionDays * DAY_MS,
      PRUNE_PER_RUN,
    );
    await commitTx(store, tx);
    log.info("Metrics snapshot: {line}", { line: compactLine(summary ?? totals) });
    return { snapshots_pruned: pruned };
  });
}
