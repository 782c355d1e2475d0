import assert from "node:assert/strict";
import { settleDeadLetter, settleMatching } from "../../src/actors/dead_letters.ts";
import { type Turn } from "../../src/actors/turn.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { AppError } from "../../src/core/errors.ts";
import * as audit from "../../src/store/audit.ts";
import * as counters from "../../src/store/counters.ts";
import { getDeadLetter, queryDeadLetters } from "../../src/store/dead_letters.ts";
import { readInboxDepth } from "../../src/store/inbox_depth.ts";
import { type Store } from "../../src/store/kv.ts";
import { deadLetterInput, seedDeadLetters } from "../support/dead_letters.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";
import { memoryStore } from "../support/store.ts";

const DAY_MS = 86_400_000;
const RETENTION_MS = 30 * DAY_MS;

/** A runtime whose handler fails the updates in `failing` and records what ran, in order. */
function recordingRuntime(store: Store, clock: FakeClock, failing: Set<number>) {
  const ran: number[] = [];
  const runtime = createRuntime({
    store,
    clock,
    settings: { turnMaxAttempts: 1 },
    handle: (turn: Turn) => {
      if (failing.has(turn.update.update_id)) throw new Error("feature bug");
      ran.push(turn.update.update_id);
      counters.add(turn.tx, "effects");
      return Promise.resolve();
    },
  });
  return { ...runtime, ran };
}

/** A turn that holds on until released, and a promise that it started. */
function gate() {
  let release: () => void = () => {};
  const blocked = new Promise<void>((r) => release = r);
  let started: () => void = () => {};
  const running = new Promise<void>((r) => started = r);
  return { release, running, hold: () => (started(), blocked) };
}

function options(clock: FakeClock, onQueued?: (actor: string) => void) {
  return { now: clock.now(), retentionMs: RETENTION_MS, by: { via: "cli" }, onQueued };
}

Deno.test("dead letters: an update whose lower update_id arrives after a higher one of the same user still runs", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const ran: number[] = [];
  const turn20 = gate();
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    handle: async (turn) => {
      if (turn.update.update_id === 20) {
        await turn20.hold();
      }
      ran.push(turn.update.update_id);
      counters.add(turn.tx, "effects");
    },
  });
  // 10 is done before 7 arrives (Telegram gives no order across redeliveries and webhooks).
  await inbox.ingest([textUpdate(10, 5)]);
  await supervisor.whenIdle();
  await inbox.ingest([textUpdate(7, 5)]);
  await supervisor.whenIdle();
  // 20 is running and 30 queued when 15 arrives.
  await inbox.ingest([textUpdate(20, 5), textUpdate(30, 5)]);
  await turn20.running;
  await inbox.ingest([textUpdate(15, 5)]);
  turn20.release();
  await supervisor.whenIdle();
  assert.deepEqual(ran.slice(0, 3), [10, 7, 20]);
  assert.deepEqual(ran.slice(3).sort((a, b) => a - b), [15, 30]);
  assert.equal(await counters.get(store, "effects"), 5);
  assert.equal((await supervisor.getStats()).inbox_depth, 0);
  await supervisor.stop();
});

Deno.test("dead letters: a letter retried days later runs once, in a new process; a second retry and a redelivery change nothing", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const failing = new Set([3]);
  const first = recordingRuntime(store, clock, failing);
  await first.inbox.ingest([textUpdate(3, 8), textUpdate(4, 8)]);
  await first.supervisor.whenIdle();
  await first.supervisor.stop();
  const [letter] = (await queryDeadLetters(store, { now: clock.now(), retentionMs: RETENTION_MS }))
    .letters;
  assert.equal(letter.update_id, 3);
  assert.deepEqual(first.ran, [4]);

  // Days later the bug is fixed and a new process runs; more of the user's updates came since.
  await clock.advance(3 * DAY_MS);
  failing.clear();
  const later = recordingRuntime(store, clock, failing);
  await later.inbox.ingest([textUpdate(5, 8)]);
  await later.supervisor.whenIdle();
  const retried = await settleDeadLetter(
    store,
    "retry",
    letter.id,
    options(clock, (actor) => later.supervisor.schedule(actor)),
  );
  assert.equal(retried.ok, true);
  await later.supervisor.whenIdle();
  assert.deepEqual(later.ran, [5, 3]);

  const again = await settleDeadLetter(store, "retry", letter.id, options(clock));
  assert.equal(again.ok, false);
  assert.equal(!again.ok && again.code, "DEAD_LETTER_ALREADY_RETRIED");
  // Telegram redelivering the id (its actor's finished ids list it) is a duplicate, not a third run.
  await later.inbox.ingest([textUpdate(3, 8)]);
  await later.supervisor.whenIdle();
  assert.deepEqual(later.ran, [5, 3]);
  assert.equal(await counters.get(store, "effects"), 3);
  assert.equal(await counters.get(store, "dead_letters"), 0);
  const [row] = await audit.query(store, { action: "dead_letter_retry" });
  assert.equal(row.command, "cli");
  assert.deepEqual(row.parameters, { id: letter.id, update_id: 3, error_code: letter.error_code });
  await later.supervisor.stop();
});

Deno.test("dead letters: a retried update runs once, after the user's running turn and never beside another", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const ran: number[] = [];
  const turn20 = gate();
  let active = 0;
  let overlaps = 0;
  let failFirst = true;
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    settings: { turnMaxAttempts: 1 },
    handle: async (turn) => {
      if (active++ > 0) overlaps++;
      try {
        const id = turn.update.update_id;
        if (id === 2 && failFirst) throw new Error("feature bug");
        if (id === 20) {
          await turn20.hold();
        }
        ran.push(id);
      } finally {
        active--;
      }
    },
  });
  await inbox.ingest([textUpdate(2, 6)]);
  await supervisor.whenIdle();
  const [letter] = (await queryDeadLetters(store, { now: clock.now(), retentionMs: RETENTION_MS }))
    .letters;
  failFirst = false;
  await inbox.ingest([textUpdate(20, 6), textUpdate(21, 6), textUpdate(22, 6)]);
  await turn20.running;
  const retried = await settleDeadLetter(
    store,
    "retry",
    letter.id,
    options(clock, (a) => supervisor.schedule(a)),
  );
  assert.equal(retried.ok, true);
  turn20.release();
  await supervisor.whenIdle();
  // The actor may have read 21 and 22 ahead already; what matters is one turn at a time, once.
  assert.equal(ran[0], 20);
  assert.deepEqual([...ran].sort((a, b) => a - b), [2, 20, 21, 22]);
  assert.equal(overlaps, 0);
  await supervisor.stop();
});

Deno.test("dead letters: an update failing again after a retry is a new letter with its own id", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const { inbox, supervisor } = recordingRuntime(store, clock, new Set([9]));
  await inbox.ingest([textUpdate(9, 1)]);
  await supervisor.whenIdle();
  const window = { now: clock.now(), retentionMs: RETENTION_MS };
  const [firstLetter] = (await queryDeadLetters(store, window)).letters;
  await clock.advance(60_000);
  const retried = await settleDeadLetter(
    store,
    "retry",
    firstLetter.id,
    options(clock, (a) => supervisor.schedule(a)),
  );
  assert.equal(retried.ok, true);
  await supervisor.whenIdle();
  const letters = (await queryDeadLetters(store, { ...window, now: clock.now() })).letters;
  assert.equal(letters.length, 1);
  assert.notEqual(letters[0].id, firstLetter.id);
  assert.ok(letters[0].id > firstLetter.id, "newer occurrence sorts later");
  assert.equal(letters[0].update_id, 9);
  const old = await getDeadLetter(store, firstLetter.id, { ...window, now: clock.now() });
  assert.equal(old.status, "settled");
  assert.equal(await counters.get(store, "dead_letters"), 1);
  await supervisor.stop();
});

Deno.test("dead letters: two retries of one letter at once queue it once; a discarded letter cannot be retried", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const { inbox, supervisor, ran } = recordingRuntime(store, clock, new Set([1, 2]));
  await inbox.ingest([textUpdate(1, 3), textUpdate(2, 4)]);
  await supervisor.whenIdle();
  await supervisor.stop();
  const window = { now: clock.now(), retentionMs: RETENTION_MS };
  // Users 3 and 4 failed at once: which letter is newer is up to the scheduler.
  const letters = (await queryDeadLetters(store, window)).letters;
  const first = letters.find((l) => l.update_id === 1)!;
  const second = letters.find((l) => l.update_id === 2)!;
  const outcomes = await Promise.all(
    Array.from({ length: 5 }, () => settleDeadLetter(store, "retry", first.id, options(clock))),
  );
  assert.equal(outcomes.filter((o) => o.ok).length, 1);
  assert.ok(outcomes.every((o) => o.ok || o.code === "DEAD_LETTER_ALREADY_RETRIED"));
  assert.equal(
    (await store.kv.list({ prefix: ["inbox", "u:3"] }).next()).value?.key[2],
    1,
    "queued once",
  );

  const discarded = await settleDeadLetter(store, "discard", second.id, options(clock));
  assert.equal(discarded.ok, true);
  const retry = await settleDeadLetter(store, "retry", second.id, options(clock));
  assert.equal(!retry.ok && retry.code, "DEAD_LETTER_DISCARDED");
  assert.equal((await store.kv.get(["inbox", "u:4", 2])).value, null);
  const unknown = await settleDeadLetter(store, "retry", "0".repeat(20), options(clock));
  assert.equal(!unknown.ok && unknown.code, "DEAD_LETTER_NOT_FOUND");
  assert.deepEqual(ran, []);
  assert.equal((await queryDeadLetters(store, window)).letters.length, 0);
  assert.deepEqual(
    (await audit.query(store, {})).filter((r) => r.action.startsWith("dead_letter_"))
      .map((r) => r.action).sort(),
    ["dead_letter_discard", "dead_letter_retry"],
  );
});

Deno.test("dead letters: bulk retry by error code re-queues only the matching letters, at most max per call", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  let failing = true;
  const ran: number[] = [];
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    settings: { turnMaxAttempts: 1 },
    handle: (turn) => {
      const id = turn.update.update_id;
      if (failing) {
        throw new AppError("failed", { code: id <= 6 ? "PROVIDER_DOWN" : "FEATURE_BUG" });
      }
      ran.push(id);
      return Promise.resolve();
    },
  });
  // Eight updates of three users; six failed in an outage, two on a bug.
  await inbox.ingest(Array.from({ length: 8 }, (_, i) => textUpdate(i + 1, 100 + (i % 3))));
  await supervisor.whenIdle();
  const window = { now: clock.now(), retentionMs: RETENTION_MS };
  assert.equal((await queryDeadLetters(store, window)).letters.length, 8);
  failing = false;
  const bulk = { ...options(clock, (a) => supervisor.schedule(a)), max: 4 };
  const filter = { errorCode: "PROVIDER_DOWN" };
  const firstCall = await settleMatching(store, "retry", filter, bulk);
  assert.deepEqual(firstCall, { done: 4, skipped: [], more: true });
  const secondCall = await settleMatching(store, "retry", filter, bulk);
  assert.deepEqual(secondCall, { done: 2, skipped: [], more: false });
  await supervisor.whenIdle();
  assert.deepEqual(ran.sort((a, b) => a - b), [1, 2, 3, 4, 5, 6]);
  const left = (await queryDeadLetters(store, window)).letters;
  assert.deepEqual(left.map((l) => [l.update_id, l.error_code]).sort(), [
    [7, "FEATURE_BUG"],
    [8, "FEATURE_BUG"],
  ]);
  // One user's letters only: user 101 had updates 2, 5 and 8; 8 is left.
  const discarded = await settleMatching(store, "discard", { userId: 101 }, bulk);
  assert.deepEqual(discarded, { done: 1, skipped: [], more: false });
  assert.deepEqual((await queryDeadLetters(store, window)).letters.map((l) => l.update_id), [7]);
  assert.equal(await counters.get(store, "dead_letters"), 1);
  await supervisor.stop();
});

Deno.test("dead letters: a retry whose update id is already in the user's inbox is refused and changes nothing", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const { inbox } = createRuntime({ store, clock, handle: () => Promise.resolve() });
  inbox.onQueued = () => {}; // no supervisor drains what is queued here
  // A letter from before, and the same update id queued again (its marker long expired).
  const [id] = await seedDeadLetters(store, clock, [deadLetterInput(1, 7)]);
  assert.equal((await inbox.ingest([textUpdate(1, 7)]))[0].status, "queued");
  assert.equal(await readInboxDepth(store), 1);
  const outcome = await settleDeadLetter(store, "retry", id, options(clock));
  assert.equal(!outcome.ok && outcome.code, "DEAD_LETTER_ALREADY_QUEUED");
  assert.equal(
    (await getDeadLetter(store, id, { now: clock.now(), retentionMs: RETENTION_MS })).status,
    "live",
  );
  assert.equal(await readInboxDepth(store), 1, "the inbox depth did not move");
  assert.equal(
    (await Array.fromAsync(store.kv.list({ prefix: ["inbox"] }))).length,
    1,
    "queued once",
  );
  assert.equal((await audit.query(store, { action: "dead_letter_retry" })).length, 0);
});

Deno.test("dead letters: a bulk retry commits letters in batches and answers for each one it leaves", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const { inbox } = createRuntime({ store, clock, handle: () => Promise.resolve() });
  inbox.onQueued = () => {}; // no supervisor drains what is queued here
  const big = textUpdate(3, 9, "ж".repeat(40_000));
  const ids = await seedDeadLetters(store, clock, [
    ...Array.from({ length: 60 }, (_, i) => deadLetterInput(100 + i, 10 + (i % 7))),
    { ...deadLetterInput(1, 8), update: '{"update_id":1,"message":{"text":"cut…' },
    deadLetterInput(2, 8),
    { ...deadLetterInput(3, 9), update: JSON.stringify(big) },
  ]);
  // Update 2 is queued again by other means before the bulk retry.
  assert.equal((await inbox.ingest([textUpdate(2, 8)]))[0].status, "queued");
  const result = await settleMatching(store, "retry", { errorCode: "TURN_FAILED" }, {
    ...options(clock),
    max: 1000,
  });
  assert.equal(result.done, 61);
  assert.deepEqual(result.skipped.sort((a, b) => a.id.localeCompare(b.id)), [
    { id: ids[60], code: "DEAD_LETTER_UNREADABLE" },
    { id: ids[61], code: "DEAD_LETTER_ALREADY_QUEUED" },
  ]);
  for (let i = 0; i < 60; i++) {
    assert.ok((await store.kv.get(["inbox", `u:${10 + (i % 7)}`, 100 + i])).value, `${100 + i}`);
  }
  const queuedBig = await store.kv.get<{ chunks: number }>(["inbox", "u:9", 3]);
  assert.ok(queuedBig.value && queuedBig.value.chunks > 0, "the large update is queued whole");
  assert.equal((await audit.query(store, { action: "dead_letter_retry", limit: 500 })).length, 61);
  assert.equal(await counters.get(store, "dead_letters"), 2);
  assert.equal(await counters.get(store, "dead_letters_retried"), 61);
  const { inbox_depth } = await createRuntime({ store, clock, handle: () => Promise.resolve() })
    .supervisor.getStats();
  assert.equal(inbox_depth, 62);
});

Deno.test("dead letters: a bulk retry racing single retries of its letters queues every update once", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const ids = await seedDeadLetters(
    store,
    clock,
    Array.from({ length: 40 }, (_, i) => deadLetterInput(200 + i, 20 + (i % 5))),
  );
  // Single retries landing once the bulk has read its page make a batch's commit fail, and its
  // letters go one at a time (when they land earlier, the bulk never sees those letters).
  const started = settleMatching(store, "retry", { errorCode: "TURN_FAILED" }, {
    ...options(clock),
    max: 100,
  });
  for (let i = 0; i < 12; i++) await store.kv.get(["meta", "schema_version"]);
  const singles = await Promise.all(
    ids.slice(-12).filter((_, i) => i % 3 === 0).map((id) =>
      settleDeadLetter(store, "retry", id, options(clock))
    ),
  );
  const bulk = await started;
  const singlesDone = singles.filter((s) => s.ok).length;
  assert.equal(bulk.done + singlesDone, 40);
  assert.ok(bulk.skipped.every((s) => s.code === "DEAD_LETTER_ALREADY_RETRIED"));
  let queued = 0;
  for await (const _ of store.kv.list({ prefix: ["inbox"] })) queued++;
  assert.equal(queued, 40);
  assert.equal((await audit.query(store, { action: "dead_letter_retry", limit: 500 })).length, 40);
  assert.equal(await counters.get(store, "dead_letters"), 0);
});
