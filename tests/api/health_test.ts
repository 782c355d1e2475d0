import assert from "node:assert/strict";
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

Deno.test("api: /health is never rate-limited", async () => {
  await using api = await apiHarness({ env: { API_RATE_LIMIT_REQUESTS: "1" } });
  for (let i = 0; i < 5; i++) assert.equal((await api.app.request("/health")).status, 200);
  assert.equal((await api.admin("/api/v1/stats")).status, 200);
  assert.equal((await api.admin("/api/v1/stats")).status, 429);
  assert.equal((await api.app.request("/health")).status, 200);
});
