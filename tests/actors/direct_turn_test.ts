import assert from "node:assert/strict";
import { DIRECT_ACK_MS, DirectPace } from "../../src/actors/direct_turn.ts";
import { readInbox } from "../../src/actors/inbox.ts";
import { type SessionState } from "../../src/actors/session.ts";
import { type Turn } from "../../src/actors/turn.ts";
import { FakeClock } from "../../src/core/clock.ts";
import * as counters from "../../src/store/counters.ts";
import { type Store } from "../../src/store/kv.ts";
import { queryDeadLetters } from "../../src/store/dead_letters.ts";
import { readSession } from "../../src/store/sessions.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";
import { createRuntime, gate, peerInbox, textUpdate } from "../support/runtime.ts";

const T0 = Date.UTC(2026, 0, 1);

/**
 * Records every key under `["inbox", …]` an atomic operation on the store's KV writes, whichever
 * module builds it: Deno's own API is wrapped, so nothing of ours can go around it.
 */
function recordInboxWrites(store: Store): Deno.KvKey[] {
  const written: Deno.KvKey[] = [];
  const note = (key: Deno.KvKey) => {
    if (key[0] === "inbox") written.push(key);
  };
  const kv = store.kv;
  const atomic = kv.atomic.bind(kv);
  kv.atomic = () => {
    const op = atomic();
    const set = op.set.bind(op);
    const del = op.delete.bind(op);
    const mutate = op.mutate.bind(op);
    op.set = (key, value, options) => (note(key), set(key, value, options));
    op.delete = (key) => (note(key), del(key));
    op.mutate = (...mutations) => (mutations.forEach((m) => note(m.key)), mutate(...mutations));
    return op;
  };
  return written;
}

Deno.test("direct turns: a free user's update runs as it arrives, is durable once ingest resolves, and never touches the inbox", async () => {
  using store = await memoryStore();
  const inboxWrites = recordInboxWrites(store);
  const clock = new FakeClock(T0);
  const ran: number[] = [];
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    direct: true,
    handle: (turn) => {
      ran.push(turn.update.update_id);
      turn.state.seen = [...(turn.state.seen as number[] | undefined) ?? [], turn.update.update_id];
      return Promise.resolve();
    },
  });
  await supervisor.start();
  // The clock never moves: the ingest cannot have resolved on its ack deadline.
  const [result] = await inbox.ingest([textUpdate(1, 7)]);
  assert.equal(result.status, "queued");
  assert.deepEqual(ran, [1], "the turn ran inside the ingest");
  const session = await readSession<SessionState>(store, "u:7", clock.now());
  assert.equal(session.status, "live");
  assert.deepEqual(session.record.state.seen, [1], "the turn's state is committed");
  assert.deepEqual(session.record.done?.ids.map(([id]) => id), [1], "listed as finished");
  assert.deepEqual(inboxWrites, [], "no inbox entry was written or removed for it");
  await supervisor.whenIdle();
  assert.deepEqual(ran, [1], "and nothing runs it again");
  assert.equal(await counters.get(store, "turns_direct"), 1, "operators see it ran directly");
  await supervisor.stop();
});

Deno.test("direct turns: a slow turn is acknowledged at the ack deadline with its update queued, and its commit takes the entry away", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const slow = gate();
  let entered: () => void = () => {};
  const started = new Promise<void>((resolve) => entered = resolve);
  let runs = 0;
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    direct: true,
    handle: async () => {
      runs++;
      entered();
      await slow.wait;
    },
  });
  await supervisor.start();
  let acked = false;
  const ingest = inbox.ingest([textUpdate(1, 7)]).finally(() => acked = true);
  await started;
  await clock.advance(DIRECT_ACK_MS - 1);
  assert.equal(acked, false, "the ingest waits for the turn until the deadline");
  assert.deepEqual(await readInbox(store, "u:7", 10), [], "nothing queued yet");
  await clock.advance(1);
  const [result] = await ingest;
  assert.equal(result.status, "queued");
  const queued = await readInbox(store, "u:7", 10);
  assert.deepEqual(queued.map((r) => r.entry.update_id), [1], "acknowledged only once durable");

  slow.open();
  await supervisor.whenIdle();
  assert.equal(runs, 1);
  assert.equal(await counters.get(store, "turns_direct"), 0, "its update was queued");
  assert.equal(await counters.get(store, "turns_total"), 1);
  assert.deepEqual(await readInbox(store, "u:7", 10), [], "the turn's commit removed the entry");
  // Had the commit left the entry, the drain would have cleared it as a redelivery.
  assert.equal(await counters.get(store, "ingest_duplicates"), 0);
  await supervisor.stop();
});

Deno.test("direct turns: a failing turn queues its update with the attempt counted, tells the user once, and the drain retries it after the backoff", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const attempts: number[] = [];
  const told: number[] = [];
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    direct: true,
    onTurnFailed: (turn) => {
      told.push(turn.update.update_id);
      return Promise.resolve();
    },
    handle: (turn) => {
      attempts.push(turn.attempt);
      if (turn.attempt === 1) throw new Error("feature bug");
      return Promise.resolve();
    },
  });
  await supervisor.start();
  const [result] = await inbox.ingest([textUpdate(1, 7)]);
  assert.equal(result.status, "queued");
  const [waiting] = await readInbox(store, "u:7", 10);
  assert.equal(waiting?.entry.update_id, 1);
  assert.equal(waiting.entry.attempts, 1);
  assert.equal(waiting.entry.not_before, T0 + 1000);
  await supervisor.whenIdle();
  assert.deepEqual(attempts, [1], "nothing retries it before its backoff");

  await clock.advance(1000);
  await supervisor.whenIdle();
  assert.deepEqual(attempts, [1, 2]);
  assert.deepEqual(await readInbox(store, "u:7", 10), []);
  assert.deepEqual(told, [1]);
  await supervisor.stop();
});

Deno.test("direct turns: an update another process queued earlier for the same user runs first", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  try {
    const clock = new FakeClock(T0);
    const ran: number[] = [];
    const a = createRuntime({
      store: storeA,
      clock,
      owner: "A",
      direct: true,
      handle: (turn) => {
        ran.push(turn.update.update_id);
        return Promise.resolve();
      },
    });
    // A started first: its start-up sweep cannot find B's entry and drain it for us.
    await a.supervisor.start();
    // B acknowledged update 5 and went away before draining it: only its inbox exists.
    const b = peerInbox(storeB, clock);
    const [queued] = await b.ingest([textUpdate(5, 7)]);
    assert.equal(queued.status, "queued");

    const [result] = await a.inbox.ingest([textUpdate(6, 7)]);
    assert.equal(result.status, "queued");
    await a.supervisor.whenIdle();
    assert.deepEqual(ran, [5, 6], "the user's order holds across processes");
    assert.deepEqual(await readInbox(storeA, "u:7", 10), []);
    await a.supervisor.stop();
  } finally {
    storeA.close();
    storeB.close();
  }
});

Deno.test("direct turns: while another process holds the user, a later update is queued and runs after it, once", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  try {
    const clock = new FakeClock(T0);
    const ran: string[] = [];
    const blocked = gate();
    let entered: () => void = () => {};
    const bStarted = new Promise<void>((resolve) => entered = resolve);
    const handle = (owner: string) => async (turn: Turn) => {
      ran.push(`${owner}:${turn.update.update_id}`);
      if (owner === "B") {
        entered();
        await blocked.wait;
      }
    };
    const a = createRuntime({
      store: storeA,
      clock,
      owner: "A",
      direct: true,
      handle: handle("A"),
    });
    const b = createRuntime({
      store: storeB,
      clock,
      owner: "B",
      direct: true,
      handle: handle("B"),
    });
    await a.supervisor.start();
    await b.supervisor.start();
    const bIngest = b.inbox.ingest([textUpdate(1, 7)]);
    await bStarted;

    const [result] = await a.inbox.ingest([textUpdate(2, 7)]);
    assert.equal(result.status, "queued");
    const waiting = await readInbox(storeA, "u:7", 10);
    assert.deepEqual(waiting.map((r) => r.entry.update_id), [2], "queued, not run beside B's turn");
    assert.deepEqual(ran, ["B:1"]);

    blocked.open();
    assert.equal((await bIngest)[0].status, "queued");
    await b.supervisor.whenIdle();
    // A retries the lease within a linger of finding it held.
    await clock.advance(1000);
    await a.supervisor.whenIdle();
    assert.deepEqual(ran, ["B:1", "A:2"]);
    assert.deepEqual(await readInbox(storeA, "u:7", 10), []);
    await a.supervisor.stop();
    await b.supervisor.stop();
  } finally {
    storeA.close();
    storeB.close();
  }
});

Deno.test("direct turns: a redelivered update a stopped process already finished is a duplicate in a new process, and does not run again", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeC = await fileStore(tmp.path);
  try {
    const clock = new FakeClock(T0);
    let runs = 0;
    const handle = (turn: Turn) => {
      runs++;
      counters.add(turn.tx, "effects");
      return Promise.resolve();
    };
    const a = createRuntime({ store: storeA, clock, owner: "A", direct: true, handle });
    await a.supervisor.start();
    assert.equal((await a.inbox.ingest([textUpdate(9, 7)]))[0].status, "queued");
    await a.supervisor.whenIdle();
    assert.equal(runs, 1, "A finished update 9 before it stopped");
    await a.supervisor.stop();

    // A new process: no memory of update 9, only what KV holds.
    const c = createRuntime({ store: storeC, clock, owner: "C", direct: true, handle });
    await c.supervisor.start();
    const [again] = await c.inbox.ingest([textUpdate(9, 7)]);
    assert.equal(again.status, "duplicate");
    await c.supervisor.whenIdle();
    assert.equal(runs, 1);
    assert.equal(await counters.get(storeC, "effects"), 1);
    assert.deepEqual(await readInbox(storeC, "u:7", 10), []);
    await c.metrics.flush();
    assert.equal(await counters.get(storeC, "ingest_duplicates"), 1, "operators see it counted");
    await c.supervisor.stop();
  } finally {
    storeA.close();
    storeC.close();
  }
});

Deno.test("direct turns: while most turns outlast the ack deadline, updates are queued at once, and one in eight still tries", () => {
  const pace = new DirectPace();
  assert.equal(pace.worthTrying(), true);
  for (let i = 0; i < 10; i++) pace.ended(true);
  const tries = Array.from({ length: 16 }, () => pace.worthTrying());
  assert.equal(tries.filter(Boolean).length, 2, "one in eight tries while turns are slow");
  for (let i = 0; i < 20; i++) pace.ended(false);
  assert.equal(pace.worthTrying(), true, "quick turns again: every update tries");
});

/** Runs the clock in small steps until `done` settles (the turn's retries sleep on it). */
async function runUntil(clock: FakeClock, done: Promise<unknown>): Promise<void> {
  let settled = false;
  void done.finally(() => settled = true);
  for (let steps = 0; !settled; steps++) {
    assert.ok(steps < 500, "settles within 50 s of fake time");
    await clock.advance(100);
  }
}

Deno.test("direct turns: a commit that landed but whose outcome KV did not report is not applied twice", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  let runs = 0;
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    direct: true,
    handle: (turn) => {
      runs++;
      counters.add(turn.tx, "effects");
      return Promise.resolve();
    },
  });
  await supervisor.start();
  // The first commit that writes a session lands, then the connection "drops" (Deno's API).
  const kv = store.kv;
  const atomic = kv.atomic.bind(kv);
  let dropped = false;
  kv.atomic = () => {
    const op = atomic();
    const mutate = op.mutate.bind(op);
    let writesSession = false;
    op.mutate = (...mutations) => {
      writesSession ||= mutations.some((m) => m.key.includes("session"));
      return mutate(...mutations);
    };
    const commit = op.commit.bind(op);
    op.commit = async () => {
      const result = await commit();
      if (writesSession && !dropped) {
        dropped = true;
        throw Object.assign(new Error("connection reset after the commit"), {
          name: "Interrupted",
        });
      }
      return result;
    };
    return op;
  };
  const ingest = inbox.ingest([textUpdate(1, 7)]);
  await runUntil(clock, ingest);
  assert.equal((await ingest)[0].status, "queued");
  await runUntil(clock, supervisor.whenIdle());
  assert.equal(dropped, true, "the session's commit was the one whose outcome was lost");
  assert.equal(runs, 1, "the handler ran once");
  assert.equal(await counters.get(store, "effects"), 1, "its effects committed once");
  assert.deepEqual(await readInbox(store, "u:7", 10), [], "nothing left waiting");
  const { letters } = await queryDeadLetters(store, { now: clock.now(), retentionMs: 3_600_000 });
  assert.deepEqual(letters, [], "and nothing dead-lettered");
  await supervisor.stop();
});

Deno.test("direct turns: a turn whose own check fails is dead-lettered once its update is queued, and never runs again", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  let runs = 0;
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    direct: true,
    handle: (turn) => {
      runs++;
      turn.tx.check(["meta", "never"], "00000000000000ff0000").set(["meta", "never"], 1);
      return Promise.resolve();
    },
  });
  await supervisor.start();
  const [result] = await inbox.ingest([textUpdate(1, 7)]);
  assert.equal(result.status, "queued", "acknowledged: the update is durable as a dead letter");
  await runUntil(clock, supervisor.whenIdle());
  await clock.advance(60_000);
  await supervisor.whenIdle();
  assert.equal(runs, 1, "a handler that replied is not run again");
  const { letters } = await queryDeadLetters(store, { now: clock.now(), retentionMs: 3_600_000 });
  assert.deepEqual(letters.map((l) => [l.update_id, l.error_code]), [[1, "COMMIT_CONFLICT"]]);
  assert.deepEqual(await readInbox(store, "u:7", 10), []);
  await supervisor.stop();
});

Deno.test("direct turns: a turn whose own check fails while a redelivered copy of its update waits in the inbox dead-letters that copy, and never runs again", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  try {
    const clock = new FakeClock(T0);
    const started = gate();
    const redelivered = gate();
    let runs = 0;
    const a = createRuntime({
      store: storeA,
      clock,
      owner: "A",
      direct: true,
      handle: async (turn) => {
        runs++;
        started.open();
        await redelivered.wait;
        turn.tx.check(["meta", "never"], "00000000000000ff0000").set(["meta", "never"], 1);
      },
    });
    const ingested = a.inbox.ingest([textUpdate(1, 7)]);
    await started.wait;
    // Telegram gave up on A's slow answer and delivered the update again, to B, which queued it.
    const [queued] = await peerInbox(storeB, clock).ingest([textUpdate(1, 7)]);
    assert.equal(queued.status, "queued");
    redelivered.open();
    const [result] = await ingested;
    assert.notEqual(result.status, "rejected", "acknowledged: the update is durable");
    await a.supervisor.whenIdle();
    await clock.advance(60_000);
    await a.supervisor.whenIdle();
    assert.equal(runs, 1, "a handler that replied is not run again");
    const { letters } = await queryDeadLetters(storeA, {
      now: clock.now(),
      retentionMs: 3_600_000,
    });
    assert.deepEqual(letters.map((l) => [l.update_id, l.error_code]), [[1, "COMMIT_CONFLICT"]]);
    assert.deepEqual(await readInbox(storeA, "u:7", 10), []);
    await a.supervisor.stop();
  } finally {
    storeA.close();
    storeB.close();
  }
});

Deno.test("direct turns: each user's updates in one ingest (a getUpdates page) run in update order, whether the user is new, comes back within the linger or after it", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const ran = new Map<number, number[]>();
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    direct: true,
    handle: (turn) => {
      ran.set(turn.userId!, [...ran.get(turn.userId!) ?? [], turn.update.update_id]);
      return Promise.resolve();
    },
  });
  let updateId = 1;
  for (let round = 0; round < 12; round++) {
    // Three updates from each of 20 users, in id order, interleaved as Telegram would page them.
    const page = [];
    for (let k = 0; k < 3; k++) {
      for (let user = 1; user <= 20; user++) page.push(textUpdate(updateId++, user));
    }
    await inbox.ingest(page);
    await supervisor.whenIdle();
    // Back within the linger (the lease kept), or after it (the lease taken back).
    await clock.advance(round % 2 === 0 ? 300 : 2_000);
    await supervisor.whenIdle();
  }
  assert.equal(ran.size, 20);
  for (const [user, ids] of ran) {
    assert.equal(ids.length, 36, `user ${user}: every update ran once`);
    assert.deepEqual(ids, [...ids].sort((a, b) => a - b), `user ${user}: in update order`);
  }
  await supervisor.stop();
});

Deno.test("direct turns: while slow turns keep updates off the direct path, the one in eight that tries does not run before its user's updates queued just before it", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const ran: number[] = [];
  let slow = gate();
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    direct: true,
    handle: async (turn) => {
      if (turn.userId === 7) ran.push(turn.update.update_id);
      else await slow.wait;
    },
  });
  // Seven turns in a row outlast the ack deadline: most direct turns are slow now.
  for (let n = 1; n <= 7; n++) {
    const ingested = inbox.ingest([textUpdate(100 + n, 100 + n)]);
    await clock.advance(DIRECT_ACK_MS);
    await ingested;
    slow.open();
    await supervisor.whenIdle();
    slow = gate();
  }
  await inbox.ingest(Array.from({ length: 10 }, (_, i) => textUpdate(1 + i, 7)));
  await supervisor.whenIdle();
  assert.deepEqual(ran, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  await supervisor.stop();
});
