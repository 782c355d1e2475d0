import assert from "node:assert/strict";
import { DatabaseError } from "../../src/core/errors.ts";
import { KV_READ_FRESH_MS, WRITE_PROBE_INTERVAL_MS } from "../../src/api/routes/health.ts";
import { fileStore, tempKvPath } from "../support/store.ts";
import { apiHarness, envelope } from "./support.ts";

Deno.test("api: /health reads KV and answers a BotResponse", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  await using api = await apiHarness({ store });
  const res = await api.app.request("/health", { headers: { "X-Request-Id": "req-1" } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("X-Request-Id"), "req-1");
  const body = await envelope(res);
  assert.equal(body.success, true);
  assert.equal(body.request_id, "req-1");
  assert.equal(body.data.kv.ok, true);
  assert.equal(body.data.kv.write_ok, true);
  assert.equal(body.data.generation, 1);
  assert.equal(body.data.last_commit_error, null);
  store.close();
});

Deno.test("api: /health says 503 UNAVAILABLE while KV is down and recovers after reopen", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  await using api = await apiHarness({ store });
  store.injectFault("closed");
  const down = await api.app.request("/health");
  assert.equal(down.status, 503);
  const body = await envelope(down);
  assert.equal(body.error_code, "UNAVAILABLE");
  assert.equal(body.data.kv.ok, false);
  await store.reopen();
  assert.equal((await api.app.request("/health")).status, 200);
  store.close();
});

Deno.test("api: /health answers from a read made within the last 100 ms, then reads again", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  await using api = await apiHarness({ store });
  assert.equal((await api.app.request("/health")).status, 200);
  store.injectFault("closed");
  assert.equal((await api.app.request("/health")).status, 200, "the read just made still answers");
  await api.clock.advance(KV_READ_FRESH_MS);
  assert.equal((await api.app.request("/health")).status, 503);
  await store.reopen();
  assert.equal((await api.app.request("/health")).status, 200, "a failed read is not reused");
  store.close();
});

Deno.test("api: /health is never rate-limited", async () => {
  await using api = await apiHarness({ env: { API_RATE_LIMIT_REQUESTS: "1" } });
  for (let i = 0; i < 5; i++) assert.equal((await api.app.request("/health")).status, 200);
  assert.equal((await api.admin("/api/v1/stats")).status, 200);
  assert.equal((await api.admin("/api/v1/stats")).status, 429);
  assert.equal((await api.app.request("/health")).status, 200);
});

Deno.test("api: /health says 503 while writes fail though reads work; a throttled write probe sees them come back", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  await using api = await apiHarness({ store });
  // What atomicCommit notes when SQLite answers "database or disk is full".
  const diskFull = () =>
    store.noteCommit(new DatabaseError("KV is full", { code: "KV_DISK_FULL" }), api.clock.now());

  // The first probe while failing writes once: it goes through, so KV is fine again.
  diskFull();
  const probed = await api.app.request("/health");
  assert.equal(probed.status, 200);
  assert.equal((await envelope(probed)).data.last_commit_error, null);
  assert.equal((await store.kv.get(["meta", "write_probe"])).value, api.clock.now());

  // Failing again within the interval: no second write, the failure is reported as it stands.
  diskFull();
  const down = await api.app.request("/health");
  assert.equal(down.status, 503);
  const body = await envelope(down);
  assert.equal(body.error_code, "UNAVAILABLE");
  assert.equal(body.data.status, "unavailable");
  assert.equal(body.data.kv.ok, false);
  assert.equal(body.data.kv.write_ok, false);
  assert.equal(body.data.kv.error_code, "KV_DISK_FULL");
  assert.equal(typeof body.data.kv.read_ms, "number");
  assert.equal(body.data.kv.failing_since, new Date(api.clock.now()).toISOString());
  assert.equal(body.data.last_commit_error.code, "KV_DISK_FULL");
  assert.equal((await api.app.request("/health")).status, 503);

  // After the interval the next probe writes again and finds writes working.
  await api.clock.advance(WRITE_PROBE_INTERVAL_MS);
  diskFull();
  const up = await api.app.request("/health");
  assert.equal(up.status, 200);
  assert.equal((await envelope(up)).data.kv.write_ok, true);
  assert.equal((await store.kv.get(["meta", "write_probe"])).value, api.clock.now());
  store.close();
});

Deno.test("api: a healthy /health never writes", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  await using api = await apiHarness({ store });
  for (let i = 0; i < 3; i++) assert.equal((await api.app.request("/health")).status, 200);
  assert.equal((await store.kv.get(["meta", "write_probe"])).versionstamp, null);
  store.close();
});
