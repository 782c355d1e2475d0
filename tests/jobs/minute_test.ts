import assert from "node:assert/strict";
import { type Supervisor } from "../../src/actors/supervisor.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { signedCount } from "../../src/core/tx.ts";
import * as counters from "../../src/store/counters.ts";
import { listRuns } from "../../src/store/cron_runs.ts";
import { metaKeys, runtimeKeys } from "../../src/store/keys.ts";
import { type Store } from "../../src/store/kv.ts";
import { listPoints } from "../../src/store/series.ts";
import { flushTally, listTallies, TALLY_FOLD_AFTER_MS } from "../../src/store/tally.ts";
import { ROLLUP_SERIES } from "../../src/jobs/metrics.ts";
import { type CronOutcome } from "../../src/jobs/cron.ts";
import { minuteCron, type MinuteDeps } from "../../src/jobs/minute.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

const T0 = Date.UTC(2026, 3, 1, 12);

/** The minute cron as the app wires it to a supervisor. */
function minuteWith(
  store: Store,
  clock: FakeClock,
  supervisor: Supervisor,
  more: Partial<MinuteDeps> = {},
): Promise<CronOutcome> {
  return minuteCron({
    store,
    clock,
    cronEnabled: true,
    sweepInboxes: () => supervisor.sweepInboxes(),
    whenIdle: () => supervisor.whenIdle(),
    gauges: async () => ({ ...await supervisor.getStats() }),
    ...more,
  });
}

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
  const outcome = await minuteWith(store, clock, supervisor, {
    runJobs: () => Promise.resolve(++jobsRun),
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

Deno.test("minute cron: folds a dead process's tally into the counters and recounts the inbox depth it left wrong", async () => {
  await using tmp = await tempKvPath();
  const dead = await fileStore(tmp.path);
  const store = await fileStore(tmp.path);
  const handle = () => Promise.resolve();
  // The dead process queued five updates and wrote its tally; then it ran the last two turns
  // and died before writing it again.
  const gone = createRuntime({ store: dead, clock: new FakeClock(T0), handle, owner: "dead" });
  for (let i = 1; i <= 3; i++) await gone.inbox.ingest([textUpdate(i, 100 + i)]);
  await gone.supervisor.whenIdle();
  gone.inbox.onQueued = () => {};
  await gone.inbox.ingest([textUpdate(4, 200), textUpdate(5, 201)]);
  await flushTally(dead, T0);
  await gone.supervisor.sweepInboxes();
  await gone.supervisor.whenIdle();
  dead.close();

  const clock = new FakeClock(T0 + TALLY_FOLD_AFTER_MS);
  const { supervisor } = createRuntime({ store, clock, handle, owner: "live" });
  // Its written tally says 2 wait; a depth that small is counted in the inboxes instead.
  assert.equal((await supervisor.getStats()).inbox_depth, 0, "the lost settlements do not show");
  const outcome = await minuteWith(store, clock, supervisor);
  assert.equal(outcome.status, "ok");
  assert.equal(outcome.numbers.tallies_folded, 1);
  assert.equal(outcome.numbers.inbox_entries_counted, 0);
  const base = await store.kv.get<Deno.KvU64>(runtimeKeys.gauge("inbox_depth"));
  assert.equal(signedCount(base.value), 0, "the fold's +2 corrected within the minute");
  assert.equal((await supervisor.getStats()).inbox_depth, 0);
  assert.deepEqual(await listTallies(store), [], "the dead process's record is folded");
  assert.equal(await counters.get(store, "turns_total"), 3, "its two unwritten turns are lost");
  const [point] = await listPoints<{ gauges: Record<string, number> }>(store, ROLLUP_SERIES);
  assert.equal(point.value.gauges.inbox_depth, 0, "the minute's point has the corrected depth");
  await supervisor.stop();
  store.close();
});
