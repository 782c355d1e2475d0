/**
 * The session sweep of another process racing an update's move to the dead letters: the sweep
 * replaces the expired session by a husk between the dead-letter path's read of the session and
 * its commit (docs/ARCHITECTURE.md, "Deduplication").
 *
 * @module
 */
import assert from "node:assert/strict";
import { readInbox } from "../../src/actors/inbox.ts";
import { FakeClock } from "../../src/core/clock.ts";
import * as counters from "../../src/store/counters.ts";
import { queryDeadLetters } from "../../src/store/dead_letters.ts";
import { openStore, type Store } from "../../src/store/kv.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";
import { EXPIRY_BUCKET_MS, readSession } from "../../src/store/sessions.ts";

const HOUR_MS = 3_600_000;
const SESSION_TTL_MS = 60_000;

/**
 * Runs `during` once, right after this store's next read of `actor`'s session record alone (the
 * dead-letter path's) or with its lease (the session sweep's).
 */
function afterSessionRead(store: Store, actor: string, during: () => Promise<unknown>): void {
  const get = store.kv.get.bind(store.kv);
  const getMany = store.kv.getMany.bind(store.kv);
  const isSession = (key: Deno.KvKey) => key[2] === "session" && key[3] === actor;
  let armed = true;
  const after = async () => {
    armed = false;
    await during();
  };
  store.kv.get = (async (key: Deno.KvKey, options?: { consistency?: Deno.KvConsistencyLevel }) => {
    const entry = await get(key, options);
    if (armed && isSession(key)) await after();
    return entry;
  }) as typeof store.kv.get;
  store.kv.getMany =
    (async (keys: Deno.KvKey[], options?: { consistency?: Deno.KvConsistencyLevel }) => {
      const entries = await getMany(keys, options);
      const withLease = keys.some((key) => key[0] === "lease" && key[1] === actor);
      if (armed && isSession(keys[0]) && withLease) await after();
      return entries;
    }) as typeof store.kv.getMany;
}

Deno.test({
  name:
    "dead letters: a peer's session sweep landing while an update that conflicted is moved to the dead letters never re-runs its handler",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await using file = await tempKvPath();
  const store = await fileStore(file.path);
  const peerStore = await openStore(file.path);
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const ran: number[] = [];
  const settings = { sessionTtlMs: SESSION_TTL_MS, leaseTtlMs: 5000 };
  const runtime = createRuntime({
    store,
    clock,
    settings,
    handle: (turn) => {
      ran.push(turn.update.update_id);
      // The handler's own check fails at commit: its reply is out, so it must not run again.
      if (turn.update.update_id === 2) turn.tx.check(["test", "guard"], "00000000000000ff0000");
      return Promise.resolve();
    },
  });
  const peer = createRuntime({
    store: peerStore,
    clock,
    settings,
    handle: () => Promise.resolve(),
  });
  try {
    await runtime.supervisor.start();
    await runtime.inbox.ingest([textUpdate(1, 7)]);
    await runtime.supervisor.whenIdle();
    // The session expires; the peer's sweep comes while update 2 goes to the dead letters.
    // Past the end of the expiry index's bucket: the sweep finds the session due.
    await clock.advance(EXPIRY_BUCKET_MS + SESSION_TTL_MS);
    let swept = 0;
    afterSessionRead(store, "u:7", async () => {
      swept = await peer.supervisor.cleanupExpiredSessions();
    });
    await runtime.inbox.ingest([textUpdate(2, 7)]);
    await runtime.supervisor.whenIdle();
    assert.equal(swept, 1, "the peer swept the expired session in the window");
    // Long enough for the lease to lapse and discovery to pick the inbox up again.
    for (let i = 0; i < 10; i++) {
      await clock.advance(5000);
      await runtime.supervisor.whenIdle();
    }
    assert.deepEqual(ran, [1, 2], "update 2's handler ran once");
    assert.equal((await readInbox(store, "u:7", 5)).length, 0);
    const { letters } = await queryDeadLetters(store, { now: clock.now(), retentionMs: HOUR_MS });
    assert.deepEqual(letters.map((l) => [l.update_id, l.error_code]), [[2, "COMMIT_CONFLICT"]]);
  } finally {
    await runtime.supervisor.stop();
    await peer.supervisor.stop();
    peerStore.close();
    store.close();
  }
});

/**
 * A turn of u:7, whose session expired while cached in memory, with the session sweep started
 * from its handler. `holdSweepRead`: the sweep's read returns only once the turn's commit is
 * queued, so both commit in one group; otherwise the sweep commits first.
 */
async function sweepDuringTurn(holdSweepRead: boolean): Promise<void> {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const ran: number[] = [];
  // The sweep's read of u:7's session waits for `readDone`; the commit after `gateNext` waits
  // for `gate`: so the turn of u:7 and the sweep of u:7 queue behind the sweep of u:9.
  let readDone: () => void = () => {};
  const readHeld = new Promise<void>((r) => readDone = r);
  let opened: () => void = () => {};
  const gate = new Promise<void>((r) => opened = r);
  let inFlight: () => void = () => {};
  const blocking = new Promise<void>((r) => inFlight = r);
  let gateNext = false;
  const atomic = store.kv.atomic.bind(store.kv);
  store.kv.atomic = () => {
    const op = atomic();
    if (!gateNext) return op;
    gateNext = false;
    const commit = op.commit.bind(op);
    op.commit = async () => {
      inFlight();
      await gate;
      return await commit();
    };
    return op;
  };
  if (holdSweepRead) afterSessionRead(store, "u:7", () => readHeld);
  let sweeping: Promise<number> | undefined;
  const runtime = createRuntime({
    store,
    clock,
    settings: { sessionTtlMs: SESSION_TTL_MS },
    handle: async (turn) => {
      ran.push(turn.update.update_id);
      turn.state.data = { last: turn.update.update_id };
      if (turn.update.update_id !== 2) return;
      gateNext = true;
      sweeping = runtime.supervisor.cleanupExpiredSessions();
      await blocking;
      // Once this turn's commit is queued (microtasks after the handler), the sweep's read
      // returns and its commit queues too; then the commit in flight finishes.
      setTimeout(() => {
        readDone();
        setTimeout(opened, 0);
      }, 0);
    },
  });
  await runtime.inbox.ingest([textUpdate(1, 7), textUpdate(3, 9)]);
  await runtime.supervisor.whenIdle();
  await clock.advance(EXPIRY_BUCKET_MS + SESSION_TTL_MS);
  await runtime.inbox.ingest([textUpdate(2, 7)]);
  await runtime.supervisor.whenIdle();
  await sweeping;
  await runtime.supervisor.cleanupExpiredSessions();
  const session = await readSession<{ data?: { last?: number } }>(store, "u:7", clock.now());
  // Telegram redelivers update 2.
  await runtime.inbox.ingest([textUpdate(2, 7)]);
  await runtime.supervisor.whenIdle();
  // Updates 1 and 3 are two users' and run in either order.
  assert.deepEqual([...ran].sort((a, b) => a - b), [1, 2, 3], "update 2 ran once");
  assert.equal(session.status, "live", "the turn's session survives the sweep");
  assert.deepEqual(session.status === "live" && session.record.state.data, { last: 2 });
  assert.equal(await counters.get(store, "sessions_active"), 1, "u:7's session, counted once");
  await runtime.supervisor.stop();
}

Deno.test("sessions: the sweep of an expired session committed in one group with the turn that renews it never overwrites that turn", async () => {
  await sweepDuringTurn(true);
});

Deno.test("sessions: a sweep committed while a turn runs on a session that expired in memory leaves the turn a new session, counted once", async () => {
  await sweepDuringTurn(false);
});
