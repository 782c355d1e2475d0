import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { readInbox } from "../../src/actors/inbox.ts";
import { FakeClock } from "../../src/core/clock.ts";
import * as counters from "../../src/store/counters.ts";
import { queryDeadLetters } from "../../src/store/dead_letters.ts";
import { DONE_CAP } from "../../src/store/done_updates.ts";
import { type Store } from "../../src/store/kv.ts";
import { readSession } from "../../src/store/sessions.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";
import { tempDir } from "../support/backup_files.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";
import { BackupService } from "../../src/store/backups.ts";

const HOUR_MS = 3_600_000;

/** A runtime that records which update ids ran and fails those in `failing`. */
function recording(store: Store, clock: FakeClock, failing = new Set<number>()) {
  const ran: number[] = [];
  const runtime = createRuntime({
    store,
    clock,
    settings: { turnMaxAttempts: 1, sessionTtlMs: HOUR_MS },
    handle: (turn) => {
      if (failing.has(turn.update.update_id)) throw new Error("feature bug");
      ran.push(turn.update.update_id);
      counters.add(turn.tx, "effects");
      return Promise.resolve();
    },
  });
  return { ...runtime, ran };
}

Deno.test("dedupe: a redelivery after the session expired and was swept still has no second effect", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const first = recording(store, clock);
  await first.inbox.ingest([textUpdate(1, 9)]);
  await first.supervisor.whenIdle();
  await first.supervisor.stop();

  await clock.advance(2 * HOUR_MS);
  const later = recording(store, clock);
  assert.equal(await later.supervisor.cleanupExpiredSessions(), 1);
  assert.equal((await readSession(store, "u:9", clock.now())).status, "absent", "state removed");
  // Telegram redelivers within 24 h: the husk the sweep left remembers the id.
  await later.inbox.ingest([textUpdate(1, 9)]);
  await later.supervisor.whenIdle();
  assert.deepEqual(later.ran, []);
  assert.equal(await counters.get(store, "effects"), 1);
  assert.equal((await readInbox(store, "u:9", 5)).length, 0);
  // A new update starts a new session that still remembers the old id.
  await later.inbox.ingest([textUpdate(2, 9), textUpdate(1, 9)]);
  await later.supervisor.whenIdle();
  assert.deepEqual(later.ran, [2]);
  await later.supervisor.stop();
});

Deno.test("dedupe: a redelivered dead-lettered update is not run behind the operator's back", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const runtime = recording(store, clock, new Set([5]));
  await runtime.inbox.ingest([textUpdate(5, 3)]);
  await runtime.supervisor.whenIdle();
  assert.equal(
    (await queryDeadLetters(store, { now: clock.now(), retentionMs: HOUR_MS })).letters.length,
    1,
  );
  runtime.ran.length = 0;
  await runtime.inbox.ingest([textUpdate(5, 3), textUpdate(6, 3)]);
  await runtime.supervisor.whenIdle();
  assert.deepEqual(runtime.ran, [6], "only the new update ran");
  assert.equal(
    (await queryDeadLetters(store, { now: clock.now(), retentionMs: HOUR_MS })).letters.length,
    1,
  );
  await runtime.supervisor.stop();
});

Deno.test("dedupe: an id below what the finished list still covers goes to the dead letters, neither run nor dropped", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const runtime = recording(store, clock);
  const updates = [];
  for (let id = 1000; id < 1000 + DONE_CAP + 10; id++) updates.push(textUpdate(id, 4));
  await runtime.inbox.ingest(updates);
  await runtime.supervisor.whenIdle();
  await runtime.supervisor.stop();
  // Id 1002 fell off the capped list: it may have run, so an operator decides.
  const fresh = recording(store, clock);
  await fresh.inbox.ingest([textUpdate(1002, 4)]);
  await fresh.supervisor.whenIdle();
  assert.deepEqual(fresh.ran, []);
  const { letters } = await queryDeadLetters(store, { now: clock.now(), retentionMs: HOUR_MS });
  assert.deepEqual(letters.map((l) => [l.update_id, l.error_code]), [[
    1002,
    "UPDATE_BELOW_DONE_WINDOW",
  ]]);
  await fresh.supervisor.stop();
});

Deno.test("order: an update whose lower id is queued while its user's drain runs goes before the higher ones not started yet", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const ran: number[] = [];
  const runtime = createRuntime({
    store,
    clock,
    handle: async (turn) => {
      ran.push(turn.update.update_id);
      // Update 6 arrives late, while 5 runs and 7 waits in the page the drain read.
      if (turn.update.update_id === 5) await runtime.inbox.ingest([textUpdate(6, 1)]);
    },
  });
  await runtime.inbox.ingest([textUpdate(5, 1), textUpdate(7, 1)]);
  await runtime.supervisor.whenIdle();
  assert.deepEqual(ran, [5, 6, 7]);
  await runtime.supervisor.stop();
});

/** Session rows of `actor` that KV will expire, read from the KV file itself. */
function expiringSessionRows(path: string, actor: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const row = db.prepare(
      "select count(*) as n from kv where expiration_ms > 0 and instr(k, ?) > 0 and instr(k, ?) > 0",
    ).get(encoder.encode("\x02session\x00"), encoder.encode(`\x02${actor}\x00`)) as { n: number };
    return row.n;
  } finally {
    db.close();
  }
}
const encoder = new TextEncoder();

Deno.test("dedupe: a restored husk still leaves KV once its finished ids age out", async () => {
  await using tmp = await tempKvPath();
  await using dir = await tempDir();
  const store = await fileStore(tmp.path);
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const runtime = recording(store, clock);
  await runtime.inbox.ingest([textUpdate(1, 9)]);
  await runtime.supervisor.whenIdle();
  await clock.advance(2 * HOUR_MS);
  assert.equal(await runtime.supervisor.cleanupExpiredSessions(), 1);
  await runtime.supervisor.stop();
  assert.equal(expiringSessionRows(tmp.path, "u:9"), 1, "the husk expires");

  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  const made = await backups.create({ reason: "test" });
  await backups.restore(made.name, { allowUnsigned: true });
  // The restored husk has no index entry for the sweep, so only KV's own expiry removes it
  // (the previous generation's husk stays beside it until that generation is dropped).
  assert.equal(expiringSessionRows(tmp.path, "u:9"), 2, "the restored husk expires too");
  store.close();
});
