import assert from "node:assert/strict";
import { settleDeadLetter } from "../../src/actors/dead_letters.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { retentionCron } from "../../src/jobs/retention.ts";
import { BackupService } from "../../src/store/backups.ts";
import * as counters from "../../src/store/counters.ts";
import { getDeadLetter, queryDeadLetters, updateText } from "../../src/store/dead_letters.ts";
import { stageEraseBatch } from "../../src/store/erase.ts";
import { dataKey, metaKeys } from "../../src/store/keys.ts";
import { commitTx } from "../../src/store/kv.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";
import { deadLetterInput, seedDeadLetters } from "../support/dead_letters.ts";
import { textUpdate } from "../support/runtime.ts";
import { memoryStore } from "../support/store.ts";

const DAY_MS = 86_400_000;
const RETENTION_MS = 30 * DAY_MS;

function window(clock: FakeClock) {
  return { now: clock.now(), retentionMs: RETENTION_MS };
}

Deno.test("dead letters store: pages newest first with a cursor, filtered by user and by error code", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const ids = await seedDeadLetters(store, clock, [
    ...Array.from({ length: 7 }, (_, i) => deadLetterInput(i + 1, 10 + (i % 2), i < 3 ? "A" : "B")),
    deadLetterInput(8, null, "A"),
  ]);
  const first = await queryDeadLetters(store, { ...window(clock), limit: 3 });
  assert.deepEqual(first.letters.map((l) => l.update_id), [8, 7, 6]);
  assert.equal(first.next_cursor, ids[5]);
  const second = await queryDeadLetters(store, {
    ...window(clock),
    limit: 3,
    cursor: first.next_cursor!,
  });
  assert.deepEqual(second.letters.map((l) => l.update_id), [5, 4, 3]);
  const last = await queryDeadLetters(store, {
    ...window(clock),
    limit: 3,
    cursor: second.next_cursor!,
  });
  assert.deepEqual(last.letters.map((l) => l.update_id), [2, 1]);
  assert.equal(last.next_cursor, null);

  const user10 = await queryDeadLetters(store, { ...window(clock), userId: 10 });
  assert.deepEqual(user10.letters.map((l) => l.update_id), [7, 5, 3, 1]);
  const codeA = await queryDeadLetters(store, { ...window(clock), errorCode: "A" });
  assert.deepEqual(codeA.letters.map((l) => l.update_id), [8, 3, 2, 1]);
  const both = await queryDeadLetters(store, { ...window(clock), userId: 11, errorCode: "B" });
  assert.deepEqual(both.letters.map((l) => l.update_id), [6, 4]);
  assert.equal(first.letters[0].update_type, "message");
  assert.equal(first.letters[0].user_id, null);
});

Deno.test("dead letters store: an update too large for one value is kept whole in parts", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const big = textUpdate(1, 7, "ж".repeat(100_000));
  const [id] = await seedDeadLetters(store, clock, [{
    ...deadLetterInput(1, 7),
    update: JSON.stringify(big),
  }]);
  const found = await getDeadLetter(store, id, window(clock));
  assert.equal(found.status, "live");
  if (found.status !== "live") return;
  assert.ok(found.letter.update_parts >= 3);
  assert.deepEqual(JSON.parse(await updateText(store, found.letter)), big);
  const retried = await settleDeadLetter(store, "retry", id, {
    ...window(clock),
    by: { via: "cli" },
  });
  assert.equal(retried.ok, true);
  assert.equal(
    (await store.kv.list({ prefix: dataKey(1, "dead_letter") }).next()).done,
    true,
    "record, parts and indexes are gone",
  );
});

Deno.test("dead letters store: a restore does not bring back letters retried or discarded after the backup", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const backups = new BackupService({ store, clock, retentionDays: 30 });
  const [retried, discarded, kept] = await seedDeadLetters(store, clock, [
    deadLetterInput(1, 1),
    deadLetterInput(2, 2),
    deadLetterInput(3, 3),
  ]);
  const backup = await backups.create();
  const by = { ...window(clock), by: { via: "api" } };
  assert.equal((await settleDeadLetter(store, "retry", retried, by)).ok, true);
  assert.equal((await settleDeadLetter(store, "discard", discarded, by)).ok, true);
  await clock.advance(1000);
  await backups.restore(backup.name);

  const listed = await queryDeadLetters(store, window(clock));
  assert.deepEqual(listed.letters.map((l) => l.id), [kept]);
  const again = await settleDeadLetter(store, "retry", retried, { ...by, now: clock.now() });
  assert.equal(!again.ok && again.code, "DEAD_LETTER_ALREADY_RETRIED");
  assert.equal((await getDeadLetter(store, discarded, window(clock))).status, "settled");
  // The restored gauge still counts the two; the daily retention run drops their records.
  assert.equal(await counters.get(store, "dead_letters"), 3);
  const run = await retentionCron({
    store,
    clock,
    cronEnabled: true,
    retentionDays: { audit: 90, history: 365, deadLetters: 30 },
  });
  assert.equal(run.status, "ok");
  assert.equal(run.numbers.settled_dead_letters_dropped, 2);
  assert.equal(await counters.get(store, "dead_letters"), 1);
});

Deno.test("dead letters store: letters past DEAD_LETTER_RETENTION_DAYS are hidden at once and purged by the retention run", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const [old] = await seedDeadLetters(store, clock, [deadLetterInput(1, 1)]);
  await clock.advance(20 * DAY_MS);
  const [recent] = await seedDeadLetters(store, clock, [deadLetterInput(2, 1)]);
  await clock.advance(11 * DAY_MS);
  assert.deepEqual((await queryDeadLetters(store, window(clock))).letters.map((l) => l.id), [
    recent,
  ]);
  const retry = await settleDeadLetter(store, "retry", old, {
    ...window(clock),
    by: { via: "cli" },
  });
  assert.equal(!retry.ok && retry.code, "DEAD_LETTER_NOT_FOUND");
  const run = await retentionCron({
    store,
    clock,
    cronEnabled: true,
    retentionDays: { audit: 90, history: 365, deadLetters: 30 },
  });
  assert.equal(run.numbers.dead_letters_purged, 1);
  assert.equal(await counters.get(store, "dead_letters"), 1);
  assert.equal((await store.kv.get(dataKey(1, "dead_letter", "t", old))).value, null);
  assert.equal((await store.kv.get(dataKey(1, "dead_letter", "u", 1, old))).value, null);
});

Deno.test("dead letters store: /forget erases the user's dead letters and nobody else's", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const [, other] = await seedDeadLetters(store, clock, [
    deadLetterInput(1, 42),
    deadLetterInput(2, 43),
    deadLetterInput(3, 42, "X"),
  ]);
  let cursor = { step: 0 };
  for (let batch = 0; batch < 100; batch++) {
    const tx = store.tx();
    const result = await stageEraseBatch(store, tx, 42, cursor, clock.now());
    await commitTx(store, tx);
    cursor = result.cursor;
    if (result.done) break;
  }
  const left = await queryDeadLetters(store, window(clock));
  assert.deepEqual(left.letters.map((l) => l.id), [other]);
  assert.equal((await queryDeadLetters(store, { ...window(clock), userId: 42 })).letters.length, 0);
  assert.equal(
    (await queryDeadLetters(store, { ...window(clock), errorCode: "X" })).letters.length,
    0,
  );
  assert.equal(await counters.get(store, "dead_letters"), 1);
});

Deno.test("dead letters store: schema 3 moves letters keyed by update id to one record per occurrence", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  await store.kv.set(metaKeys.schemaVersion, 2);
  for (const [source, id, actor] of [["tg", 5, "u:77"], ["local", 6, "local:1"]] as const) {
    await store.kv.set(dataKey(1, "dead_letter", source, id), {
      actor,
      source,
      update_id: id,
      update: JSON.stringify(textUpdate(id, 77)),
      reason: "TURN_FAILED",
      error_code: "OLD_BUG",
      attempts: 5,
      at: new Date(clock.now() - DAY_MS).toISOString(),
    });
  }
  assert.deepEqual((await runMigrations(store)).applied, [3, 4]);
  assert.deepEqual((await runMigrations(store)).applied, []);
  const listed = await queryDeadLetters(store, window(clock));
  assert.deepEqual(listed.letters.map((l) => l.update_id).sort(), [5, 6]);
  assert.deepEqual(
    (await queryDeadLetters(store, { ...window(clock), userId: 77 })).letters.map((l) =>
      l.update_id
    ),
    [5],
  );
  assert.equal(listed.letters[0].update_type, "message");
  assert.equal((await store.kv.get(dataKey(1, "dead_letter", "tg", 5))).value, null);
});
