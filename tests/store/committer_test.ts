import assert from "node:assert/strict";
import { GroupCommitter } from "../../src/store/committer.ts";
import { memoryStore } from "../support/store.ts";

Deno.test("group commit: concurrent txs share commits, and sums on one key merge", async () => {
  using store = await memoryStore();
  const committer = new GroupCommitter(store);
  const outcomes = await Promise.all(
    Array.from(
      { length: 50 },
      (_, i) => committer.submit(store.tx().set(["item", i], i).sum(["total"], 1n)),
    ),
  );
  assert.ok(outcomes.every((o) => o.ok));
  assert.ok(committer.commits < 50, `${committer.commits} commits for 50 txs`);
  assert.equal((await store.kv.get<Deno.KvU64>(["total"])).value?.value, 50n);
  assert.equal((await store.kv.get(["item", 49])).value, 49);
});

Deno.test("group commit: a tx whose check fails gets its conflict; the others commit", async () => {
  using store = await memoryStore();
  await store.kv.set(["taken"], 1);
  const committer = new GroupCommitter(store);
  const [bad, ...good] = await Promise.all([
    committer.submit(store.tx().check(["taken"], null).set(["taken"], 2)),
    ...Array.from({ length: 5 }, (_, i) => committer.submit(store.tx().set(["item", i], i))),
  ]);
  assert.equal(bad.ok, false);
  assert.deepEqual(!bad.ok && bad.failedChecks.map((c) => c.key), [["taken"]]);
  assert.ok(good.every((o) => o.ok));
  assert.equal((await store.kv.get(["taken"])).value, 1);
  assert.equal((await store.kv.get(["item", 4])).value, 4);
});

Deno.test("group commit: a tx KV refuses (a malformed key) fails alone; the others commit", async () => {
  using store = await memoryStore();
  const committer = new GroupCommitter(store);
  const results = await Promise.allSettled([
    committer.submit(store.tx().set(["item", 0], 0)),
    committer.submit(store.tx().set(["item", null as unknown as number], "bad")),
    committer.submit(store.tx().set(["item", 2], 2)),
  ]);
  assert.equal(results[0].status, "fulfilled");
  assert.equal(results[1].status, "rejected");
  assert.equal(results[2].status, "fulfilled");
  assert.equal((await store.kv.get(["item", 0])).value, 0);
  assert.equal((await store.kv.get(["item", 2])).value, 2);
  assert.equal(store.lastCommitError, null, "what one tx wrote is not a KV failure");
});
