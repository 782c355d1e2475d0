import assert from "node:assert/strict";
import { stageGaugeDelta } from "../../src/actors/turn.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { sessionSweepCron } from "../../src/jobs/session_sweep.ts";
import * as counters from "../../src/store/counters.ts";
import { listRuns } from "../../src/store/cron_runs.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import { readSession, stageSession } from "../../src/store/sessions.ts";
import { createRuntime } from "../support/runtime.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 3, 1, 12);
const MIN = 60_000;

/** Writes a session as a turn would: the record, its index entry and its gauges. */
async function writeSession(
  store: Store,
  actor: string,
  expiresAt: number,
  previous?: number,
): Promise<void> {
  const tx = store.tx();
  const gauges = { sessions_active: true, sessions_in_news: actor.endsWith("n") };
  stageSession(
    tx,
    actor,
    { state: { actor }, expiresAt, createdAt: T0 },
    gauges,
    previous,
    T0,
  );
  if (previous === undefined) stageGaugeDelta(tx, null, gauges);
  await commitTx(store, tx);
}

Deno.test("session sweep: cleans exactly the expired sessions and takes their gauges back", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const { supervisor } = createRuntime({ store, clock, handle: () => Promise.resolve() });
  await writeSession(store, "u:1n", T0 + 60 * MIN);
  await writeSession(store, "u:2", T0 + 120 * MIN);
  await writeSession(store, "u:3n", T0 + 30 * MIN);
  await writeSession(store, "u:4", T0 + 180 * MIN);
  // Renewed by a later turn: its first expiry no longer applies.
  await writeSession(store, "u:5", T0 + 60 * MIN);
  await writeSession(store, "u:5", T0 + 300 * MIN, T0 + 60 * MIN);
  assert.equal(await counters.get(store, "sessions_active"), 5);
  assert.equal(await counters.get(store, "sessions_in_news"), 2);

  const deps = {
    store,
    clock,
    cronEnabled: true,
    cleanupExpiredSessions: () => supervisor.cleanupExpiredSessions(),
  };
  // Nothing is due yet.
  assert.deepEqual((await sessionSweepCron(deps)).numbers, { sessions_cleaned: 0 });

  await clock.set(T0 + 120 * MIN);
  const outcome = await sessionSweepCron(deps);
  assert.equal(outcome.status, "ok");
  assert.deepEqual(outcome.numbers, { sessions_cleaned: 3 });
  const now = clock.now();
  for (const actor of ["u:1n", "u:2", "u:3n"]) {
    assert.equal((await readSession(store, actor, now)).status, "absent", actor);
  }
  for (const actor of ["u:4", "u:5"]) {
    assert.equal((await readSession(store, actor, now)).status, "live", actor);
  }
  assert.equal(await counters.get(store, "sessions_active"), 2);
  assert.equal(await counters.get(store, "sessions_in_news"), 0);
  assert.equal(await counters.get(store, "sessions_cleaned"), 3);

  // A second sweep finds nothing more.
  assert.deepEqual((await sessionSweepCron(deps)).numbers, { sessions_cleaned: 0 });
  const runs = await listRuns(store, "session_sweep");
  assert.deepEqual(runs.map((r) => r.numbers.sessions_cleaned), [0, 3, 0]);
  await supervisor.stop();
});
