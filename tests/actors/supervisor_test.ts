import assert from "node:assert/strict";
import { type SessionState } from "../../src/actors/session.ts";
import { type Turn } from "../../src/actors/turn.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { configureLogging } from "../../src/log.ts";
import * as counters from "../../src/store/counters.ts";
import { listDeadLetters } from "../../src/store/dead_letters.ts";
import { readInbox } from "../../src/actors/inbox.ts";
import { SchemaFence } from "../../src/store/schema_fence.ts";
import { readSession } from "../../src/store/sessions.ts";
import { flushTally } from "../../src/store/tally.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";

Deno.test("supervisor: 1 000 updates for 10 users run one at a time per user, in inbox order", async () => {
  using store = await memoryStore();
  const running = new Set<string>();
  const order = new Map<string, number[]>();
  let overlaps = 0;
  const { inbox, supervisor } = createRuntime({
    store,
    handle: async (turn) => {
      if (running.has(turn.actor)) overlaps++;
      running.add(turn.actor);
      await new Promise((r) => setTimeout(r, 0));
      order.set(turn.actor, [...order.get(turn.actor) ?? [], turn.update.update_id]);
      running.delete(turn.actor);
    },
  });
  await supervisor.start();
  const updates = Array.from({ length: 1000 }, (_, i) => textUpdate(i + 1, 100 + (i % 10)));
  const results = await Promise.all(updates.map((u) => inbox.ingest([u])));
  assert.ok(results.every(([r]) => r.status === "queued"));
  await supervisor.whenIdle();
  assert.equal(overlaps, 0);
  assert.equal(order.size, 10);
  for (const [actor, ids] of order) {
    assert.equal(ids.length, 100, actor);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), `${actor} ran out of order`);
  }
  const stats = await supervisor.getStats();
  assert.equal(stats.inbox_depth, 0);
  assert.equal(stats.active_users, 10);
  await supervisor.stop();
});

Deno.test("supervisor: two supervisors on one KV file keep every session list exact and in order", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const running = new Set<string>();
  let overlaps = 0;
  const handle = async (turn: Turn) => {
    if (running.has(turn.actor)) overlaps++;
    running.add(turn.actor);
    await new Promise((r) => setTimeout(r, Math.random() < 0.1 ? 1 : 0));
    const seen = (turn.state.seen as number[] | undefined) ?? [];
    turn.state.seen = [...seen, turn.update.update_id];
    running.delete(turn.actor);
  };
  const a = createRuntime({ store: storeA, clock, handle, owner: "A" });
  const b = createRuntime({ store: storeB, clock, handle, owner: "B" });
  // Each process ingests half the traffic and both drain every user.
  const updates = Array.from({ length: 400 }, (_, i) => textUpdate(i + 1, 1 + (i % 8)));
  await Promise.all(updates.map((u, i) => (i % 2 ? a : b).inbox.ingest([u])));
  for (let round = 0; round < 20; round++) {
    await Promise.all([a.supervisor.sweepInboxes(), b.supervisor.sweepInboxes()]);
    await Promise.all([a.supervisor.whenIdle(), b.supervisor.whenIdle()]);
    // Each process's inbox counts reach the other through its tally.
    await Promise.all([flushTally(storeA, clock.now()), flushTally(storeB, clock.now())]);
    if ((await a.supervisor.getStats()).inbox_depth === 0) break;
  }
  assert.equal(overlaps, 0);
  await a.supervisor.stop();
  await b.supervisor.stop();
  for (let user = 1; user <= 8; user++) {
    const entry = await storeA.kv.get<{ state: { seen: number[] } }>([
      "g",
      1,
      "session",
      `u:${user}`,
    ]);
    const expected = updates.filter((u) => u.message.from.id === user).map((u) => u.update_id);
    assert.deepEqual(entry.value?.state.seen, expected, `user ${user}`);
  }
  storeA.close();
  storeB.close();
});

Deno.test("supervisor: an abandoned turn is taken over after its lease lapses; its late commit is refused", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  const start = Date.UTC(2026, 0, 1);
  // A's clock never moves again: it stands for a process that stalled and stopped renewing.
  const clockA = new FakeClock(start);
  const clockB = new FakeClock(start);
  storeA.fence = await SchemaFence.open(storeA, clockA);
  storeB.fence = await SchemaFence.open(storeB, clockB);
  let releaseA: () => void = () => {};
  let aStarted: () => void = () => {};
  const aRunning = new Promise<void>((r) => aStarted = r);
  const a = createRuntime({
    store: storeA,
    clock: clockA,
    owner: "A",
    settings: { leaseTtlMs: 1000 },
    handle: async (turn) => {
      counters.add(turn.tx, "effects");
      aStarted();
      await new Promise<void>((r) => releaseA = r);
    },
  });
  const attemptsSeen: number[] = [];
  const b = createRuntime({
    store: storeB,
    clock: clockB,
    owner: "B",
    settings: { leaseTtlMs: 1000 },
    handle: (turn) => {
      attemptsSeen.push(turn.attempt);
      counters.add(turn.tx, "effects");
      return Promise.resolve();
    },
  });
  await a.inbox.ingest([textUpdate(1, 7), textUpdate(2, 7)]);
  await aRunning;
  await b.supervisor.sweepInboxes();
  await b.supervisor.whenIdle();
  assert.equal(await counters.get(storeB, "effects"), 0, "B waits while A's lease is live");
  await clockB.advance(1001);
  await b.supervisor.sweepInboxes();
  await b.supervisor.whenIdle();
  assert.equal(await counters.get(storeB, "effects"), 2);
  assert.deepEqual(attemptsSeen, [2, 1], "the crashed attempt was counted");
  releaseA();
  await a.supervisor.whenIdle();
  assert.equal(await counters.get(storeA, "effects"), 2, "A's late commit was refused");
  assert.equal((await b.supervisor.getStats()).inbox_depth, 0);
  // Telegram redelivers one to A; neither that nor the lost lease is taken for a schema change.
  await a.inbox.ingest([textUpdate(2, 7)]);
  await a.supervisor.whenIdle();
  assert.equal(storeA.fence.status, "current");
  assert.equal(await counters.get(storeA, "effects"), 2);
  await a.supervisor.stop();
  await b.supervisor.stop();
  storeA.close();
  storeB.close();
});

Deno.test("supervisor: redelivered update ids, queued or processed, have no second effect", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  let handled = 0;
  const runtime = createRuntime({
    store,
    handle: (turn) => {
      handled++;
      counters.add(turn.tx, "effects");
      return Promise.resolve();
    },
  });
  const update = textUpdate(50, 3);
  const [first, second] = await Promise.all([
    runtime.inbox.ingest([update]),
    runtime.inbox.ingest([update]),
  ]);
  assert.equal(first[0].status, "queued");
  assert.equal(second[0].status, "duplicate");
  await runtime.supervisor.whenIdle();
  await runtime.supervisor.stop();
  // A fresh process has no memory of it: the finished ids in the actor's session decide.
  let freshHandled = 0;
  const fresh = createRuntime({
    store,
    handle: () => {
      freshHandled++;
      return Promise.resolve();
    },
  });
  await fresh.inbox.ingest([update]);
  await fresh.supervisor.whenIdle();
  assert.equal(handled, 1);
  assert.equal(freshHandled, 0, "the redelivered update did not run again");
  assert.equal(await counters.get(store, "effects"), 1);
  assert.equal((await readInbox(store, "u:3", 10)).length, 0, "its entry is gone");
  assert.equal(await counters.get(store, "ingest_duplicates"), 1);
  await fresh.supervisor.stop();
  store.close();
});

Deno.test("supervisor: a failing turn tells the user once, backs off, retries and dead-letters after the last attempt", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const told: number[] = [];
  const tries: number[] = [];
  const runtime = createRuntime({
    store,
    clock,
    settings: { turnMaxAttempts: 3 },
    onTurnFailed: (turn) => {
      told.push(turn.update.update_id);
      return Promise.resolve();
    },
    handle: (turn) => {
      tries.push(clock.now());
      if (turn.update.update_id === 1) throw new Error("feature bug");
      return Promise.resolve();
    },
  });
  await runtime.inbox.ingest([textUpdate(1, 9), textUpdate(2, 9)]);
  await runtime.supervisor.whenIdle();
  assert.equal(tries.length, 1);
  await clock.advance(1000);
  await runtime.supervisor.whenIdle();
  assert.equal(tries.length, 2);
  await clock.advance(2000);
  await runtime.supervisor.whenIdle();
  assert.equal(tries.length, 4, "third attempt dead-letters, then update 2 runs");
  assert.deepEqual(tries.map((t) => t - tries[0]), [0, 1000, 3000, 3000]);
  assert.deepEqual(told, [1]);
  const [letter] = await listDeadLetters(store);
  assert.equal(letter.update_id, 1);
  assert.equal(letter.reason, "TURN_FAILED");
  assert.equal(letter.attempts, 3);
  assert.equal((await runtime.supervisor.getStats()).dead_letters, 1);
  await runtime.supervisor.stop();
});

Deno.test("supervisor: what a failed turn changed in the session is dropped; the retry starts from the last commit", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const runtime = createRuntime({
    store,
    clock,
    settings: {
      sessionGauges: [{
        counter: "sessions_in_news",
        stat: "users_in_news",
        counts: (state) => state.lastNews != null,
      }],
    },
    handle: (turn) => {
      const seen = (turn.state.seen ?? []) as string[];
      turn.state.seen = [...seen, `${turn.update.update_id}#${turn.attempt}`];
      if (turn.update.update_id === 2 && turn.attempt === 1) {
        turn.state.lastNews = { text: "half done", analysisId: null, at: clock.now() };
        throw new Error("feature bug");
      }
      return Promise.resolve();
    },
  });
  await runtime.inbox.ingest([textUpdate(1, 9), textUpdate(2, 9), textUpdate(3, 9)]);
  await runtime.supervisor.whenIdle();
  await clock.advance(1000);
  await runtime.supervisor.whenIdle();
  const read = await readSession<SessionState>(store, "u:9", clock.now());
  assert.equal(read.status, "live");
  if (read.status !== "live") return;
  assert.deepEqual(read.record.state.seen, ["1#1", "2#2", "3#1"]);
  assert.equal(read.record.state.lastNews, undefined);
  assert.equal((await runtime.supervisor.getStats()).users_in_news, 0);
  await runtime.supervisor.stop();
});

Deno.test("supervisor: a handler's failed check dead-letters the update without running it again", async () => {
  using store = await memoryStore();
  let runs = 0;
  const runtime = createRuntime({
    store,
    handle: async (turn) => {
      runs++;
      const guard = await store.kv.get(["meta", "guard"]);
      turn.tx.check(guard.key, guard.versionstamp);
      await store.kv.set(["meta", "guard"], runs); // a concurrent writer got there first
    },
  });
  await runtime.inbox.ingest([textUpdate(1, 4)]);
  await runtime.supervisor.whenIdle();
  assert.equal(runs, 1);
  const [letter] = await listDeadLetters(store);
  assert.equal(letter.reason, "COMMIT_CONFLICT");
  await runtime.supervisor.stop();
});

Deno.test("supervisor: a turn staging too much fails with TURN_TOO_LARGE and is dead-lettered at once", async () => {
  using store = await memoryStore();
  let runs = 0;
  const runtime = createRuntime({
    store,
    handle: (turn) => {
      runs++;
      for (let i = 0; i < 1000; i++) turn.tx.set(["meta", "x", i], i);
      return Promise.resolve();
    },
  });
  await runtime.inbox.ingest([textUpdate(1, 4)]);
  await runtime.supervisor.whenIdle();
  assert.equal(runs, 1);
  const [letter] = await listDeadLetters(store);
  assert.equal(letter.error_code, "TURN_TOO_LARGE");
  await runtime.supervisor.stop();
});

Deno.test("supervisor: idle actors leave memory, and no more than the cap stay once not busy", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const runtime = createRuntime({
    store,
    clock,
    settings: { actorIdleMs: 10_000, actorMaxResident: 5 },
    handle: () => Promise.resolve(),
  });
  await runtime.supervisor.start();
  for (let i = 1; i <= 8; i++) await runtime.inbox.ingest([textUpdate(i, i)]);
  await runtime.supervisor.whenIdle();
  // Drained actors keep their lease (and their place) for a second: busy actors are never dropped.
  await clock.advance(1_000);
  assert.ok(runtime.supervisor.residentActors <= 5);
  await clock.advance(20_000);
  assert.equal(runtime.supervisor.residentActors, 0);
  await runtime.supervisor.stop();
});

Deno.test("supervisor: at the resident cap with every actor busy, a new actor's turns still run one at a time, once", async () => {
  using store = await memoryStore();
  const running = new Set<string>();
  const runs = new Map<number, number>();
  let overlaps = 0;
  const gates: (() => void)[] = [];
  const { inbox, supervisor } = createRuntime({
    store,
    settings: { actorMaxResident: 2 },
    handle: async (turn) => {
      if (running.has(turn.actor)) overlaps++;
      running.add(turn.actor);
      runs.set(turn.update.update_id, (runs.get(turn.update.update_id) ?? 0) + 1);
      await new Promise<void>((resolve) => gates.push(resolve));
      running.delete(turn.actor);
    },
  });
  const waitForTurns = async (count: number) => {
    while (gates.length < count) await new Promise((resolve) => setTimeout(resolve, 0));
  };
  // Two actors fill the cap and stay busy; a third arrives, and then its second update.
  await inbox.ingest([textUpdate(1, 1)]);
  await inbox.ingest([textUpdate(2, 2)]);
  await waitForTurns(2);
  await inbox.ingest([textUpdate(3, 3)]);
  await waitForTurns(3);
  await inbox.ingest([textUpdate(4, 3)]);
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(gates.length, 3, "the third actor's second turn waits for its first");
  while (runs.size < 4 || gates.length > 0) {
    gates.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await supervisor.whenIdle();
  assert.equal(overlaps, 0);
  assert.deepEqual([...runs.values()], [1, 1, 1, 1]);
  await supervisor.stop();
});

Deno.test("supervisor: tells its owner when the last queued actor is drained", async () => {
  using store = await memoryStore();
  let idle = 0;
  const { inbox, supervisor } = createRuntime({
    store,
    handle: () => Promise.resolve(),
    onIdle: () => idle++,
  });
  await inbox.ingest([textUpdate(1, 1), textUpdate(2, 2)]);
  await supervisor.whenIdle();
  assert.ok(idle >= 1);
  await supervisor.stop();
});

Deno.test("supervisor: turns pause while a backup or restore holds the maintenance lease", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const handled: number[] = [];
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    handle: (turn) => {
      handled.push(turn.update.update_id);
      return Promise.resolve();
    },
  });
  const { acquireLease, MAINTENANCE_LEASE, releaseLease } = await import(
    "../../src/store/leases.ts"
  );
  const lease = await acquireLease(store, MAINTENANCE_LEASE, "restore", 30_000, clock.now());
  await inbox.ingest([textUpdate(1, 3)]);
  await supervisor.whenIdle();
  assert.deepEqual(handled, [], "nothing runs during maintenance");
  await releaseLease(store, lease!);
  await clock.advance(1000);
  await supervisor.whenIdle();
  assert.deepEqual(handled, [1], "and resumes once it ends");
  await supervisor.stop();
});

Deno.test("supervisor: a turn whose commit fails on KV commits later, its handler run once, reported once", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const lines: string[] = [];
  await configureLogging({ level: "debug", format: "json", write: (l) => lines.push(l) });
  let runs = 0;
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    handle: (turn) => {
      runs++;
      counters.add(turn.tx, "effects");
      // The disk fills while the handler runs: its commit is the first write to fail.
      store.injectFault("full");
      return Promise.resolve();
    },
  });
  await inbox.ingest([textUpdate(1, 7)]);
  const yieldToKv = () => new Promise((resolve) => setTimeout(resolve, 0));
  while (store.failedCommits < 3) {
    await clock.advance(1_000);
    await yieldToKv();
  }
  await store.reopen();
  const idle = supervisor.whenIdle();
  let done = false;
  idle.then(() => done = true);
  while (!done) {
    await clock.advance(5_000);
    await yieldToKv();
  }
  assert.equal(runs, 1, "the handler is never run again for a failed commit");
  assert.equal(await counters.get(store, "effects"), 1);
  assert.equal((await supervisor.getStats()).inbox_depth, 0);
  const reported = lines.map((line) => JSON.parse(line)).filter((l) =>
    l.operation === "turn.commit"
  );
  assert.equal(reported.length, 1, "one error line, not one per retry");
  assert.equal(reported[0].code, "KV_DISK_FULL");
  await configureLogging({ level: "info", format: "json", write: () => {} });
  await supervisor.stop();
  store.close();
});

Deno.test("supervisor: a turn KV refuses (a malformed key) is dead-lettered at once, others served", async () => {
  using store = await memoryStore();
  const runs = new Map<number, number>();
  const { inbox, supervisor } = createRuntime({
    store,
    handle: (turn) => {
      runs.set(turn.update.update_id, (runs.get(turn.update.update_id) ?? 0) + 1);
      if (turn.userId === 1) turn.tx.set(["broken", null as unknown as number], 1);
      counters.add(turn.tx, "effects");
      return Promise.resolve();
    },
  });
  await Promise.all([
    inbox.ingest([textUpdate(1, 1)]),
    ...Array.from({ length: 10 }, (_, i) => inbox.ingest([textUpdate(2 + i, 2 + i)])),
  ]);
  await supervisor.whenIdle();
  assert.equal(runs.get(1), 1, "never re-run: its replies are already out");
  assert.equal(await counters.get(store, "effects"), 10);
  const [dead] = await listDeadLetters(store);
  assert.equal(dead.update_id, 1);
  assert.equal(dead.reason, "TURN_FAILED");
  assert.equal((await supervisor.getStats()).inbox_depth, 0);
  await supervisor.stop();
});

Deno.test("supervisor: a turn that finds Telegram unavailable uses no attempt, is never dead-lettered, and pauses its actor only", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const { GrammyError } = await import("grammy");
  let telegramUp = false;
  const runs: { id: number; user: number; attempt: number; at: number; up: boolean }[] = [];
  const told: number[] = [];
  const runtime = createRuntime({
    store,
    clock,
    settings: {
      turnMaxAttempts: 2,
      outageBackoff: { baseMs: 1000, maxMs: 8000, probeMs: 2000 },
    },
    onTurnFailed: (turn) => {
      told.push(turn.update.update_id);
      return Promise.resolve();
    },
    handle: (turn) => {
      const user = turn.userId!;
      runs.push({
        id: turn.update.update_id,
        user,
        attempt: turn.attempt,
        at: clock.now(),
        up: telegramUp,
      });
      counters.add(turn.tx, "effects");
      if (user !== 3 && !telegramUp) {
        throw new GrammyError(
          "Call to 'sendMessage' failed!",
          { ok: false, error_code: 502, description: "Bad Gateway" },
          "sendMessage",
          {},
        );
      }
      return Promise.resolve();
    },
  });
  await runtime.inbox.ingest([
    textUpdate(1, 1),
    textUpdate(2, 1),
    textUpdate(3, 2),
    textUpdate(4, 3),
  ]);
  await runtime.supervisor.whenIdle();
  // Far longer than two attempts' backoff: users 1 and 2 wait, user 3 is served meanwhile.
  for (let step = 0; step < 240; step++) {
    await clock.advance(250);
    await runtime.supervisor.whenIdle();
  }
  assert.deepEqual(runs.filter((r) => r.user === 3).length, 1, "another user is not held up");
  const tries = runs.filter((r) => r.id === 1 || r.id === 3);
  assert.ok(tries.every((r) => r.attempt === 1), "no attempt was used up");
  for (const id of [1, 3]) {
    const own = tries.filter((r) => r.id === id);
    const gaps = own.slice(1).map((r, i) => r.at - own[i].at);
    assert.ok(gaps.every((gap) => gap <= 8000), `an actor's pause is bounded: ${gaps}`);
  }
  // Not a try per actor every probe: about one probe every 2 s, plus each actor's own pauses.
  assert.ok(tries.length >= 25 && tries.length <= 50, `tries in 60 s: ${tries.length}`);
  assert.deepEqual(runs.filter((r) => r.id === 2), [], "the user's next update waits its turn");
  assert.deepEqual(await listDeadLetters(store), []);
  assert.deepEqual(told, [], "an outage is not reported to the user as a failure");
  assert.equal(await counters.get(store, "effects"), 1, "nothing of a paused turn was kept");

  // Telegram answers again: the next probe goes through and wakes the other actor at once.
  telegramUp = true;
  const upAt = clock.now();
  for (let step = 0; step < 25; step++) {
    await clock.advance(100);
    await runtime.supervisor.whenIdle();
  }
  const after = runs.filter((r) => r.up).map((r) => [r.id, r.at - upAt]);
  assert.deepEqual(after.map(([id]) => id).sort(), [1, 2, 3], `resumed: ${after}`);
  assert.ok(after.every(([, ms]) => ms <= 2100), `within a probe's interval: ${after}`);
  assert.equal(await counters.get(store, "effects"), 4);
  assert.equal((await runtime.supervisor.getStats()).inbox_depth, 0);
  await runtime.supervisor.stop();
});

Deno.test("supervisor: a peer finishes a dead process's users on its own, with no new update, once their leases lapse", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  const start = Date.UTC(2026, 0, 1);
  // A's clock never moves again: it stands for a process that died mid-turn.
  const clockA = new FakeClock(start);
  const clockB = new FakeClock(start);
  const settings = { leaseTtlMs: 5000 };
  let releaseA: () => void = () => {};
  const aStuck = new Promise<void>((resolve) => releaseA = resolve);
  const a = createRuntime({
    store: storeA,
    clock: clockA,
    owner: "A",
    settings,
    handle: async (turn) => {
      counters.add(turn.tx, "effects");
      await aStuck;
    },
  });
  const handledByB: { id: number; at: number; attempt: number }[] = [];
  const b = createRuntime({
    store: storeB,
    clock: clockB,
    owner: "B",
    settings,
    handle: (turn) => {
      handledByB.push({ id: turn.update.update_id, at: clockB.now(), attempt: turn.attempt });
      counters.add(turn.tx, "effects");
      return Promise.resolve();
    },
  });
  await b.supervisor.start();
  // A acknowledged these and started on users 1–3; user 4's update it queued but never began
  // (its turns run one at a time, and A died first). B was told of none of them.
  for (let user = 1; user <= 3; user++) {
    await a.inbox.ingest([textUpdate(user * 10, user), textUpdate(user * 10 + 1, user)]);
  }
  a.inbox.onQueued = () => {};
  await a.inbox.ingest([textUpdate(40, 4)]);
  const idsOf = (user: number) => user === 4 ? [40] : [user * 10, user * 10 + 1];

  const finished = () => new Set(handledByB.map((h) => h.id));
  for (let t = 0; t < 4500; t += 500) {
    await clockB.advance(500);
    await b.supervisor.whenIdle();
  }
  assert.deepEqual([...finished()], [40], "unleased work found by discovery, leased work waits");
  for (let t = 4500; t < 6000; t += 500) {
    await clockB.advance(500);
    await b.supervisor.whenIdle();
  }
  for (let user = 1; user <= 4; user++) {
    for (const id of idsOf(user)) assert.ok(finished().has(id), `update ${id} of user ${user}`);
  }
  const tookOver = handledByB.filter((h) => h.id % 10 === 0 && h.id < 40);
  assert.ok(tookOver.every((h) => h.at - start <= 5500), "within the lease TTL and a pass");
  assert.ok(tookOver.every((h) => h.attempt === 2), "the turns A died in were counted");
  assert.equal((await b.supervisor.getStats()).inbox_depth, 0);
  // A wakes up: its late commits are refused.
  releaseA();
  await a.supervisor.whenIdle();
  assert.equal(await counters.get(storeB, "effects"), 7, "each update's effects exactly once");
  await a.supervisor.stop();
  await b.supervisor.stop();
  storeA.close();
  storeB.close();
});

Deno.test("supervisor: looking for orphaned work costs one KV read per pass when every inbox is empty", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const { supervisor } = createRuntime({
    store,
    clock,
    settings: { leaseTtlMs: 5000 },
    handle: () => Promise.resolve(),
  });
  await supervisor.start();
  const kv = store.kv as unknown as Record<string, (...args: unknown[]) => unknown>;
  let reads = 0;
  for (const name of ["get", "getMany", "list"]) {
    const method = kv[name].bind(kv);
    kv[name] = (...args: unknown[]) => {
      reads++;
      return method(...args);
    };
  }
  // Ten passes, 2.5 s apart (half the lease TTL).
  await clock.advance(25_000);
  assert.equal(reads, 10);
  await supervisor.stop();
});

Deno.test("supervisor: with discovery off (Deno Deploy) an idle supervisor reads nothing", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const { supervisor } = createRuntime({
    store,
    clock,
    settings: { leaseTtlMs: 5000, discoveryIntervalMs: 0 },
    handle: () => Promise.resolve(),
  });
  await supervisor.start();
  let reads = 0;
  const list = store.kv.list.bind(store.kv);
  store.kv.list = (...args) => {
    reads++;
    return list(...args);
  };
  await clock.advance(60_000);
  assert.equal(reads, 0);
  await supervisor.stop();
});
