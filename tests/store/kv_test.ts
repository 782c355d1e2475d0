import assert from "node:assert/strict";
import { DatabaseError } from "../../src/core/errors.ts";
import { configureLogging } from "../../src/log.ts";
import { GroupCommitter } from "../../src/store/committer.ts";
import { atomicCommit, commitTx, openStore, probeWrite } from "../../src/store/kv.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

Deno.test("store: a throwing fault refuses every access until reopen", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const tx = store.tx();
  tx.set(["meta", "probe"], "before");
  await commitTx(store, tx);
  store.injectFault("throwing");
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

Deno.test("store: group-committed writes are tracked too: a failure run is logged once, recovery once", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const lines: string[] = [];
  await configureLogging({ level: "info", format: "json", write: (l) => lines.push(l) });
  const committer = new GroupCommitter(store);
  store.kv.close(); // behind the store's back: every commit fails, as on a broken disk
  for (let i = 0; i < 3; i++) {
    await assert.rejects(committer.submit(store.tx().set(["meta", "x"], i)), DatabaseError);
  }
  assert.equal(store.lastCommitError?.code, "DB_ERROR");
  assert.equal(store.failedCommits, 3);
  const since = store.failingSince;
  assert.ok(since !== null && since <= store.lastCommitError!.at);
  await store.reopen();
  assert.equal((await committer.submit(store.tx().set(["meta", "x"], 9))).ok, true);
  assert.equal(store.lastCommitError, null);
  assert.equal(store.failingSince, null);
  const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.logger === "rvx.store.kv");
  assert.deepEqual(logged.map((l) => [l.level, l.code]), [
    ["ERROR", "DB_ERROR"],
    ["WARN", "KV_RECOVERED"],
  ]);
  assert.equal(logged[1].failed, 3);
  store.close();
});

Deno.test("store: a commit refused for what it writes (a value over KV's limit) is not a KV failure", async () => {
  using store = await memoryStore();
  await assert.rejects(
    atomicCommit(store, (op) => op.set(["meta", "big"], "x".repeat(70_000))),
    (e) => e instanceof TypeError && !(e instanceof DatabaseError),
  );
  assert.equal(store.lastCommitError, null);
  assert.equal(store.failingSince, null);
});

Deno.test("store: the write probe writes once and reports whether it went through", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  assert.equal(await probeWrite(store, 1234), true);
  store.injectFault("throwing");
  assert.equal(await probeWrite(store, 5678), false);
  assert.equal(store.lastCommitError?.code, "KV_UNAVAILABLE");
  await store.reopen();
  assert.equal(await probeWrite(store, 9999), true);
  assert.equal(store.lastCommitError, null);
  store.close();
});

Deno.test("store: a full fault fails writes with SQLite's disk-full error while reads still work", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  await commitTx(store, store.tx().set(["meta", "probe"], "before"));
  store.injectFault("full");
  assert.equal((await store.kv.get(["meta", "probe"])).value, "before");
  await assert.rejects(
    commitTx(store, store.tx().set(["meta", "probe"], "during")),
    (e) => e instanceof DatabaseError && e.code === "KV_DISK_FULL",
  );
  await assert.rejects(store.kv.set(["meta", "probe"], "during"), /disk is full/);
  assert.equal(store.lastCommitError?.code, "KV_DISK_FULL");
  await store.reopen();
  assert.equal((await store.kv.get(["meta", "probe"])).value, "before");
  store.close();
});

Deno.test("store: on a file, every read sees each commit that has resolved, through its reader connection", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const committer = new GroupCommitter(store);
  // Reads race commits queued on the writer: each read issued after its commit resolved sees it.
  await Promise.all(Array.from({ length: 200 }, async (_, i) => {
    await committer.submit(store.tx().set(["meta", "rw", i], i).sum(["meta", "rw_total"], 1));
    assert.equal((await store.kv.get(["meta", "rw", i])).value, i);
    const [entry] = await store.kv.getMany([["meta", "rw", i]]);
    assert.equal(entry.value, i);
  }));
  const listed = await Array.fromAsync(store.kv.list({ prefix: ["meta", "rw"] }));
  assert.equal(listed.length, 200);
  assert.equal((await store.kv.get<Deno.KvU64>(["meta", "rw_total"])).value?.value, 200n);
  // Reads have their own connection: they still work once the writer's is closed.
  store.kv.close();
  assert.equal((await store.kv.get(["meta", "rw", 3])).value, 3);
  await assert.rejects(commitTx(store, store.tx().set(["meta", "rw", 3], 0)), DatabaseError);
  await store.reopen();
  // Closing closes both connections: reads fail too, and reopening brings both back.
  store.injectFault("closed");
  assert.throws(() => store.kv.get(["meta", "rw", 1]), DatabaseError);
  await store.reopen();
  assert.equal((await store.kv.get(["meta", "rw", 7])).value, 7);
  store.close();
});
