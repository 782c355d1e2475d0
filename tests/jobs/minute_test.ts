import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { listRuns } from "../../src/store/cron_runs.ts";
import { metaKeys } from "../../src/store/keys.ts";
import { listPoints } from "../../src/store/series.ts";
import { ROLLUP_SERIES } from "../../src/jobs/metrics.ts";
import { minuteCron } from "../../src/jobs/minute.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 3, 1, 12);

Deno.test("minute cron: updates a dead process left in inboxes are run before the run ends; jobs and the rollup too", async () => {
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
  const outcome = await minuteCron({
    store,
    clock,
    cronEnabled: true,
    sweepInboxes: () => supervisor.sweepInboxes(),
    whenIdle: () => supervisor.whenIdle(),
    runJobs: () => Promise.resolve(++jobsRun),
    gauges: async () => ({ ...await supervisor.getStats() }),
  });
  assert.equal(outcome.status, "ok");
  // Awaited by the run itself: on Deploy the isolate may end once the handler returns.
  assert.deepEqual([...handled].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
  assert.equal(outcome.numbers.actors_scheduled, 3);
  assert.equal(outcome.numbers.jobs_finished, 1);
  assert.equal(outcome.numbers.settled_in_time, 1);
  assert.equal((await supervisor.getStats()).inbox_depth, 0);
  const [run] = await listRuns(store, "minute");
  assert.equal(run.status, "ok");
  const [point] = await listPoints<{ gauges: Record<string, number> }>(store, ROLLUP_SERIES);
  assert.equal(point.value.gauges.inbox_depth, 0, "the minute's metrics point is recorded");
  await supervisor.stop();
});

Deno.test("minute cron: stops waiting at its deadline and records that the work goes on", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  let finishTurn: () => void = () => {};
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    handle: () => new Promise<void>((resolve) => finishTurn = resolve),
  });
  inbox.onQueued = () => {};
  await inbox.ingest([textUpdate(1, 100)]);
  const run = minuteCron({
    store,
    clock,
    cronEnabled: true,
    deadlineMs: 50_000,
    sweepInboxes: () => supervisor.sweepInboxes(),
    whenIdle: () => supervisor.whenIdle(),
  });
  await clock.advance(50_000);
  const outcome = await run;
  assert.equal(outcome.status, "ok");
  assert.equal(outcome.numbers.settled_in_time, 0);
  finishTurn();
  await supervisor.whenIdle();
  assert.equal((await supervisor.getStats()).inbox_depth, 0, "the turn finished after the run");
  await supervisor.stop();
});

Deno.test("minute cron: re-reads the generation pointer a restore elsewhere switched", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  await store.kv.set(metaKeys.generation, 4);
  assert.equal(store.generation, 1);
  const outcome = await minuteCron({
    store,
    clock,
    cronEnabled: true,
    sweepInboxes: () => Promise.resolve(0),
  });
  assert.equal(outcome.numbers.generation, 4);
  assert.equal(store.generation, 4);
});
