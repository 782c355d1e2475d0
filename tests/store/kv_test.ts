import assert from "node:assert/strict";
import { DatabaseError } from "../../src/core/errors.ts";
import { commitTx, openStore } from "../../src/store/kv.ts";
import { fileStore, tempKvPath } from "../support/store.ts";

Deno.test("store: a throwing fault refuses every access until reopen", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const tx = store.tx();
  tx.set(["meta", "probe"], "before");
  await commitTx(store, tx);
  store.injectFault("throwing");
  assert.equal(store.available, false);
  assert.throws(() => store.kv, (e) => e instanceof DatabaseError && e.code === "KV_UNAVAILABLE");
  await assert.rejects(commitTx(store, store.tx().set(["meta", "probe"], "during")), DatabaseError);
  await store.reopen();
  assert.equal((await store.kv.get(["meta", "probe"])).value, "before");
  store.close();
});

Deno.test("store: a closed handle fails as a DatabaseError, records the commit error, and reopens", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  store.injectFault("closed");
  const attempt = store.tx().set(["meta", "probe"], 1);
  await assert.rejects(commitTx(store, attempt), DatabaseError);
  assert.equal(store.lastCommitError?.code, "KV_UNAVAILABLE");
  await store.reopen();
  await commitTx(store, store.tx().set(["meta", "probe"], 2));
  assert.equal((await store.kv.get(["meta", "probe"])).value, 2);
  store.close();
});

Deno.test("store: a real failure inside commit is recorded for /health and cleared by the next success", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const kv = store.kv;
  kv.close(); // closed behind the store's back, as a crashed SQLite worker would look
  await assert.rejects(commitTx(store, store.tx().set(["meta", "x"], 1)), DatabaseError);
  assert.equal(store.lastCommitError?.code, "DB_ERROR");
  await store.reopen();
  await commitTx(store, store.tx().set(["meta", "x"], 1));
  assert.equal(store.lastCommitError, null);
  store.close();
});

Deno.test("store: opening creates the data directory", async () => {
  await using tmp = await tempKvPath();
  const nested = tmp.path.replace(/rvx\.kv$/, "a/b/rvx.kv");
  const store = await openStore(nested);
  assert.equal(store.generation, 1);
  store.close();
  assert.ok((await Deno.stat(nested)).isFile);
});
