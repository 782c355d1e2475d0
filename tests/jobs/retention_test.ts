import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { Tx } from "../../src/core/tx.ts";
import { retentionCron } from "../../src/jobs/retention.ts";
import * as audit from "../../src/store/audit.ts";
import { switchGeneration } from "../../src/store/generations.ts";
import * as feedback from "../../src/store/feedback.ts";
import * as history from "../../src/store/history.ts";
import { dataPrefix } from "../../src/store/keys.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import { MAX_FEEDBACK_PER_USER, MAX_HISTORY_PER_USER } from "../../src/store/retention.ts";
import { memoryStore } from "../support/store.ts";

const DAY = 86_400_000;
const NOW = Date.UTC(2027, 0, 1);

async function keys(store: Store, prefix: Deno.KvKey): Promise<number> {
  let n = 0;
  for await (const _ of store.kv.list({ prefix })) n++;
  return n;
}

Deno.test("retention: audit rows and history past their retention go; newer ones stay", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(NOW);
  // Audit: 400 rows 100 days old (past 90), 5 rows 10 days old.
  for (let batch = 0; batch < 4; batch++) {
    const tx = store.tx();
    for (let i = batch * 100; i < (batch + 1) * 100; i++) {
      audit.record(tx, { user_id: i % 7, action: "old", status: "ok" }, NOW - 100 * DAY + i);
    }
    await commitTx(store, tx);
  }
  const fresh = store.tx();
  for (let i = 0; i < 5; i++) {
    audit.record(fresh, { user_id: 1, action: "new", status: "ok" }, NOW - 10 * DAY + i);
  }
  // History: two users, items 400 and 30 days old (365-day retention).
  for (const user of [1, 2]) {
    history.append(fresh, user, { kind: "news", text: "old", analysis: {} }, NOW - 400 * DAY);
    history.append(fresh, user, { kind: "news", text: "new", analysis: {} }, NOW - 30 * DAY);
  }
  await commitTx(store, fresh);

  const outcome = await retentionCron({
    store,
    clock,
    cronEnabled: true,
    retentionDays: { audit: 90, history: 365, deadLetters: 30 },
  });
  assert.equal(outcome.status, "ok");
  assert.equal(outcome.numbers.audit_rows_purged, 400);
  assert.equal(outcome.numbers.history_purged, 2);
  const rows = await audit.query(store, { limit: 500 });
  assert.deepEqual(new Set(rows.map((r) => r.action)), new Set(["new"]));
  assert.equal(rows.length, 5);
  assert.equal(await keys(store, dataPrefix(1, "audit", "a", "old")), 0);
  assert.equal(await keys(store, dataPrefix(1, "audit", "u", 3)), 0);
  for (const user of [1, 2]) {
    assert.deepEqual((await history.list(store, user)).map((h) => h.text), ["new"]);
  }
});

Deno.test("retention: the generations a restore replaced are dropped", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(NOW);
  const old = store.tx();
  history.append(old, 1, { kind: "news", text: "before", analysis: {} }, NOW);
  await commitTx(store, old);
  const next = new Tx({ generation: 2 });
  history.append(next, 1, { kind: "news", text: "restored", analysis: {} }, NOW);
  await commitTx(store, next);
  await switchGeneration(store, 1, 2);
  const outcome = await retentionCron({
    store,
    clock,
    cronEnabled: true,
    retentionDays: { audit: 90, history: 365, deadLetters: 30 },
  });
  assert.equal(outcome.numbers.old_generation_keys_dropped, 1);
  assert.equal(await keys(store, dataPrefix(1)), 0);
  assert.deepEqual((await history.list(store, 1)).map((h) => h.text), ["restored"]);
});

Deno.test("retention: a user's history beyond 1000 items and feedback beyond 8000 rows lose their oldest; old feedback goes", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(NOW);
  const stage = async (n: number, add: (tx: Tx, i: number) => void) => {
    for (let start = 0; start < n; start += 900) {
      const tx = store.tx();
      for (let i = start; i < Math.min(n, start + 900); i++) add(tx, i);
      await commitTx(store, tx);
    }
  };
  const day = (i: number) => NOW - 300 * DAY + i * 60_000;
  await stage(MAX_HISTORY_PER_USER + 5, (tx, i) => {
    history.append(tx, 1, { kind: "news", text: `item ${i}`, analysis: {} }, day(i));
  });
  await stage(3, (tx, i) => {
    history.append(tx, 2, { kind: "news", text: `item ${i}`, analysis: {} }, day(i));
  });
  await stage(MAX_FEEDBACK_PER_USER + 2, (tx, i) => {
    feedback.record(tx, { user_id: 1, analysis_id: "a", vote: "down", attempt: 1 }, day(i));
  });
  await stage(4, (tx, i) => {
    feedback.record(
      tx,
      { user_id: 2, analysis_id: "b", vote: "up", attempt: null },
      NOW - 400 * DAY + i,
    );
  });
  const outcome = await retentionCron({
    store,
    clock,
    cronEnabled: true,
    retentionDays: { audit: 90, history: 365, deadLetters: 30 },
  });
  assert.equal(outcome.numbers.history_purged, 5);
  assert.equal(outcome.numbers.feedback_purged, 2 + 4);
  const kept = await history.list(store, 1, 2000);
  assert.equal(kept.length, MAX_HISTORY_PER_USER);
  assert.equal(kept.at(-1)?.text, "item 5", "the oldest five went");
  assert.equal(kept[0].text, `item ${MAX_HISTORY_PER_USER + 4}`);
  assert.equal((await history.list(store, 2)).length, 3);
  assert.equal((await feedback.list(store, 1, 10_000)).length, MAX_FEEDBACK_PER_USER);
  assert.equal((await feedback.list(store, 2)).length, 0);
});
