import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { inboxSweepCron } from "../../src/jobs/inbox_sweep.ts";
import { listRuns } from "../../src/store/cron_runs.ts";
import { metaKeys } from "../../src/store/keys.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 3, 1, 12);

Deno.test("inbox sweep: updates a crashed process left in inboxes are run; jobs too", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const handled: number[] = [];
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    handle: (turn) => {
      handled.push(turn.update.update_id);
      return Promise.resolve();
    },
  });
  // Queued durably, but nobody was told (the process that took them stopped).
  inbox.onQueued = () => {};
  for (let i = 1; i <= 6; i++) await inbox.ingest([textUpdate(i, 100 + (i % 3))]);
  assert.deepEqual(handled, []);

  let jobsRun = 0;
  const outcome = await inboxSweepCron({
    store,
    clock,
    cronEnabled: true,
    sweepInboxes: () => supervisor.sweepInboxes(),
    runJobs: () => Promise.resolve(++jobsRun),
  });
  assert.equal(outcome.status, "ok");
  assert.equal(outcome.numbers.actors_scheduled, 3);
  assert.equal(outcome.numbers.jobs_finished, 1);
  await supervisor.whenIdle();
  assert.deepEqual([...handled].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
  assert.equal((await supervisor.getStats()).inbox_depth, 0);
  const [run] = await listRuns(store, "inbox_sweep");
  assert.equal(run.status, "ok");
  await supervisor.stop();
});

Deno.test("inbox sweep: re-reads the generation pointer a restore elsewhere switched", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  await store.kv.set(metaKeys.generation, 4);
  assert.equal(store.generation, 1);
  const outcome = await inboxSweepCron({
    store,
    clock,
    cronEnabled: true,
    sweepInboxes: () => Promise.resolve(0),
  });
  assert.equal(outcome.numbers.generation, 4);
  assert.equal(store.generation, 4);
});
