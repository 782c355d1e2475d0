import assert from "node:assert/strict";
import { composeApp } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { cronHandlers } from "../../src/jobs/mod.ts";
import { type MetricsSummary } from "../../src/metrics/bot_metrics.ts";
import {
  compactLine,
  metricsRollupCron,
  metricsSnapshotCron,
  ROLLUP_SERIES,
  type RollupPoint,
  SNAPSHOT_SERIES,
} from "../../src/jobs/metrics.ts";
import * as counters from "../../src/store/counters.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import { listPoints } from "../../src/store/series.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 3, 1, 12);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

async function count(store: Store, name: string, by: number): Promise<void> {
  const tx = store.tx();
  counters.add(tx, name, by);
  await commitTx(store, tx);
}

Deno.test("metrics rollup: each minute records every counter and what moved since the last point", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0 + 15_000);
  const deps = {
    store,
    clock,
    cronEnabled: true,
    gauges: () => Promise.resolve({ inbox_depth: 2 }),
  };
  await count(store, "requests_total", 5);
  assert.equal((await metricsRollupCron(deps)).status, "ok");
  await clock.advance(MIN);
  await count(store, "requests_total", 3);
  await count(store, "errors_error", 1);
  await metricsRollupCron(deps);

  const points = await listPoints<RollupPoint>(store, ROLLUP_SERIES);
  assert.deepEqual(points.map((p) => p.at), [T0, T0 + MIN], "points sit on the minute");
  assert.deepEqual(points[0].value, {
    counters: { requests_total: 5 },
    delta: { requests_total: 5 },
    interval_ms: null,
    gauges: { inbox_depth: 2 },
  });
  assert.deepEqual(points[1].value.delta, { requests_total: 3, errors_error: 1 });
  assert.equal(points[1].value.counters.requests_total, 8);
  assert.equal(points[1].value.interval_ms, MIN);
});

Deno.test("metrics rollup: points older than 48 h are dropped", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const deps = { store, clock, cronEnabled: true };
  await metricsRollupCron(deps);
  await clock.advance(47 * HOUR);
  await metricsRollupCron(deps);
  assert.equal((await listPoints(store, ROLLUP_SERIES)).length, 2);
  await clock.advance(2 * HOUR);
  const outcome = await metricsRollupCron(deps);
  assert.equal(outcome.numbers.points_pruned, 1);
  assert.deepEqual((await listPoints(store, ROLLUP_SERIES)).map((p) => p.at), [
    T0 + 47 * HOUR,
    T0 + 49 * HOUR,
  ]);
});

Deno.test("metrics snapshot: stores the counters and the summary every run and keeps METRICS_RETENTION_DAYS", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  let requests = 10;
  const deps = {
    store,
    clock,
    cronEnabled: true,
    retentionDays: 3,
    summary: () => Promise.resolve({ requests: { total: requests++, success_rate: 0.5 } }),
  };
  for (let i = 0; i < 14; i++) {
    await metricsSnapshotCron(deps);
    await clock.advance(6 * HOUR);
  }
  const points = await listPoints<{ summary: { requests: { total: number } } }>(
    store,
    SNAPSHOT_SERIES,
  );
  // 14 runs 6 h apart: at the last one (78 h), only the first (0 h) is older than 3 days.
  assert.equal(points.length, 13);
  assert.equal(points.at(-1)!.value.summary.requests.total, 23);
  assert.ok(points.every((p) => p.at >= clock.now() - 6 * HOUR - 3 * DAY));
});

Deno.test("metrics snapshot: without a summary it records the counters; the log line is compact", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  await count(store, "analyses_total", 4);
  await metricsSnapshotCron({ store, clock, cronEnabled: true, retentionDays: 90 });
  const [point] = await listPoints(store, SNAPSHOT_SERIES);
  assert.deepEqual(point.value, { counters: { analyses_total: 4 }, summary: null });
  assert.equal(
    compactLine({ requests: { total: 3, rate: 0.456 }, name: "x", list: [1] }),
    "requests.total=3 requests.rate=0.46",
  );
});

Deno.test("metrics snapshot: the app's snapshot keeps the process uptime", async () => {
  const clock = new FakeClock(T0);
  const app = await composeApp(createConfig({ KV_PATH: ":memory:", CRON_ENABLED: "true" }), {
    clock,
  });
  try {
    await clock.advance(2 * HOUR);
    const outcome = await cronHandlers({
      store: app.store,
      clock,
      config: app.config,
      supervisor: app.supervisor,
      backups: app.backups,
      metricsSummary: app.metricsSummary,
    }).metrics_snapshot();
    assert.equal(outcome.status, "ok");
    const [snapshot] = await listPoints<{ summary: MetricsSummary }>(app.store, SNAPSHOT_SERIES);
    assert.equal(snapshot.value.summary.process.uptime_seconds, 2 * 3600);
  } finally {
    await app.stop();
  }
});
