import assert from "node:assert/strict";
import { type JobHandler, JobRunner } from "../../src/actors/jobs.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { createErrorReporter } from "../../src/core/report.ts";
import { KvAuditSink } from "../../src/store/audit.ts";
import * as counters from "../../src/store/counters.ts";
import { createJob, getJob, type JobRecord } from "../../src/store/jobs.ts";
import { metaKeys } from "../../src/store/keys.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import { SCHEMA_VERSION } from "../../src/store/migrations.ts";
import { SchemaFence } from "../../src/store/schema_fence.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

function runner(
  store: Store,
  clock: FakeClock,
  owner: string,
  handler: JobHandler,
  onDone?: (job: JobRecord) => Promise<void>,
) {
  const metrics = new counters.KvMetricsSink(store, { clock });
  return new JobRunner({
    store,
    clock,
    owner,
    leaseTtlMs: 1000,
    reportError: createErrorReporter({ audit: new KvAuditSink(store, clock), metrics }),
    handlers: { count: handler },
    onDone,
  });
}

/** Counts items 0..total-1 into ten buckets, 500 per batch. */
function countingHandler(
  total: number,
  beforeCommit?: (batch: number) => Promise<void>,
): JobHandler {
  let batches = 0;
  return {
    async batch(job, tx) {
      const from = (job.cursor as number | null) ?? 0;
      const to = Math.min(total, from + 500);
      for (let i = from; i < to; i++) counters.add(tx, `item_bucket_${i % 10}`);
      await beforeCommit?.(++batches);
      return { cursor: to, processed: to - from, done: to >= total, total };
    },
  };
}

Deno.test("jobs: a job of 10 000 items survives a crash half-way and finishes exactly once per item", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  const start = Date.UTC(2026, 0, 1);
  const clockA = new FakeClock(start);
  const clockB = new FakeClock(start);
  const tx = storeA.tx();
  const job = createJob(
    tx,
    { kind: "count", params: {}, notify: { chatId: 1, lang: "en" } },
    start,
  );
  await commitTx(storeA, tx);

  let crashed: () => void = () => {};
  const crashedAt = new Promise<void>((r) => crashed = r);
  const never = new Promise<void>(() => {});
  const a = runner(
    storeA,
    clockA,
    "A",
    countingHandler(10_000, (batch) => {
      if (batch < 11) return Promise.resolve();
      crashed();
      return never; // the process dies in the middle of batch 11
    }),
  );
  void a.runJob(job.id);
  await crashedAt;
  assert.equal((await getJob(storeB, job.id)).value?.processed, 5000);

  const notices: JobRecord[] = [];
  const b = runner(storeB, clockB, "B", countingHandler(10_000), (done) => {
    notices.push(done);
    return Promise.resolve();
  });
  assert.equal(await b.runJob(job.id), false, "A's lease is still live");
  await clockB.advance(1001);
  assert.equal(await b.runJob(job.id), true);
  const all = await counters.getAll(storeB);
  for (let bucket = 0; bucket < 10; bucket++) assert.equal(all.get(`item_bucket_${bucket}`), 1000);
  const finished = (await getJob(storeB, job.id)).value!;
  assert.equal(finished.status, "done");
  assert.equal(finished.processed, 10_000);
  assert.equal(finished.notified, true);
  assert.equal(notices.length, 1);
  storeA.close();
  storeB.close();
});

Deno.test("jobs: a batch that keeps failing marks the job failed after backing off", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(0);
  const tx = store.tx();
  const job = createJob(tx, { kind: "count", params: {} }, 0);
  await commitTx(store, tx);
  const failing = runner(store, clock, "A", { batch: () => Promise.reject(new Error("broken")) });
  let finished = false;
  const run = failing.runJob(job.id).then((r) => (finished = true, r));
  for (let i = 0; i < 100 && !finished; i++) await clock.advance(30_000);
  assert.equal(await run, false);
  const stored = (await getJob(store, job.id)).value!;
  assert.equal(stored.status, "failed");
  assert.equal(stored.error, "broken");
});

Deno.test("jobs: a batch whose commit the schema fence refuses is not run again; the job stays for the new version", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const newer = await fileStore(tmp.path);
  const clock = new FakeClock(0);
  store.fence = await SchemaFence.open(store, clock);
  const tx = store.tx();
  const job = createJob(tx, { kind: "count", params: {} }, 0);
  await commitTx(store, tx);
  let batches = 0;
  const old = runner(
    store,
    clock,
    "A",
    countingHandler(10_000, async () => {
      // Each batch has effects outside KV (a broadcast's messages): they must not repeat.
      batches++;
      await newer.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION + 1);
    }),
  );
  assert.equal(await old.runJob(job.id), false);
  assert.equal(await old.runPending(), 0);
  assert.equal(batches, 1);
  const stored = (await getJob(newer, job.id)).value!;
  assert.equal(stored.processed, 0);
  assert.notEqual(stored.status, "failed");
  store.close();
  newer.close();
});
