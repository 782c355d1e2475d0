import assert from "node:assert/strict";
import { stageEraseBatch } from "../../src/store/erase.ts";
import { dataPrefix } from "../../src/store/keys.ts";
import { commitTx } from "../../src/store/kv.ts";
import * as learning from "../../src/store/learning.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

const T0 = Date.UTC(2026, 0, 5, 10);

Deno.test("learning records: a user without progress reads as empty", async () => {
  using store = await memoryStore();
  assert.deepEqual(await learning.get(store, 7), learning.emptyRecord(7));
  assert.deepEqual(await learning.listXpEvents(store, 7), []);
});

Deno.test("learning records: progress and XP events survive a reopen, events newest first", async () => {
  await using tmp = await tempKvPath();
  let store = await fileStore(tmp.path);
  const tx = store.tx();
  const record: learning.LearningRecord = {
    ...learning.emptyRecord(42),
    opened: ["beginner-1", "beginner-2"],
    passed: ["beginner-1"],
    best: { "beginner-1": { correct: 4, total: 4, at: new Date(T0).toISOString() } },
    quizzes_finished: 2,
    perfect_quizzes: 1,
    streak: { lastDay: "2026-01-05", current: 1, best: 3 },
    xp: 30,
  };
  learning.save(tx, record, T0);
  const first = learning.appendXpEvent(
    tx,
    42,
    { xp: 20, reason: "quiz", lesson_id: "beginner-1" },
    T0,
  );
  const second = learning.appendXpEvent(
    tx,
    42,
    { xp: 10, reason: "quiz", lesson_id: "beginner-1" },
    T0 + 1000,
  );
  await commitTx(store, tx);
  store.close();

  store = await fileStore(tmp.path);
  assert.deepEqual(await learning.get(store, 42), {
    ...record,
    updated_at: "2026-01-05T10:00:00.000Z",
  });
  assert.deepEqual(await learning.listXpEvents(store, 42), [second, first]);
  assert.deepEqual(await learning.listXpEvents(store, 42, 1), [second]);
  store.close();
});

Deno.test("learning records: /forget's erase removes progress and XP events under the user's prefix", async () => {
  using store = await memoryStore();
  const tx = store.tx();
  learning.save(tx, { ...learning.emptyRecord(1), opened: ["beginner-1"] }, T0);
  learning.save(tx, { ...learning.emptyRecord(2), opened: ["beginner-1"] }, T0);
  for (let i = 0; i < 5; i++) {
    learning.appendXpEvent(tx, 1, { xp: 5, reason: "quiz", lesson_id: null }, T0 + i);
  }
  await commitTx(store, tx);
  let cursor = { step: 0 };
  for (let batch = 0; batch < 20; batch++) {
    const erase = store.tx();
    const result = await stageEraseBatch(store, erase, 1, cursor, T0);
    await commitTx(store, erase);
    cursor = result.cursor;
    if (result.done) break;
  }
  const left: Deno.KvKey[] = [];
  for await (
    const entry of store.kv.list({ prefix: dataPrefix(store.generation, "learning") })
  ) left.push(entry.key);
  assert.deepEqual(left, [dataPrefix(store.generation, "learning", 2, "progress")]);
  assert.deepEqual(await learning.get(store, 1), learning.emptyRecord(1));
});
