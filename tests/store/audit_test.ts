import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import * as audit from "../../src/store/audit.ts";
import { stageEraseBatch } from "../../src/store/erase.ts";
import { dataKey, dataPrefix } from "../../src/store/keys.ts";
import { commitTx } from "../../src/store/kv.ts";
import { memoryStore } from "../support/store.ts";

Deno.test("audit: parameters with secret-looking keys are masked at any depth", async () => {
  using store = await memoryStore();
  const sink = new audit.KvAuditSink(store, new FakeClock(0));
  await sink.record({
    user_id: 1,
    action: "apikey.create",
    parameters: {
      name: "ci",
      api_key: "rvx_abc",
      nested: { password: "p", ok: 1 },
      list: [{ token: "t" }],
    },
    status: "ok",
  });
  const [row] = await audit.query(store);
  assert.deepEqual(row.parameters, {
    name: "ci",
    api_key: "***",
    nested: { password: "***", ok: 1 },
    list: [{ token: "***" }],
  });
  assert.ok(!JSON.stringify(row).includes("rvx_abc"));
});

Deno.test("audit: rows have all 12 fields and long texts are capped", async () => {
  using store = await memoryStore();
  const tx = store.tx();
  audit.record(tx, { action: "x", error_message: "e".repeat(10_000), status: "error" }, 0);
  await commitTx(store, tx);
  const [row] = await audit.query(store);
  assert.deepEqual(Object.keys(row).sort(), [
    "action",
    "client_version",
    "command",
    "error_message",
    "execution_time_ms",
    "id",
    "ip_address",
    "parameters",
    "result",
    "status",
    "timestamp",
    "user_id",
    "username",
  ]);
  assert.equal(row.error_message?.length, 1000);
  assert.equal(row.timestamp, "1970-01-01T00:00:00.000Z");
});

Deno.test("audit: queries by user, action and time come newest first within the limit", async () => {
  using store = await memoryStore();
  const tx = store.tx();
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 30; i++) {
    audit.record(tx, {
      user_id: i % 3,
      action: i % 2 ? "analyze" : "quiz",
      result: String(i),
      status: "ok",
    }, base + i * 60_000);
  }
  await commitTx(store, tx);
  const all = await audit.query(store, { limit: 500 });
  assert.equal(all.length, 30);
  assert.deepEqual(all.map((r) => r.result), Array.from({ length: 30 }, (_, i) => String(29 - i)));
  const user1 = await audit.query(store, { userId: 1 });
  assert.deepEqual(user1.map((r) => r.result), [
    "28",
    "25",
    "22",
    "19",
    "16",
    "13",
    "10",
    "7",
    "4",
    "1",
  ]);
  const user1Analyze = await audit.query(store, { userId: 1, action: "analyze", limit: 2 });
  assert.deepEqual(user1Analyze.map((r) => r.result), ["25", "19"]);
  const quizzes = await audit.query(store, { action: "quiz", limit: 3 });
  assert.deepEqual(quizzes.map((r) => r.result), ["28", "26", "24"]);
  const recent = await audit.query(store, { since: base + 25 * 60_000 });
  assert.deepEqual(recent.map((r) => r.result), ["29", "28", "27", "26", "25"]);
  assert.deepEqual(await audit.query(store, { userId: 99 }), []);
});

Deno.test("audit: purge removes old rows and their indexes", async () => {
  using store = await memoryStore();
  const tx = store.tx();
  for (let i = 0; i < 10; i++) {
    audit.record(tx, { user_id: 5, action: "a", status: "ok" }, i * 1000);
  }
  await commitTx(store, tx);
  const purge = store.tx();
  assert.equal(await audit.stagePurge(store, purge, 5000, 100), 5);
  await commitTx(store, purge);
  assert.equal((await audit.query(store, { limit: 500 })).length, 5);
  assert.equal((await audit.query(store, { userId: 5, limit: 500 })).length, 5);
  assert.equal((await audit.query(store, { action: "a", limit: 500 })).length, 5);
});

Deno.test("audit: a row is stored once; the user and action indexes only point at it", async () => {
  using store = await memoryStore();
  const tx = store.tx();
  const row = audit.record(tx, {
    user_id: 7,
    action: "admin.ban",
    command: "/ban " + "A".repeat(900),
    status: "ok",
  }, Date.UTC(2026, 0, 1));
  await commitTx(store, tx);
  const entries = await Array.fromAsync(
    store.kv.list({ prefix: dataPrefix(store.generation, "audit") }),
  );
  assert.equal(entries.length, 3);
  const copies = entries.filter((e) => JSON.stringify(e.value).includes("AAAA"));
  assert.deepEqual(copies.map((e) => e.key.at(-2)), ["t"]);
  for (const index of entries.filter((e) => e.key.includes("u") || e.key.includes("a"))) {
    assert.ok(JSON.stringify(index.value).length < 20, JSON.stringify(index.value));
  }
  assert.deepEqual(await audit.query(store, { userId: 7 }), [row]);
  assert.deepEqual(await audit.query(store, { action: "admin.ban" }), [row]);
  assert.deepEqual(await audit.query(store, { userId: 7, action: "admin.ban" }), [row]);
  assert.deepEqual(await audit.query(store, { userId: 7, action: "other" }), []);
});

Deno.test("audit: rows written before indexes pointed (index entries holding whole rows) are still found, purged and erased", async () => {
  using store = await memoryStore();
  const g = store.generation;
  const old = Array.from({ length: 4 }, (_, i) =>
    audit.toAuditRow({
      user_id: 9,
      action: i % 2 ? "admin.ban" : "admin.tier",
      status: "denied",
    }, Date.UTC(2026, 0, 1) + i * 1000));
  for (const row of old) {
    await store.kv.atomic()
      .set(dataKey(g, "audit", "t", row.id), row)
      .set(dataKey(g, "audit", "u", 9, row.id), row)
      .set(dataKey(g, "audit", "a", row.action, row.id), row)
      .commit();
  }
  const tx = store.tx();
  const fresh = audit.record(
    tx,
    { user_id: 9, action: "admin.ban", status: "denied" },
    Date.UTC(2026, 0, 2),
  );
  await commitTx(store, tx);
  assert.deepEqual(
    (await audit.query(store, { userId: 9, action: "admin.ban" })).map((r) => r.id),
    [fresh.id, old[3].id, old[1].id],
  );
  assert.equal((await audit.query(store, { action: "admin.tier" })).length, 2);
  const purge = store.tx();
  assert.equal(await audit.stagePurge(store, purge, Date.UTC(2026, 0, 1) + 1500, 100), 2);
  await commitTx(store, purge);
  assert.equal((await audit.query(store, { userId: 9, limit: 500 })).length, 3);
  let cursor = { step: 0 };
  for (let done = false; !done;) {
    const erase = store.tx();
    const batch = await stageEraseBatch(store, erase, 9, cursor, Date.UTC(2026, 0, 3));
    await commitTx(store, erase);
    [cursor, done] = [batch.cursor, batch.done];
  }
  const left = await audit.query(store, { userId: 9, limit: 500 });
  assert.deepEqual(left.map((r) => r.action), ["forget"], "only the erase's own row");
  assert.equal((await audit.query(store, { action: "admin.ban", limit: 500 })).length, 0);
  assert.equal((await audit.query(store, { limit: 500 })).length, 1);
});
