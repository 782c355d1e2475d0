import assert from "node:assert/strict";
import { cleanupUserData, emptySession, type SessionGauge } from "../../src/actors/session.ts";
import { FakeClock } from "../../src/core/clock.ts";
import * as counters from "../../src/store/counters.ts";
import { runtimeKeys } from "../../src/store/keys.ts";
import { commitTx } from "../../src/store/kv.ts";
import { acquireLease } from "../../src/store/leases.ts";
import * as profiles from "../../src/store/profiles.ts";
import { expiryBucket, readSession } from "../../src/store/sessions.ts";
import { memoryStore } from "../support/store.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";

const HOUR_MS = 3_600_000;

/** A gauge the way the bot declares one (the runtime knows none of its own besides active). */
const IN_NEWS: SessionGauge = {
  counter: "sessions_in_news",
  stat: "users_in_news",
  counts: (state) => state.lastNews != null,
};

Deno.test("session: clearing empties whatever the session holds", () => {
  const state = emptySession();
  state.course = { courseId: "beginner", lessonId: "beginner-1" };
  state.anything = 1;
  cleanupUserData(state);
  assert.deepEqual(state, emptySession());
});

Deno.test("session: expired state reads as absent while KV still holds it; the sweep counts and removes it; the profile survives", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const seenStates: unknown[] = [];
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    settings: { sessionTtlMs: 60_000, sessionGauges: [IN_NEWS] },
    handle: (turn) => {
      seenStates.push(structuredClone(turn.state.lastNews));
      turn.state.lastNews = { text: "BTC", analysisId: null, at: clock.now() };
      if (turn.update.update_id === 1) {
        profiles.save(turn.tx, profiles.newProfile({ id: 5, language: "en" }, clock.now()));
      }
      return Promise.resolve();
    },
  });
  await inbox.ingest([textUpdate(1, 5)]);
  await supervisor.whenIdle();
  let stats = await supervisor.getStats();
  assert.equal(stats.active_users, 1);
  assert.equal(stats.users_in_news, 1);

  await clock.advance(61_000);
  const read = await readSession(store, "u:5", clock.now());
  assert.equal(read.status, "expired", "KV still holds it, but it reads as expired");
  assert.equal(await supervisor.cleanupExpiredSessions(), 0, "its index bucket has not ended");
  // The hourly sweep after the end of the expiry's hour.
  await clock.advance(expiryBucket(Date.UTC(2026, 0, 1) + 60_000) - clock.now());
  assert.equal(await supervisor.cleanupExpiredSessions(), 1);
  assert.equal((await readSession(store, "u:5", clock.now())).status, "absent");
  stats = await supervisor.getStats();
  assert.equal(stats.active_users, 0);
  assert.equal(stats.users_in_news, 0);
  assert.equal(await counters.get(store, "sessions_cleaned"), 1);
  assert.equal(await counters.get(store, "sessions_created"), 1);
  assert.ok(await profiles.get(store, 5), "the profile is long-lived");

  await inbox.ingest([textUpdate(2, 5)]);
  await supervisor.whenIdle();
  assert.deepEqual(seenStates, [undefined, undefined], "a turn after expiry starts empty");
  assert.equal(await supervisor.cleanupExpiredSessions(), 0);
  await supervisor.stop();
});

Deno.test("session: the sweep removes an expired user's lease record unless it is held; the user's next update takes the lease again", async () => {
  using store = await memoryStore();
  const T0 = Date.UTC(2026, 0, 1);
  const clock = new FakeClock(T0);
  const handled: number[] = [];
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    direct: true,
    settings: { sessionTtlMs: 60_000 },
    handle: (turn) => {
      handled.push(turn.update.update_id);
      turn.state.seen = true;
      return Promise.resolve();
    },
  });
  const lease = async (actor: string) =>
    (await store.kv.get<{ owner: string; epoch: number }>(runtimeKeys.lease(actor))).value;
  await inbox.ingest([textUpdate(1, 5), textUpdate(2, 6)]);
  await supervisor.whenIdle();
  assert.ok(await lease("u:5"), "u:5's lease record was written");

  // The sweep after the end of the expiry's hour; u:6's lease is held by another process then.
  await clock.advance(expiryBucket(T0 + 60_000) - clock.now());
  const other = await acquireLease(store, "u:6", "other", 3_600_000, clock.now());
  assert.ok(other, "u:6's lease lapsed or ended, and another process took it");
  assert.equal(await supervisor.cleanupExpiredSessions(), 2);
  assert.equal(await lease("u:5"), null, "nobody held u:5's lease: its record is gone");
  assert.equal((await lease("u:6"))?.owner, "other", "a held lease stays");

  await inbox.ingest([textUpdate(3, 5)]);
  await supervisor.whenIdle();
  assert.deepEqual(handled, [1, 2, 3]);
  assert.equal((await lease("u:5"))?.owner, supervisor.owner, "taken again");
  await supervisor.stop();
});

Deno.test("session: a session recreated before the sweep is counted once and its predecessor taken back", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    settings: { sessionTtlMs: HOUR_MS },
    handle: () => Promise.resolve(),
  });
  await inbox.ingest([textUpdate(1, 6)]);
  await supervisor.whenIdle();
  await clock.advance(HOUR_MS + 1000);
  await supervisor.stop(); // forget the cached session, as a restart would
  const again = createRuntime({
    store,
    clock,
    settings: { sessionTtlMs: HOUR_MS },
    handle: () => Promise.resolve(),
  });
  await again.inbox.ingest([textUpdate(2, 6)]);
  await again.supervisor.whenIdle();
  assert.equal((await again.supervisor.getStats()).active_users, 2, "gauges may lag by one sweep");
  assert.equal(await again.supervisor.cleanupExpiredSessions(), 1);
  assert.equal((await again.supervisor.getStats()).active_users, 1);
  assert.equal((await readSession(store, "u:6", clock.now())).status, "live");
  await again.supervisor.stop();
});

Deno.test("session: a turn's writes, its session and its counters commit together or not at all", async () => {
  using store = await memoryStore();
  const { inbox, supervisor } = createRuntime({
    store,
    handle: (turn) => {
      counters.add(turn.tx, "effects");
      turn.state.touched = true;
      return Promise.resolve();
    },
  });
  store.injectFault("throwing");
  await assert.rejects(inbox.ingest([textUpdate(1, 1)]));
  await store.reopen();
  await inbox.ingest([textUpdate(1, 1)]);
  await supervisor.whenIdle();
  assert.equal(await counters.get(store, "effects"), 1);
  await commitTx(store, store.tx());
  await supervisor.stop();
});

Deno.test("session: a user taking a turn every two minutes for an hour moves the session's expiry-index entry at most once", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 0, 30));
  const indexWrites: string[] = [];
  const atomic = store.kv.atomic.bind(store.kv);
  // Deno's API observed, not ours: which keys each commit writes.
  store.kv.atomic = () => {
    const op = atomic();
    const mutate = op.mutate.bind(op);
    op.mutate = (...mutations) => {
      for (const m of mutations) {
        if (m.key.includes("session_expiry")) indexWrites.push(`${m.type} ${String(m.key.at(-2))}`);
      }
      return mutate(...mutations);
    };
    return op;
  };
  const { inbox, supervisor } = createRuntime({ store, clock, handle: () => Promise.resolve() });
  for (let id = 1; id <= 30; id++) {
    await inbox.ingest([textUpdate(id, 8)]);
    await supervisor.whenIdle();
    await clock.advance(120_000);
  }
  // Created in one hour's bucket, moved once when the expiry crossed into the next.
  assert.ok(indexWrites.length <= 3, `index writes: ${indexWrites.join(", ")}`);
  assert.equal(await supervisor.cleanupExpiredSessions(), 0, "the live session stays");
  await supervisor.stop();
});
