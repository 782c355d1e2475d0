import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { type AppError } from "../../src/core/errors.ts";
import { GroupCommitter } from "../../src/store/committer.ts";
import { commitTx } from "../../src/store/kv.ts";
import { metaKeys } from "../../src/store/keys.ts";
import { SCHEMA_VERSION } from "../../src/store/migrations.ts";
import { SchemaFence, SchemaFenceError } from "../../src/store/schema_fence.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

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

Deno.test("group commit: identical checks count once, so txs checking one record share commits", async () => {
  using store = await memoryStore();
  await store.kv.set(["shared"], 1);
  const { versionstamp } = await store.kv.get(["shared"]);
  const committer = new GroupCommitter(store);
  const outcomes = await Promise.all(
    Array.from(
      { length: 150 },
      (_, i) => committer.submit(store.tx().check(["shared"], versionstamp).set(["item", i], i)),
    ),
  );
  assert.ok(outcomes.every((o) => o.ok));
  assert.ok(committer.commits <= 3, `${committer.commits} commits for 150 txs`);
});

Deno.test("group commit: txs that check and write one record still commit one after the other", async () => {
  using store = await memoryStore();
  await store.kv.set(["counter"], 0);
  const entry = await store.kv.get(["counter"]);
  const committer = new GroupCommitter(store);
  const outcomes = await Promise.all(
    [1, 2].map((n) =>
      committer.submit(store.tx().check(entry.key, entry.versionstamp).set(["counter"], n))
    ),
  );
  assert.deepEqual(outcomes.map((o) => o.ok), [true, false], "the second saw the first's write");
  assert.equal((await store.kv.get(["counter"])).value, 1);
});

Deno.test("group commit: a tx checking what an earlier tx of the batch writes sees that write, as if committed alone", async () => {
  using store = await memoryStore();
  await store.kv.set(["session"], "expired");
  const { versionstamp } = await store.kv.get(["session"]);
  const committer = new GroupCommitter(store);
  // The first tx is in flight while the two others queue into one batch.
  const first = committer.submit(store.tx().set(["other"], 1));
  const renew = committer.submit(store.tx().set(["session"], "renewed"));
  const sweep = committer.submit(
    store.tx().check(["session"], versionstamp).set(["session"], "husk"),
  );
  assert.equal((await first).ok, true);
  assert.equal((await renew).ok, true);
  const swept = await sweep;
  assert.equal(swept.ok, false, "the check fails, as it would have alone");
  assert.equal((await store.kv.get(["session"])).value, "renewed");
});

Deno.test("group commit: with a schema fence each atomic keeps room for its check", async () => {
  using store = await memoryStore();
  await runMigrations(store);
  const clock = new FakeClock(0);
  store.fence = await SchemaFence.open(store, clock);
  const committer = new GroupCommitter(store);
  const outcomes = await Promise.all(
    Array.from(
      { length: 200 },
      (_, i) => committer.submit(store.tx().check(["item", i], null).set(["item", i], i)),
    ),
  );
  assert.ok(outcomes.every((o) => o.ok));
  // 99 txs' checks and the fence's per atomic (after the first tx alone): not one tx at a time
  // after KV refused 101 checks.
  assert.ok(committer.commits <= 4, `${committer.commits} commits for 200 txs`);
});

Deno.test("group commit: once the schema fence closes, every queued and later tx is refused unwritten", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const other = await fileStore(tmp.path);
  const clock = new FakeClock(0);
  store.fence = await SchemaFence.open(store, clock);
  const committer = new GroupCommitter(store);
  await other.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION + 1);
  const results = await Promise.allSettled(
    Array.from({ length: 5 }, (_, i) => committer.submit(store.tx().set(["item", i], i))),
  );
  assert.ok(results.every((r) => r.status === "rejected" && r.reason instanceof SchemaFenceError));
  const commits = committer.commits;
  await assert.rejects(
    committer.submit(store.tx().set(["item", 9], 9)),
    (e) => e instanceof SchemaFenceError && e.code === "SCHEMA_CHANGED",
  );
  assert.equal(committer.commits, commits, "refused without trying");
  assert.equal((await other.kv.list({ prefix: ["item"] }).next()).done, true);
  store.close();
  other.close();
});

Deno.test("commitTx: a fenced store refuses a tx with no room left for the schema check, and commits nothing", async () => {
  using store = await memoryStore();
  store.fence = await SchemaFence.open(store, new FakeClock());
  const tx = store.tx();
  for (let i = 0; i < 100; i++) tx.check(["probe", i], null);
  tx.set(["probe", "written"], 1);
  await assert.rejects(
    () => commitTx(store, tx),
    (err: AppError) => err.code === "TX_TOO_MANY_CHECKS",
  );
  assert.equal((await store.kv.get(["probe", "written"])).value, null);
});
