import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import * as audit from "../../src/store/audit.ts";
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
