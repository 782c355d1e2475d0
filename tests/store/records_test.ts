import assert from "node:assert/strict";
import * as bookmarks from "../../src/store/bookmarks.ts";
import * as feedback from "../../src/store/feedback.ts";
import * as history from "../../src/store/history.ts";
import { commitTx } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { fileStore, tempKvPath } from "../support/store.ts";

Deno.test("records: profiles, XP, totals, history, feedback and bookmarks survive a reopen", async () => {
  await using tmp = await tempKvPath();
  const now = Date.UTC(2026, 5, 1);
  let store = await fileStore(tmp.path);
  const tx = store.tx();
  profiles.save(
    tx,
    profiles.newProfile({ id: 42, language: "ru", username: "alice", first_name: "Алиса" }, now),
  );
  profiles.setAdminFlags(tx, 42, { tier: "pro", banned: false, ban_reason: null }, 0);
  profiles.addXp(tx, 42, 120);
  profiles.addTotal(tx, 42, "analyses", 3);
  const item = history.append(
    tx,
    42,
    { kind: "news", text: "BTC up", analysis: { summary: "s" } },
    now,
  );
  feedback.record(tx, { user_id: 42, analysis_id: item.id, vote: "down", attempt: 1 }, now);
  bookmarks.add(tx, { user_id: 42, analysis_id: item.id, title: "BTC up" }, now);
  await commitTx(store, tx);
  store.close();

  store = await fileStore(tmp.path);
  const user = await profiles.get(store, 42);
  assert.equal(user?.username, "alice");
  assert.equal(user?.first_name, "Алиса");
  assert.equal(user?.tier, "pro");
  assert.equal(user?.xp, 120);
  assert.equal(user?.level, 2);
  assert.deepEqual(user?.totals, { analyses: 3, questions: 0, quizzes: 0, feedback: 0 });
  assert.deepEqual(await history.get(store, 42, item.id), item);
  assert.equal((await feedback.list(store, 42))[0].vote, "down");
  assert.equal((await bookmarks.list(store, 42))[0].analysis_id, item.id);
  assert.equal(await profiles.get(store, 43), null);
  store.close();
});

Deno.test("records: history lists newest first and caps long texts instead of failing", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const tx = store.tx();
  for (let i = 0; i < 5; i++) {
    history.append(tx, 1, { kind: "news", text: `n${i}`, analysis: {} }, 1000 + i);
  }
  const long = history.append(tx, 2, { kind: "news", text: "😀".repeat(30_000), analysis: {} }, 0);
  await commitTx(store, tx);
  assert.deepEqual((await history.list(store, 1, 3)).map((h) => h.text), ["n4", "n3", "n2"]);
  const stored = await history.get(store, 2, long.id);
  assert.ok(stored!.text.length <= 4096 && stored!.text.length > 4000);
  assert.ok(stored?.text.endsWith("…"));
  store.close();
});

Deno.test("records: levels start at 50·n·(n−1) XP", () => {
  assert.deepEqual([0, 99, 100, 299, 300, 599, 600, 1000].map(profiles.levelFor), [
    1,
    1,
    2,
    2,
    3,
    3,
    4,
    5,
  ]);
  for (let level = 1; level < 200; level++) {
    assert.equal(profiles.levelFor(profiles.xpForLevel(level)), level);
    assert.equal(profiles.levelFor(profiles.xpForLevel(level + 1) - 1), level);
  }
});

Deno.test("records: removing a profile removes all of its records", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const tx = store.tx();
  profiles.save(tx, profiles.newProfile({ id: 9, language: "en" }, 0));
  profiles.addXp(tx, 9, 10);
  await commitTx(store, tx);
  const forget = store.tx();
  profiles.remove(forget, 9);
  await commitTx(store, forget);
  assert.equal(await profiles.get(store, 9), null);
  const again = store.tx();
  profiles.save(again, profiles.newProfile({ id: 9, language: "en" }, 0));
  await commitTx(store, again);
  assert.equal((await profiles.get(store, 9))?.xp, 0, "XP does not come back");
  store.close();
});
