import assert from "node:assert/strict";
import { Inbox } from "../../src/actors/inbox.ts";
import { InboxLooks } from "../../src/actors/inbox_looks.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { GroupCommitter } from "../../src/store/committer.ts";
import { KvMetricsSink } from "../../src/store/counters.ts";
import { type Store } from "../../src/store/kv.ts";
import { textUpdate } from "../support/runtime.ts";
import { memoryStore } from "../support/store.ts";

/** Counts `list` calls on the store's connection (Deno's API, observed). */
function countLists(store: Store): { lists: number } {
  const seen = { lists: 0 };
  const list = store.kv.list.bind(store.kv);
  store.kv.list = (selector, options) => {
    seen.lists++;
    return list(selector, options);
  };
  return seen;
}

async function queue(store: Store, updates: { id: number; user: number }[]): Promise<void> {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const inbox = new Inbox({
    store,
    committer: new GroupCommitter(store),
    clock,
    metrics: new KvMetricsSink(store, { clock }),
  });
  await inbox.ingest(updates.map(({ id, user }) => textUpdate(id, user)));
}

Deno.test("inbox looks: looks asked while one is in flight share the next read, and each actor gets its own answer", async () => {
  using store = await memoryStore();
  await queue(store, [{ id: 1, user: 3 }]);
  const seen = countLists(store);
  const looks = new InboxLooks(store);
  const first = looks.waiting("u:1");
  const rest = ["u:2", "u:3", "u:4", "u:5"].map((actor) => looks.waiting(actor));
  assert.equal(await first, false);
  assert.deepEqual(await Promise.all(rest), [false, true, false, false]);
  assert.equal(seen.lists, 2, "one read for the first look, one shared by the four after it");
});

Deno.test("inbox looks: behind a backlog longer than a shared page, every actor still gets the right answer", async () => {
  using store = await memoryStore();
  // Twenty users with one update waiting each sort before u:9, which has one too.
  const backlog = Array.from({ length: 20 }, (_, i) => ({ id: 100 + i, user: 1000 + i }));
  await queue(store, [...backlog, { id: 7, user: 9 }]);
  const looks = new InboxLooks(store);
  const asked = ["u:1000", "u:9", "u:8"];
  const answers = await Promise.all([looks.waiting("u:1"), ...asked.map((a) => looks.waiting(a))]);
  assert.deepEqual(answers, [false, true, true, false]);
});
