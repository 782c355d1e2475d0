import assert from "node:assert/strict";
import { AppError } from "../../src/core/errors.ts";
import { signedCount, TURN_BUDGET, Tx } from "../../src/core/tx.ts";
import { commitTx } from "../../src/store/kv.ts";
import { memoryStore } from "../support/store.ts";

Deno.test("tx: nothing reaches KV until commit; then everything at once", async () => {
  using store = await memoryStore();
  const tx = store.tx();
  tx.set(["meta", "a"], 1).set(["meta", "b"], 2).sum(["meta", "n"], 5).delete(["meta", "c"]);
  assert.equal((await store.kv.get(["meta", "a"])).value, null);
  assert.ok(await commitTx(store, tx));
  const [a, b, n] = await store.kv.getMany([["meta", "a"], ["meta", "b"], ["meta", "n"]]);
  assert.deepEqual([a.value, b.value, signedCount(n.value as Deno.KvU64)], [1, 2, 5]);
});

Deno.test("tx: a failed check commits nothing", async () => {
  using store = await memoryStore();
  await store.kv.set(["meta", "guard"], "v1");
  const stale = await store.kv.get(["meta", "guard"]);
  await store.kv.set(["meta", "guard"], "v2");
  const tx = store.tx().check(stale.key, stale.versionstamp).set(["meta", "written"], true);
  assert.equal(await commitTx(store, tx), null);
  assert.equal((await store.kv.get(["meta", "written"])).value, null);
});

Deno.test("tx: negative sums wrap and read back as signed counts", async () => {
  using store = await memoryStore();
  await commitTx(store, store.tx().sum(["meta", "gauge"], 3));
  await commitTx(store, store.tx().sum(["meta", "gauge"], -5));
  assert.equal(signedCount((await store.kv.get<Deno.KvU64>(["meta", "gauge"])).value), -2);
});

Deno.test("tx: a turn staging too much fails with TURN_TOO_LARGE", () => {
  const tx = new Tx({ generation: 1, ...TURN_BUDGET, overflowCode: "TURN_TOO_LARGE" });
  assert.throws(
    () => {
      for (let i = 0; i <= TURN_BUDGET.maxMutations; i++) tx.set(["x", i], i);
    },
    (e) => e instanceof AppError && e.code === "TURN_TOO_LARGE",
  );
  const big = new Tx({ generation: 1, ...TURN_BUDGET, overflowCode: "TURN_TOO_LARGE" });
  assert.throws(
    () => {
      for (let i = 0; i < 20; i++) big.set(["x", i], "x".repeat(60_000));
    },
    (e) => e instanceof AppError && e.code === "TURN_TOO_LARGE",
  );
});

Deno.test("tx: a value over KV's 64 KiB limit is refused at staging, not by KV", () => {
  const tx = new Tx({ generation: 1 });
  assert.throws(
    () => tx.set(["x"], "я".repeat(40_000)),
    (e) => e instanceof AppError && e.code === "VALUE_TOO_LARGE",
  );
  assert.equal(tx.mutations.length, 0);
});
