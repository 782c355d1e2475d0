import assert from "node:assert/strict";
import { type Turn } from "../../src/actors/turn.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { AppError } from "../../src/core/errors.ts";
import { getMetricsSummary, type MetricsSummary } from "../../src/metrics/bot_metrics.ts";
import { stageSeen } from "../../src/store/activity.ts";
import * as counters from "../../src/store/counters.ts";
import { dataKey } from "../../src/store/keys.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import { TALLY_FLUSH_MS } from "../../src/store/tally.ts";
import { createRuntime, type TestRuntime, textUpdate } from "../support/runtime.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

const START = Date.UTC(2026, 0, 1, 12);

/** The summary without what depends on the reading process (time of reading, uptime). */
function durable(summary: MetricsSummary): Omit<MetricsSummary, "generated_at" | "process"> {
  const { generated_at: _at, process: _process, ...rest } = summary;
  return rest;
}

/**
 * A runtime whose handler records a new user on their first turn, counts a cache hit on even
 * updates and a miss on odd ones, and fails updates whose text is "fail".
 */
function appInstance(store: Store, clock: FakeClock, owner: string): TestRuntime {
  let runtime: TestRuntime | null = null;
  const handle = (turn: Turn) => {
    if ((turn.update.message as { text?: string } | undefined)?.text === "fail") {
      return Promise.reject(
        new AppError("feature failed", { code: "TEST_FAILURE", level: "error" }),
      );
    }
    if (!turn.state.known) {
      turn.state.known = true;
      counters.add(turn.tx, "users_total");
      stageSeen(turn.tx, null, clock.now());
    }
    runtime!.metrics.count(turn.update.update_id % 2 ? "cache_misses" : "cache_hits");
    return Promise.resolve();
  };
  runtime = createRuntime({ store, clock, handle, owner, settings: { turnMaxAttempts: 1 } });
  return runtime;
}

Deno.test("bot metrics: two app instances on one KV file add up exactly", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  const clock = new FakeClock(START);
  const a = appInstance(storeA, clock, "A");
  const b = appInstance(storeB, clock, "B");
  // 300 updates for 12 users, every 10th failing; each instance ingests half.
  const updates = Array.from(
    { length: 300 },
    (_, i) => textUpdate(i + 1, 1 + (i % 12), i % 10 === 9 ? "fail" : `text ${i}`),
  );
  await Promise.all(updates.map((u, i) => (i % 2 ? a : b).inbox.ingest([u])));
  await Promise.all([a.supervisor.whenIdle(), b.supervisor.whenIdle()]);
  await Promise.all([a.supervisor.whenIdle(), b.supervisor.whenIdle()]);
  // API calls counted by each instance's batched sink.
  for (let i = 0; i < 7; i++) {
    a.metrics.count("api_requests_total");
    a.metrics.count(`api_responses_${i < 5 ? 2 : 4}xx`);
  }
  b.metrics.count("api_requests_total", 3);
  b.metrics.count("api_responses_5xx", 1);
  b.metrics.count("api_responses_2xx", 2);
  await Promise.all([a.metrics.flush(), b.metrics.flush()]);
  // Each instance writes its tally of turns and inbox counts within TALLY_FLUSH_MS.
  await clock.advance(TALLY_FLUSH_MS);

  const ok = 270;
  const failed = 30;
  const summary = await getMetricsSummary(storeA, { clock, version: "test" });
  assert.deepEqual(summary.requests.turns, {
    total: 300,
    successful: ok,
    failed,
    success_rate: 0.9,
  });
  assert.deepEqual(summary.requests.api, {
    total: 10,
    successful: 7,
    failed: 3,
    success_rate: 0.7,
    client_errors: 2,
    server_errors: 1,
  });
  assert.equal(summary.requests.total, 310);
  assert.equal(summary.requests.successful, 277);
  assert.equal(summary.requests.failed, 33);
  assert.equal(summary.requests.success_rate, Math.round((277 / 310) * 10_000) / 10_000);
  assert.equal(summary.users.total, 12);
  assert.equal(summary.users.active_today, 12);
  assert.equal(summary.response_time.count, ok);
  assert.equal(summary.errors.error, failed);
  assert.equal(summary.runtime.dead_letters, failed);
  assert.equal(summary.runtime.inbox_depth, 0);
  // Successful turns alternate update parity: 135 even (hits), 135 odd (misses).
  const hits = updates.filter((u, i) => i % 10 !== 9 && u.update_id % 2 === 0).length;
  assert.deepEqual(summary.cache, {
    hits,
    misses: ok - hits,
    hit_rate: Math.round((hits / ok) * 10_000) / 10_000,
  });
  assert.equal(summary.sessions.sessions_created, 12);
  assert.equal(summary.sessions.sessions_active, 12);
  // Both handles read the same totals.
  assert.deepEqual(
    durable(await getMetricsSummary(storeB, { clock })),
    durable(summary),
  );
  await Promise.all([a.supervisor.stop(), b.supervisor.stop()]);
  storeA.close();
  storeB.close();
});

Deno.test("bot metrics: with no traffic every count is zero and every rate null", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(START);
  const summary = await getMetricsSummary(store, { clock, version: "test", startedAt: START });
  assert.deepEqual(summary.requests.turns, {
    total: 0,
    successful: 0,
    failed: 0,
    success_rate: null,
  });
  assert.equal(summary.requests.total, 0);
  assert.equal(summary.requests.success_rate, null);
  assert.deepEqual(summary.users, {
    total: 0,
    active_today: 0,
    active_7d: 0,
    local_total: 0,
    banned: 0,
  });
  assert.deepEqual(summary.response_time, {
    count: 0,
    avg_ms: null,
    fastest_ms: null,
    slowest_ms: null,
    exact_extremes: false,
    p50_ms: null,
    p95_ms: null,
    p99_ms: null,
  });
  assert.deepEqual(summary.errors, {
    info: 0,
    warning: 0,
    error: 0,
    critical: 0,
    total: 0,
    db: 0,
    api: 0,
  });
  assert.deepEqual(summary.cache, { hits: 0, misses: 0, hit_rate: null });
  assert.deepEqual(summary.analysis.providers, {});
  assert.deepEqual(summary.runtime, { inbox_depth: 0, resident_actors: null, dead_letters: 0 });
  assert.deepEqual(summary.histograms, {});
  assert.deepEqual(summary.process, { version: "test", uptime_seconds: 0 });
  assert.equal(summary.generated_at, new Date(START).toISOString());
});

Deno.test("bot metrics: only failures give a zero success rate and count the errors", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(START);
  const runtime = appInstance(store, clock, "A");
  await runtime.inbox.ingest([1, 2, 3, 4].map((id) => textUpdate(id, 70 + id, "fail")));
  await runtime.supervisor.whenIdle();
  runtime.metrics.count("api_requests_total", 2);
  runtime.metrics.count("api_responses_5xx", 2);
  runtime.metrics.count("errors_db");
  await runtime.metrics.flush();
  const summary = await getMetricsSummary(store, {
    clock,
    stats: () => runtime.supervisor.getStats(),
  });
  assert.deepEqual(summary.requests.turns, {
    total: 4,
    successful: 0,
    failed: 4,
    success_rate: 0,
  });
  assert.equal(summary.requests.api.failed, 2);
  assert.equal(summary.requests.success_rate, 0);
  assert.equal(summary.errors.error, 4);
  assert.equal(summary.errors.total, 4);
  assert.equal(summary.errors.db, 1);
  assert.equal(summary.runtime.dead_letters, 4);
  assert.equal(typeof summary.runtime.resident_actors, "number");
  assert.equal(summary.response_time.count, 0);
  assert.equal(summary.response_time.p99_ms, null);
  assert.equal(summary.users.total, 0);
  await runtime.supervisor.stop();
});

Deno.test("bot metrics: a turns_failed counter, when recorded, counts failed turns", async () => {
  using store = await memoryStore();
  const tx = store.tx();
  counters.add(tx, "turns_total", 8);
  counters.add(tx, "turns_failed", 2);
  counters.add(tx, "dead_letters", 1); // one dead letter was since removed from the list
  await commitTx(store, tx);
  const summary = await getMetricsSummary(store, { clock: new FakeClock(START) });
  assert.deepEqual(summary.requests.turns, {
    total: 10,
    successful: 8,
    failed: 2,
    success_rate: 0.8,
  });
});

Deno.test("bot metrics: the figures are the same after a restart", async () => {
  await using tmp = await tempKvPath();
  const clock = new FakeClock(START);
  let store = await fileStore(tmp.path);
  const runtime = appInstance(store, clock, "A");
  await runtime.inbox.ingest([textUpdate(1, 5), textUpdate(2, 6), textUpdate(3, 5, "fail")]);
  await runtime.supervisor.whenIdle();
  await runtime.supervisor.stop();
  await runtime.metrics.flush();
  const before = await getMetricsSummary(store, { clock });
  store.close();
  store = await fileStore(tmp.path);
  const after = await getMetricsSummary(store, { clock });
  assert.deepEqual(durable(after), durable(before));
  assert.equal(after.requests.turns.successful, 2);
  assert.equal(after.requests.turns.failed, 1);
  assert.equal(after.users.total, 2);
  store.close();
});

Deno.test("bot metrics: true averages, percentiles interpolated within buckets, extremes", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(START);
  const values = [1, 2, 3, 4, 7, 8, 20, 60, 70, 20_000];
  const tx = store.tx();
  for (const ms of values) counters.observe(tx, "turn_ms", ms);
  await commitTx(store, tx);
  let summary = await getMetricsSummary(store, { clock });
  assert.deepEqual(summary.response_time, {
    count: 10,
    avg_ms: 2017.5,
    // No min/max records: the bounds of the lowest and highest non-empty buckets.
    fastest_ms: 0,
    slowest_ms: 10_000,
    exact_extremes: false,
    // Rank 5 of 10 is the first of two in (5, 10]: half-way through it.
    p50_ms: 7.5,
    // Ranks 9.5 and 9.9 fall in the open last bucket: its lower bound.
    p95_ms: 10_000,
    p99_ms: 10_000,
  });
  assert.deepEqual(summary.histograms.turn_ms, { count: 10, avg_ms: 2017.5 });
  // Exact extremes once kept as KV min/max records beside the histogram.
  const key = (name: string) => dataKey(store.generation, "counter", name);
  await store.kv.atomic()
    .min(key("turn_ms_min_us"), 1000n)
    .max(key("turn_ms_max_us"), 20_000_000n)
    .commit();
  summary = await getMetricsSummary(store, { clock });
  assert.equal(summary.response_time.fastest_ms, 1);
  assert.equal(summary.response_time.slowest_ms, 20_000);
  assert.equal(summary.response_time.exact_extremes, true);
  assert.equal("turn_ms_min_us" in summary.counters, false);
});

Deno.test("bot metrics: per-provider figures join durable counts and this process's breakers", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(START);
  const tx = store.tx();
  counters.add(tx, "provider_p1_requests", 4);
  counters.add(tx, "provider_p1_successes", 3);
  counters.add(tx, "provider_p1_timeouts", 1);
  counters.observe(tx, "provider_p1_latency", 100);
  counters.observe(tx, "provider_p1_latency", 300);
  await commitTx(store, tx);
  const summary = await getMetricsSummary(store, {
    clock,
    providerStatus: () => [{
      name: "p1",
      state: "open",
      lastErrorCode: "PROVIDER_TIMEOUT",
      lastErrorAt: START,
      lastSuccessAt: null,
      retryAfterUntil: null,
    }, {
      name: "p2",
      state: "closed",
      lastErrorCode: null,
      lastErrorAt: null,
      lastSuccessAt: null,
      retryAfterUntil: null,
    }],
  });
  const p1 = summary.analysis.providers.p1;
  assert.equal(p1.requests, 4);
  assert.equal(p1.successes, 3);
  assert.equal(p1.timeouts, 1);
  assert.equal(p1.success_rate, 0.75);
  assert.equal(p1.latency.avg_ms, 200);
  assert.equal(p1.state, "open");
  assert.equal(p1.last_error_code, "PROVIDER_TIMEOUT");
  assert.equal(summary.analysis.providers.p2.requests, 0);
  assert.equal(summary.analysis.providers.p2.success_rate, null);
});
