import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { createErrorReporter } from "../../src/core/report.ts";
import { runCron } from "../../src/jobs/cron.ts";
import { CRON_SCHEDULES, cronHandlers, type CronName, CronRegistry } from "../../src/jobs/mod.ts";
import { sessionSweepCron } from "../../src/jobs/session_sweep.ts";
import { KvAuditSink } from "../../src/store/audit.ts";
import { BackupService, MAINTENANCE_LEASE } from "../../src/store/backups.ts";
import { KvMetricsSink } from "../../src/store/counters.ts";
import { listRuns, RUNS_KEPT } from "../../src/store/cron_runs.ts";
import { type Store } from "../../src/store/kv.ts";
import { acquireLease } from "../../src/store/leases.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

const T0 = Date.UTC(2026, 3, 1, 12);

async function countKeys(store: Store): Promise<number> {
  let n = 0;
  for await (const _ of store.kv.list({ prefix: [] })) n++;
  return n;
}

Deno.test("cron: a run records its start, end, outcome and numbers", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const outcome = await runCron({ store, clock, cronEnabled: true }, "example", async () => {
    const [running] = await listRuns(store, "example");
    assert.equal(running.status, "running");
    assert.equal(running.started_at, new Date(T0).toISOString());
    assert.equal(running.ended_at, null);
    await clock.advance(1500);
    return { things: 3 };
  });
  assert.deepEqual(outcome, { name: "example", status: "ok", numbers: { things: 3 } });
  const runs = await listRuns(store, "example");
  assert.equal(runs.length, 1);
  assert.equal(runs[0].status, "ok");
  assert.equal(runs[0].ended_at, new Date(T0 + 1500).toISOString());
  assert.equal(runs[0].duration_ms, 1500);
  assert.deepEqual(runs[0].numbers, { things: 3 });
  assert.equal(runs[0].error, null);
});

Deno.test("cron: a failing run is recorded with its error, reported, and releases its lease", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const reported: string[] = [];
  const reportError = createErrorReporter({
    audit: new KvAuditSink(store, clock),
    metrics: new KvMetricsSink(store, { clock }),
  });
  const deps = {
    store,
    clock,
    cronEnabled: true,
    reportError: (err: unknown, operation: string) => {
      reported.push(operation);
      return reportError(err, operation);
    },
  };
  const outcome = await runCron(deps, "flaky", () => Promise.reject(new Error("disk on fire")));
  assert.equal(outcome.status, "error");
  assert.equal(outcome.error, "disk on fire");
  assert.deepEqual(reported, ["cron.flaky"]);
  const [run] = await listRuns(store, "flaky");
  assert.equal(run.status, "error");
  assert.equal(run.error, "disk on fire");
  // Released: the next run goes at once.
  assert.equal((await runCron(deps, "flaky", () => Promise.resolve({}))).status, "ok");
});

Deno.test("cron: a run held by another process is skipped until that lease lapses", async () => {
  await using tmp = await tempKvPath();
  const mine = await fileStore(tmp.path);
  const theirs = await fileStore(tmp.path);
  try {
    const clock = new FakeClock(T0);
    // Another process is in the middle of the hourly sweep.
    const held = await acquireLease(theirs, "cron:session_sweep", "other-process", 60_000, T0);
    assert.ok(held);
    let calls = 0;
    const deps = {
      store: mine,
      clock,
      cronEnabled: true,
      cleanupExpiredSessions: () => Promise.resolve(++calls),
    };
    const skipped = await sessionSweepCron(deps);
    assert.equal(skipped.status, "skipped");
    assert.equal(skipped.reason, "running elsewhere");
    assert.equal(calls, 0);
    assert.deepEqual(await listRuns(mine, "session_sweep"), []);
    // The other process died: its lease lapses and the next run goes.
    await clock.advance(60_001);
    assert.equal((await sessionSweepCron(deps)).status, "ok");
    assert.equal(calls, 1);
  } finally {
    mine.close();
    theirs.close();
  }
});

Deno.test("cron: a run does not overlap itself within one process either", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const deps = { store, clock, cronEnabled: true };
  let release!: () => void;
  const first = runCron(deps, "slow", async () => {
    await new Promise<void>((resolve) => release = resolve);
    return {};
  });
  while (!release) await new Promise((r) => setTimeout(r, 1));
  const second = await runCron(deps, "slow", () => Promise.resolve({}));
  assert.equal(second.status, "skipped");
  release();
  assert.equal((await first).status, "ok");
});

Deno.test("cron: runs are skipped while a backup or restore holds the maintenance lease", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  await acquireLease(store, MAINTENANCE_LEASE, "restore", 30_000, T0);
  const outcome = await runCron({ store, clock, cronEnabled: true }, "x", () => {
    throw new Error("must not run");
  });
  assert.deepEqual(outcome, { name: "x", status: "skipped", reason: "maintenance", numbers: {} });
});

Deno.test("cron: only the newest runs of each cron are kept", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  for (let i = 0; i < RUNS_KEPT + 15; i++) {
    await runCron({ store, clock, cronEnabled: true }, "busy", () => Promise.resolve({ i }));
  }
  const runs = await listRuns(store, "busy", 1000);
  assert.equal(runs.length, RUNS_KEPT);
  assert.equal(runs[0].numbers.i, RUNS_KEPT + 14);
});

Deno.test("cron: CRON_ENABLED=false makes every handler a no-op that touches nothing", async () => {
  using store = await memoryStore();
  await using dir = {
    path: await Deno.makeTempDir(),
    [Symbol.asyncDispose]() {
      return Deno.remove(this.path, { recursive: true });
    },
  };
  const clock = new FakeClock(T0);
  const calls: string[] = [];
  const handlers = cronHandlers({
    store,
    clock,
    config: {
      cronEnabled: false,
      retentionDays: { backups: 30, audit: 90, history: 365, metrics: 90, deadLetters: 30 },
    },
    supervisor: {
      sweepInboxes: () => Promise.resolve(calls.push("sweep")),
      whenIdle: () => Promise.resolve(void calls.push("idle")),
      cleanupExpiredSessions: () => Promise.resolve(calls.push("sessions")),
      removeOrphanedLeases: () => Promise.resolve(calls.push("leases")),
      getStats: () => Promise.reject(new Error("not expected")),
    },
    jobs: { runPending: () => Promise.resolve(calls.push("jobs")) },
    backups: new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 }),
    metricsSummary: () => Promise.resolve(calls.push("summary")),
  });
  const before = await countKeys(store);
  for (const name of Object.keys(CRON_SCHEDULES) as CronName[]) {
    assert.equal((await handlers[name]()).status, "disabled", name);
  }
  assert.deepEqual(calls, []);
  assert.equal(await countKeys(store), before);
  assert.deepEqual([...Deno.readDirSync(dir.path)], []);
});

Deno.test("cron: a run that fires before the services are attached is skipped", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const registry = new CronRegistry();
  assert.equal((await registry.runNow("session_sweep")).status, "skipped");
  let cleaned = 0;
  registry.attach({
    store,
    clock,
    config: {
      cronEnabled: true,
      retentionDays: { backups: 30, audit: 90, history: 365, metrics: 90, deadLetters: 30 },
    },
    supervisor: {
      sweepInboxes: () => Promise.resolve(0),
      whenIdle: () => Promise.resolve(),
      cleanupExpiredSessions: () => Promise.resolve(++cleaned),
      removeOrphanedLeases: () => Promise.resolve(2),
      getStats: () => Promise.reject(new Error("not expected")),
    },
    backups: new BackupService({ store, clock, retentionDays: 30 }),
  });
  await registry.run("session_sweep");
  assert.equal(cleaned, 1);
  const [run] = await listRuns(store, "session_sweep");
  assert.deepEqual(run.numbers, { sessions_cleaned: 1, leases_removed: 2 });
});
