import assert from "node:assert/strict";
import { JobRunner } from "../../src/actors/jobs.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { createErrorReporter } from "../../src/core/report.ts";
import { BACKUP_JOB, backupCron, backupIfStale, backupJob } from "../../src/jobs/backup.ts";
import { KvAuditSink } from "../../src/store/audit.ts";
import { BackupService } from "../../src/store/backups.ts";
import { KvMetricsSink } from "../../src/store/counters.ts";
import { listRuns } from "../../src/store/cron_runs.ts";
import { createJob, getJob } from "../../src/store/jobs.ts";
import { commitTx } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 3, 1, 3, 20);
const DAY = 86_400_000;

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "rvx-backup-job-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

Deno.test("backup cron: takes a daily backup and applies retention, keeping the newest", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 2 });
  const tx = store.tx();
  profiles.save(tx, profiles.newProfile({ id: 1, language: "en" }, T0));
  await commitTx(store, tx);
  const deps = { store, clock, cronEnabled: true, backups };
  for (let day = 0; day < 5; day++) {
    const outcome = await backupCron(deps);
    assert.equal(outcome.status, "ok", `day ${day}`);
    await clock.advance(DAY);
  }
  const names = (await backups.list()).map((b) => b.name);
  assert.deepEqual(names, [
    "rvx-backup-20260405-032000.jsonl.gz",
    "rvx-backup-20260404-032000.jsonl.gz",
    "rvx-backup-20260403-032000.jsonl.gz",
  ]);
  const [last] = await listRuns(store, "backup");
  assert.equal(last.status, "ok");
  assert.equal(last.numbers.backups_pruned, 1);
  assert.ok(last.numbers.records >= 1);
});

Deno.test("backup cron: at start a backup is taken only when the newest is older than a day", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, retentionDays: 30 });
  const deps = { store, clock, cronEnabled: true, backups };
  assert.equal((await backupIfStale(deps))?.status, "ok", "none yet");
  await clock.advance(DAY - 1000);
  assert.equal(await backupIfStale(deps), null, "a recent one");
  await clock.advance(2000);
  assert.equal((await backupIfStale(deps))?.status, "ok", "older than a day");
  assert.equal((await backups.list()).length, 2);
  assert.equal((await backupIfStale({ ...deps, cronEnabled: false }))?.status, "disabled");
});

Deno.test("backup job: /backup runs as a job and reports the backup it made", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, retentionDays: 30 });
  const runner = new JobRunner({
    store,
    clock,
    reportError: createErrorReporter({
      audit: new KvAuditSink(store, clock),
      metrics: new KvMetricsSink(store, { clock }),
    }),
    handlers: { [BACKUP_JOB]: backupJob(backups) },
  });
  const tx = store.tx();
  const job = createJob(tx, { kind: BACKUP_JOB, params: { userId: 42 } }, clock.now());
  await commitTx(store, tx);
  assert.equal(await runner.runPending(), 1);
  const done = (await getJob(store, job.id)).value!;
  assert.equal(done.status, "done");
  const [made] = await backups.list();
  assert.equal(done.result?.name, made.name);
});
