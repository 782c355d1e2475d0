import assert from "node:assert/strict";
import { DIRECT_ACK_MS } from "../../src/actors/direct_turn.ts";
import { readInbox } from "../../src/actors/inbox.ts";
import { FakeClock } from "../../src/core/clock.ts";
import * as counters from "../../src/store/counters.ts";
import { runtimeKeys } from "../../src/store/keys.ts";
import { type Store } from "../../src/store/kv.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";
import { createRuntime, gate, peerInbox, textUpdate } from "../support/runtime.ts";

const T0 = Date.UTC(2026, 0, 1);

/** Counts the reads made through the store's KV: Deno's own API is wrapped. */
function countReads(store: Store): { reads: number } {
  const counted = { reads: 0 };
  const kv = store.kv;
  const get = kv.get.bind(kv);
  const getMany = kv.getMany.bind(kv);
  const list = kv.list.bind(kv);
  kv.get = (key, options) => (counted.reads++, get(key, options));
  kv.getMany = ((keys, options) => (counted.reads++, getMany(keys, options))) as Deno.Kv["getMany"];
  kv.list = (selector, options) => (counted.reads++, list(selector, options));
  return counted;
}

/**
 * A runtime with direct turns whose handler records the update ids it ran, in order, and waits
 * on `holds[id]` when there is one.
 */
function recordingRuntime(
  store: Store,
  clock: FakeClock,
  holds: Record<number, Promise<void>> = {},
) {
  const ran: number[] = [];
  const runtime = createRuntime({
    store,
    clock,
    direct: true,
    handle: (turn) => (ran.push(turn.update.update_id), holds[turn.update.update_id]),
  });
  return { ...runtime, ran };
}

async function markOf(store: Store, actor: string): Promise<string | null> {
  return (await store.kv.get(runtimeKeys.inboxMark(actor))).versionstamp;
}

Deno.test("inbox mark: an idle user's update costs one KV read, whether the process takes the user over or takes back a lease it released", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const { inbox, supervisor, ran } = recordingRuntime(store, clock);
  const counted = countReads(store);
  await inbox.ingest([textUpdate(1, 7)]);
  await supervisor.whenIdle();
  assert.deepEqual(ran, [1]);
  assert.equal(counted.reads, 1, "a take-over: the lease, session, mark and maintenance at once");

  // Back after the linger: the lease this process released is taken back without a read, and
  // the mark is read with the maintenance lease.
  await clock.advance(5_000);
  counted.reads = 0;
  await inbox.ingest([textUpdate(2, 7)]);
  await supervisor.whenIdle();
  assert.deepEqual(ran, [1, 2]);
  assert.equal(counted.reads, 1);
  assert.equal(await counters.get(store, "turns_direct"), 2, "both ran inside their ingest");
  await supervisor.stop();
});

Deno.test("inbox mark: a mark left over an empty inbox sends one update through the inbox, and its drain deletes it", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const { inbox, supervisor, ran } = recordingRuntime(store, clock);
  // A drain that died between its last turn and deleting the mark.
  await store.kv.set(runtimeKeys.inboxMark("u:7"), true);
  await inbox.ingest([textUpdate(1, 7)]);
  await supervisor.whenIdle();
  assert.deepEqual(ran, [1]);
  assert.equal(await counters.get(store, "turns_direct"), 0, "it went through the inbox");
  assert.equal(await markOf(store, "u:7"), null, "the drain deleted the mark");

  await clock.advance(5_000);
  await inbox.ingest([textUpdate(2, 7)]);
  assert.deepEqual(ran, [1, 2], "the next update ran inside its ingest");
  assert.equal(await counters.get(store, "turns_direct"), 1);
  await supervisor.stop();
});

Deno.test("inbox mark: a turn that outlasts the ack deadline leaves no mark behind, so the user's next update runs directly", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const slow = gate();
  const ran: number[] = [];
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    direct: true,
    handle: async (turn) => {
      ran.push(turn.update.update_id);
      if (turn.update.update_id === 1) await slow.wait;
    },
  });
  const ingested = inbox.ingest([textUpdate(1, 7)]);
  await clock.advance(DIRECT_ACK_MS);
  await ingested;
  assert.notEqual(await markOf(store, "u:7"), null, "queued at the deadline: marked");
  slow.open();
  await supervisor.whenIdle();
  assert.deepEqual(await readInbox(store, "u:7", 10), []);
  // The drain the deadline's entry scheduled keeps the lease a linger; the mark goes with it.
  await clock.advance(5_000);
  await supervisor.whenIdle();
  assert.equal(await markOf(store, "u:7"), null, "the mark went with the lease");

  await inbox.ingest([textUpdate(2, 7)]);
  assert.deepEqual(ran, [1, 2], "the next update ran inside its ingest");
  assert.equal(await counters.get(store, "turns_direct"), 1);
  await supervisor.stop();
});

Deno.test("inbox mark: an update a peer queues while this process drains the user runs when the drain ends, once, not a linger later; the mark goes with the lease", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  try {
    // The clock never moves: no linger ends, no lease lapses, no discovery pass runs.
    const clock = new FakeClock(T0);
    const started = gate();
    const first = gate();
    const ran: number[] = [];
    const a = createRuntime({
      store: storeA,
      clock,
      owner: "A",
      handle: async (turn) => {
        ran.push(turn.update.update_id);
        if (turn.update.update_id !== 1) return;
        started.open();
        await first.wait;
      },
    });
    await a.inbox.ingest([textUpdate(1, 7)]);
    await started.wait;
    // B takes update 2 while A's drain runs update 1: B leaves it to A, which holds the user.
    const b = peerInbox(storeB, clock);
    await b.ingest([textUpdate(2, 7)]);
    first.open();
    await a.supervisor.whenIdle();
    assert.deepEqual(ran, [1, 2], "A's drain found the mark changed and ran B's update");
    assert.deepEqual(await readInbox(storeA, "u:7", 10), []);
    // The user came back within the linger: A keeps the lease a while, and the mark with it.
    assert.notEqual(await markOf(storeA, "u:7"), null);
    await clock.advance(1_000);
    await a.supervisor.whenIdle();
    assert.equal(await markOf(storeA, "u:7"), null, "the mark went with the lease");
    await a.supervisor.stop();
  } finally {
    storeA.close();
    storeB.close();
  }
});

Deno.test("inbox mark: a burst of one user's updates runs in order through the inbox, and no mark outlives the lease, whether it lapses into a release or the process stops", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const seven = gate();
  const { inbox, supervisor, ran } = recordingRuntime(store, clock, { 7: seven.wait });
  await inbox.ingest([1, 2, 3, 4, 5].map((id) => textUpdate(id, 7)));
  await inbox.ingest([textUpdate(6, 8)]);
  await supervisor.whenIdle();
  assert.deepEqual(ran.filter((id) => id !== 6), [1, 2, 3, 4, 5]);
  await clock.advance(1_000);
  await supervisor.whenIdle();
  assert.equal(await markOf(store, "u:7"), null, "released after the linger, with its mark");

  // Update 8 is queued while 7 runs directly, so 7's commit keeps the lease for the drain.
  const eightQueued = gate();
  inbox.onQueued = (actor, updateId) => {
    supervisor.schedule(actor, updateId);
    if (updateId === 8) eightQueued.open();
  };
  const burst = inbox.ingest([7, 8].map((id) => textUpdate(id, 9)));
  await eightQueued.wait;
  seven.open();
  await burst;
  await supervisor.whenIdle();
  assert.equal(await markOf(store, "u:9"), null, "the last turn ended the lease: the mark went");
  // Back within the linger: the drain keeps the lease a while, and the mark with it.
  await clock.advance(300);
  await inbox.ingest([9, 10].map((id) => textUpdate(id, 9)));
  await supervisor.whenIdle();
  assert.notEqual(await markOf(store, "u:9"), null, "still held: the mark stays");
  await supervisor.stop();
  assert.equal(await markOf(store, "u:9"), null, "stopping released it, with its mark");
  assert.deepEqual(await readInbox(store, "u:9", 10), []);
  assert.deepEqual(ran.filter((id) => id >= 7), [7, 8, 9, 10]);
});
