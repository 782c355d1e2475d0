import assert from "node:assert/strict";
import { FEATURES } from "../../src/bot/features/mod.ts";
import { FeatureRegistry } from "../../src/bot/registry.ts";
import * as bookmarks from "../../src/store/bookmarks.ts";
import * as history from "../../src/store/history.ts";
import { commitTx } from "../../src/store/kv.ts";
import * as learning from "../../src/store/learning.ts";
import { fakeAnalysis } from "../support/fake_llm_server.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 0, 5, 9);

Deno.test("export: the file holds a section from each feature's records (history, bookmarks, learning)", async () => {
  using store = await memoryStore();
  const registry = new FeatureRegistry(FEATURES);
  assert.deepEqual(
    await registry.exportSections(store, 7, "en"),
    [],
    "nothing stored, nothing to export",
  );

  const tx = store.tx();
  const item = history.append(tx, 7, {
    kind: "news",
    text: "SEC approves ETH ETFs",
    analysis: fakeAnalysis(),
  }, T0);
  bookmarks.add(tx, { user_id: 7, analysis_id: item.id, title: "ETF approved" }, T0);
  learning.save(tx, {
    ...learning.emptyRecord(7),
    opened: ["beginner-1"],
    passed: ["beginner-1"],
    quizzes_finished: 1,
    xp: 30,
  }, T0);
  await commitTx(store, tx);

  const sections = await registry.exportSections(store, 7, "en");
  assert.equal(sections.length, 3);
  assert.match(sections[0], /^\[2026-01-05 09:00\] news\nSEC approves ETH ETFs/);
  assert.match(sections[1], /^📌 Bookmarks\n\[2026-01-05 09:00\] ETF approved$/);
  assert.equal(
    sections[2],
    "📚 Learning: 1 lesson opened, passed: beginner-1; 1 quiz finished; 30 XP from quizzes",
  );
  assert.deepEqual(
    await registry.exportSections(store, 8, "ru"),
    [],
    "another user's records stay theirs",
  );
});
