import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { Tx } from "../../src/core/tx.ts";
import * as counters from "../../src/store/counters.ts";
import { readInboxDepth, recountInboxDepth } from "../../src/store/inbox_depth.ts";
import { dataKey, runtimeKeys } from "../../src/store/keys.ts";
import { type Store } from "../../src/store/kv.ts";
import {
  flushTally,
  listTallies,
  TALLY_FLUSH_MS,
  TALLY_FOLD_AFTER_MS,
} from "../../src/store/tally.ts";
import { createRuntime, TEST_SETTINGS, type TestRuntime, textUpdate } from "../support/runtime.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

const T0 = Date.UTC(2026, 3, 1, 12);

/** Ingests `count` updates (ids from `firstId`, users `firstUser` to +2) and runs their turns. */
async function runTurns(
  runtime: TestRuntime,
  firstId: number,
  count: number,
  firstUser = 1,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const [result] = await runtime.inbox.ingest([textUpdate(firstId + i, firstUser + (i % 3))]);
    assert.equal(result.status, "queued");
  }
  await runtime.supervisor.whenIdle();
}

function noop(): Promise<void> {
  return Promise.resolve();
}

async function turnsTotal(store: Store): Promise<number> {
  return await counters.get(store, "turns_total");
}

Deno.test("tally: turns cost no counter or gauge mutation; the process's readers see them at once, its peers after a flush", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  const clock = new FakeClock(T0);
  const a = createRuntime({ store: storeA, clock, handle: noop });
  await runTurns(a, 1, 6);

  for (const name of ["turns_total", "sessions_created", "turn_ms_count"]) {
    const key = dataKey(storeA.generation, "counter", name);
    assert.equal((await storeA.kv.get(key)).value, null, `no ${name} sum was committed`);
  }
  assert.equal((await storeA.kv.get(runtimeKeys.gauge("inbox_depth"))).value, null);
  assert.equal(await turnsTotal(storeA), 6, "the process reads its own unwritten counts");
  assert.equal(await counters.get(storeA, "sessions_created"), 3);
  assert.equal(await turnsTotal(storeB), 0, "a peer sees nothing before the flush");

  assert.equal(await flushTally(storeA, clock.now()), true);
  assert.equal(await turnsTotal(storeB), 6);
  const all = await counters.getAll(storeB);
  assert.equal(all.get("turn_ms_count"), 6);
  assert.equal(all.get("sessions_created"), 3);
  assert.equal(all.has("inbox_depth"), false, "the inbox gauge is not a counter");
  assert.equal(await readInboxDepth(storeB), 0);
  const records = await listTallies(storeB);
  assert.equal(records.length, 1, "one record per process, however many counts moved");
  assert.equal(records[0].value.counts.turns_total, 6);

  assert.equal(await flushTally(storeA, clock.now()), false, "nothing new: nothing written");
  await a.supervisor.stop();
  storeA.close();
  storeB.close();
});

Deno.test("tally: the supervisor writes its tally TALLY_FLUSH_MS after the first count, and an idle process writes nothing", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const runtime = createRuntime({ store, clock, handle: noop });
  await runTurns(runtime, 1, 2);
  assert.deepEqual(await listTallies(store), []);
  await clock.advance(TALLY_FLUSH_MS - 1);
  assert.deepEqual(await listTallies(store), [], "not before the interval");
  await clock.advance(1);
  const [written] = await listTallies(store);
  assert.equal(written.value.counts.turns_total, 2);
  await clock.advance(10 * TALLY_FLUSH_MS);
  const [after] = await listTallies(store);
  assert.equal(after.versionstamp, written.versionstamp, "an idle process does not rewrite it");

  await runTurns(runtime, 3, 1);
  await runtime.supervisor.stop();
  const [stopped] = await listTallies(store);
  assert.equal(stopped.value.counts.turns_total, 3, "stopping writes what is left");
});

Deno.test("tally: a timed write that KV refused is tried again the next interval", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const clock = new FakeClock(T0);
  const runtime = createRuntime({ store, clock, handle: noop });
  await runTurns(runtime, 1, 2);
  await clock.advance(5_000);
  store.injectFault("throwing");
  await clock.advance(TALLY_FLUSH_MS - 5_000);
  await store.reopen();
  assert.deepEqual(await listTallies(store), [], "the write failed");
  assert.equal(await turnsTotal(store), 2, "its counts stay in memory");
  await clock.advance(TALLY_FLUSH_MS);
  const [record] = await listTallies(store);
  assert.equal(record?.value.counts.turns_total, 2);
  await runtime.supervisor.stop();
  store.close();
});

Deno.test("tally: two processes on one KV add up exactly", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  const reader = await fileStore(tmp.path);
  const clock = new FakeClock(T0);
  const a = createRuntime({ store: storeA, clock, handle: noop, owner: "A" });
  const b = createRuntime({ store: storeB, clock, handle: noop, owner: "B" });
  await runTurns(a, 1, 7);
  await runTurns(b, 100, 5, 10);
  await Promise.all([a.supervisor.stop(), b.supervisor.stop()]);
  assert.equal((await listTallies(reader)).length, 2);
  assert.equal(await turnsTotal(reader), 12);
  assert.equal(await counters.get(reader, "turn_ms_count"), 12);
  assert.equal(await readInboxDepth(reader), 0);
  storeA.close();
  storeB.close();
  reader.close();
});

Deno.test("tally: a stopped process's tally is folded into the counters exactly once by two concurrent crons", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const cronB = await fileStore(tmp.path);
  const cronC = await fileStore(tmp.path);
  const clock = new FakeClock(T0);
  const a = createRuntime({ store: storeA, clock, handle: noop });
  await runTurns(a, 1, 4);
  await a.supervisor.stop();
  storeA.close();

  assert.equal(await counters.foldStoppedTallies(cronB, clock.now()), 0, "too recent to fold");
  const later = clock.now() + TALLY_FOLD_AFTER_MS;
  const folded = await Promise.all([
    counters.foldStoppedTallies(cronB, later),
    counters.foldStoppedTallies(cronC, later),
  ]);
  assert.equal(folded[0] + folded[1], 1);
  assert.deepEqual(await listTallies(cronB), []);
  const key = dataKey(cronB.generation, "counter", "turns_total");
  assert.equal(Number((await cronB.kv.get<Deno.KvU64>(key)).value?.value), 4);
  assert.equal(await turnsTotal(cronC), 4);
  assert.equal(await counters.get(cronC, "sessions_created"), 3);
  assert.equal(await readInboxDepth(cronC), 0);
  cronB.close();
  cronC.close();
});

Deno.test("tally: a live process whose record was folded goes on counting each turn once", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const runtime = createRuntime({ store, clock, handle: noop });
  await runTurns(runtime, 1, 3);
  await flushTally(store, clock.now());
  // Idle for longer than the fold delay: the cron cannot tell it from a stopped process.
  assert.equal(
    await counters.foldStoppedTallies(store, clock.now() + TALLY_FOLD_AFTER_MS),
    1,
  );
  assert.equal(await turnsTotal(store), 3);
  await runTurns(runtime, 10, 2);
  assert.equal(await turnsTotal(store), 5);
  await flushTally(store, clock.now());
  const [record] = await listTallies(store);
  assert.equal(record.value.counts.turns_total, 2, "a new record with what came after the fold");
  assert.equal(await turnsTotal(store), 5);
  await runtime.supervisor.stop();
});

Deno.test("tally: updates a crashed process queued and settled itself after its last write do not show as waiting", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  const clock = new FakeClock(T0);
  const a = createRuntime({ store: storeA, clock, handle: noop, owner: "A" });
  a.inbox.onQueued = () => {};
  await a.inbox.ingest([textUpdate(1, 1), textUpdate(2, 2)]);
  // A writes its tally while the two wait (+2), settles them (-2, unwritten) and dies.
  assert.equal(await flushTally(storeA, clock.now()), true);
  await a.supervisor.sweepInboxes();
  await a.supervisor.whenIdle();
  storeA.close();
  const b = createRuntime({ store: storeB, clock, handle: noop, owner: "B" });
  assert.equal(await readInboxDepth(storeB), 0, "nothing waits, whatever A's written tally says");
  await b.supervisor.stop();
  storeB.close();
});

Deno.test("tally: a crash before the flush undercounts, never double counts; the inbox depth never shows negative and the minute recount corrects it", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  const clockA = new FakeClock(T0);
  const clock = new FakeClock(T0);
  const a = createRuntime({ store: storeA, clock: clockA, handle: noop, owner: "A" });
  await runTurns(a, 1, 3);
  await flushTally(storeA, clock.now());
  await runTurns(a, 10, 2);
  // A queues two more updates and dies before writing its tally (no stop, no flush).
  a.inbox.onQueued = () => {};
  await a.inbox.ingest([textUpdate(20, 1), textUpdate(21, 2)]);
  storeA.close();

  const b = createRuntime({ store: storeB, clock, handle: noop, owner: "B" });
  assert.equal(await turnsTotal(storeB), 3, "the unwritten turns are lost, not counted twice");
  // A's leases lapse; B takes its users over.
  await clock.advance(TEST_SETTINGS.leaseTtlMs + 1);
  await b.supervisor.sweepInboxes();
  await b.supervisor.whenIdle();
  assert.equal(await turnsTotal(storeB), 5, "B's turns of A's updates count once");
  assert.equal(await readInboxDepth(storeB), 0, "B settled two updates A's lost tally queued");

  await b.inbox.ingest([textUpdate(30, 3)]);
  await b.supervisor.whenIdle();
  b.inbox.onQueued = () => {};
  await b.inbox.ingest([textUpdate(31, 7)]);
  // The crash hid two queued updates: the derived depth is 2 short (-1 while 1 waits)...
  assert.equal(await readInboxDepth(storeB), 1, "...but a small depth is counted in the inboxes");
  await b.inbox.ingest([textUpdate(32, 8), textUpdate(33, 9)]);
  assert.equal(await readInboxDepth(storeB), 3, "counted: 3 wait");
  assert.equal(await recountInboxDepth(storeB), 3);
  assert.equal(await readInboxDepth(storeB), 3, "the minute's recount corrects it");
  await b.supervisor.sweepInboxes();
  await b.supervisor.whenIdle();
  assert.equal(await readInboxDepth(storeB), 0);
  await flushTally(storeB, clock.now());
  assert.equal(await recountInboxDepth(storeB), 0);
  assert.equal(await readInboxDepth(storeB), 0, "an exact depth stays exact");

  await b.supervisor.stop();
  const folded = await counters.foldStoppedTallies(
    storeB,
    clock.now() + TALLY_FOLD_AFTER_MS,
  );
  assert.equal(folded, 2, "A's and B's records");
  assert.equal(await turnsTotal(storeB), 9);
  assert.equal(await readInboxDepth(storeB), 0);
  storeB.close();
});

Deno.test("tally: a write whose outcome KV did not report is counted once, whether it landed or not", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const clock = new FakeClock(T0);
  const runtime = createRuntime({ store, clock, handle: noop });
  await runTurns(runtime, 1, 2);

  // KV refuses the write: the counts stay in memory and go with the next one.
  store.injectFault("throwing");
  await assert.rejects(flushTally(store, clock.now()));
  await store.reopen();
  assert.equal(await turnsTotal(store), 2);
  assert.equal(await flushTally(store, clock.now()), true);
  assert.equal((await listTallies(store))[0].value.counts.turns_total, 2);

  // The write lands but its commit reports a failure.
  await runTurns(runtime, 10, 3);
  const kv = store.kv;
  const atomic = kv.atomic.bind(kv);
  kv.atomic = () => {
    const op = atomic();
    const commit = op.commit.bind(op);
    op.commit = async () => {
      await commit();
      throw new Error("connection reset after the commit");
    };
    return op;
  };
  await assert.rejects(flushTally(store, clock.now()));
  kv.atomic = atomic;
  await runTurns(runtime, 20, 1);
  assert.equal(await flushTally(store, clock.now()), true);
  assert.equal((await listTallies(store))[0].value.counts.turns_total, 6);
  assert.equal(await turnsTotal(store), 6);
  await runtime.supervisor.stop();
  store.close();
});

Deno.test("tally: a tallied histogram stages counts and no mutation", () => {
  const tx = new Tx({ generation: 1 });
  counters.tallyDuration(tx, "turn_ms", 12);
  counters.tally(tx, "turns_total");
  assert.deepEqual(Object.fromEntries(tx.tallies), {
    turn_ms_count: 1,
    turn_ms_sum_us: 12_000,
    turn_ms_bucket_25: 1,
    turns_total: 1,
  });
  assert.equal(tx.mutations.length, 0, "a tally costs no mutation");
});
