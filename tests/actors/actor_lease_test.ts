import assert from "node:assert/strict";
import { type Turn } from "../../src/actors/turn.ts";
import { FakeClock } from "../../src/core/clock.ts";
import * as counters from "../../src/store/counters.ts";
import { runtimeKeys } from "../../src/store/keys.ts";
import { type Store } from "../../src/store/kv.ts";
import { sessionKey, type SessionRecord } from "../../src/store/sessions.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";

const T0 = Date.UTC(2026, 0, 1);

interface StoredLease {
  owner: string;
  epoch: number;
  ended?: true;
}

/**
 * The actor's lease as a peer's take-over sees it: ended when the lease record says so, or when
 * the session record names its epoch as ended (the holder's last turn released it there).
 */
async function leaseOf(store: Store, actor: string): Promise<StoredLease | null> {
  const [record, session] = await store.kv.getMany<[StoredLease, SessionRecord<unknown>]>([
    runtimeKeys.lease(actor),
    sessionKey(store.generation, actor),
  ]);
  const lease = record.value;
  if (lease === null || session.value?.lease !== lease.epoch) return lease;
  return { owner: lease.owner, epoch: lease.epoch, ended: true };
}

Deno.test("actor lease: an idle user's turn releases the lease in its own commit, and a peer takes the actor at once", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  try {
    // One clock that never moves: nothing here waits for a linger or a lapse.
    const clock = new FakeClock(T0);
    const handle = (owner: string) => (turn: Turn) => {
      counters.add(turn.tx, `effects_${owner}`);
      return Promise.resolve();
    };
    const a = createRuntime({ store: storeA, clock, owner: "A", handle: handle("A") });
    const b = createRuntime({ store: storeB, clock, owner: "B", handle: handle("B") });
    await a.inbox.ingest([textUpdate(1, 7)]);
    await a.supervisor.whenIdle();
    assert.equal(await counters.get(storeA, "effects_A"), 1);
    // The take-over, the turn and the inbox mark's deletion: the release rode in the turn's.
    assert.equal(a.supervisor.commits, 3);
    assert.deepEqual(await leaseOf(storeA, "u:7"), { owner: "A", epoch: 1, ended: true });
    assert.equal((await storeA.kv.get(runtimeKeys.leaseExpiry("u:7"))).value, null);
    // Ended in the session record the turn wrote anyway: the lease record was written once.
    const record = await storeA.kv.get<StoredLease>(runtimeKeys.lease("u:7"));
    assert.deepEqual(record.value, { owner: "A", epoch: 1, expiresAt: T0 + 30_000 });

    await b.inbox.ingest([textUpdate(2, 7)]);
    await b.supervisor.whenIdle();
    assert.equal(await counters.get(storeB, "effects_B"), 1, "B ran the turn without waiting");
    assert.deepEqual(await leaseOf(storeB, "u:7"), { owner: "B", epoch: 2, ended: true });
    await a.supervisor.stop();
    await b.supervisor.stop();
  } finally {
    storeA.close();
    storeB.close();
  }
});

Deno.test("actor lease: a user who comes back within the linger keeps the lease through the next drains, released once the linger passes", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    handle: () => Promise.resolve(),
  });
  await inbox.ingest([textUpdate(1, 8)]);
  await supervisor.whenIdle();
  assert.equal((await leaseOf(store, "u:8"))?.ended, true, "a first update releases at once");
  await clock.advance(300);
  await inbox.ingest([textUpdate(2, 8)]);
  await supervisor.whenIdle();
  const kept = await leaseOf(store, "u:8");
  assert.deepEqual(kept, { owner: supervisor.owner, epoch: 2, expiresAt: T0 + 300 + 30_000 });
  await clock.advance(300);
  const commits = supervisor.commits;
  await inbox.ingest([textUpdate(3, 8)]);
  await supervisor.whenIdle();
  assert.equal(supervisor.commits, commits + 1, "the turn's commit only: no take-over");
  assert.deepEqual(await leaseOf(store, "u:8"), kept);
  await clock.advance(1000);
  assert.deepEqual(await leaseOf(store, "u:8"), {
    owner: supervisor.owner,
    epoch: 2,
    ended: true,
  });
  await supervisor.stop();
});

Deno.test("actor lease: a last turn whose commit fails its own check is dead-lettered, and the lease is released after the linger", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    handle: (turn) => {
      // A check that can never pass: the commit carrying the lease's release fails.
      turn.tx.check(["meta", "never"], "00000000000000ff0000").set(["meta", "never"], 1);
      return Promise.resolve();
    },
  });
  await inbox.ingest([textUpdate(1, 9)]);
  await supervisor.whenIdle();
  assert.equal((await supervisor.getStats()).inbox_depth, 0, "dead-lettered under the lease");
  const held = await leaseOf(store, "u:9");
  assert.equal(held?.ended, undefined, "still held: the release failed with the turn");
  await clock.advance(1000);
  assert.equal((await leaseOf(store, "u:9"))?.ended, true, "released on its own");
  await supervisor.stop();
});

Deno.test("actor lease: while other actors drain, a drained actor keeps its lease through the linger instead", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  let unblock: () => void = () => {};
  const blocked = new Promise<void>((resolve) => unblock = resolve);
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    handle: (turn) => turn.actor === "u:1" ? blocked : Promise.resolve(),
  });
  await inbox.ingest([textUpdate(1, 1)]);
  await inbox.ingest([textUpdate(2, 2)]);
  await supervisor.turnSettled("u:2", 2, new AbortController().signal);
  assert.equal((await leaseOf(store, "u:2"))?.ended, undefined, "u:2 lingers while u:1 drains");
  unblock();
  await supervisor.whenIdle();
  assert.equal((await leaseOf(store, "u:1"))?.ended, true, "u:1 drained alone: released at once");
  await clock.advance(1000);
  assert.equal((await leaseOf(store, "u:2"))?.ended, true, "u:2 released after the linger");
  await supervisor.stop();
});

Deno.test("actor lease: work a peer queued while this process held the actor runs within a linger of the release, by the peer, without the holder listing the inbox again", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  try {
    const clock = new FakeClock(T0);
    const ran: string[] = [];
    const handle = (owner: string) => (turn: Turn) => {
      ran.push(`${owner}:${turn.update.update_id}`);
      return Promise.resolve();
    };
    const a = createRuntime({ store: storeA, clock, owner: "A", handle: handle("A") });
    const b = createRuntime({ store: storeB, clock, owner: "B", handle: handle("B") });
    // A user who comes back within the linger: A keeps the actor after the second turn.
    await a.inbox.ingest([textUpdate(1, 9)]);
    await a.supervisor.whenIdle();
    await clock.advance(200);
    await a.inbox.ingest([textUpdate(2, 9)]);
    await a.supervisor.whenIdle();
    assert.equal((await leaseOf(storeA, "u:9"))?.owner, "A");
    assert.notEqual((await leaseOf(storeA, "u:9"))?.ended, true, "A lingers");

    // The user's next update reaches B while A still holds the actor.
    await b.inbox.ingest([textUpdate(3, 9)]);
    await b.supervisor.whenIdle();
    assert.deepEqual(ran, ["A:1", "A:2"], "B waits: A holds the actor");
    // A's linger ends (one second) and B's retry comes within a linger too.
    await clock.advance(1000);
    await a.supervisor.whenIdle();
    await clock.advance(1000);
    await b.supervisor.whenIdle();
    assert.deepEqual(ran, ["A:1", "A:2", "B:3"], "B ran it: A did not list the inbox for it");
    await a.supervisor.stop();
    await b.supervisor.stop();
  } finally {
    storeA.close();
    storeB.close();
  }
});
