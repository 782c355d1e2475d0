import assert from "node:assert/strict";
import { createApi } from "../../src/api/app.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { createErrorReporter } from "../../src/core/report.ts";
import { KvAuditSink } from "../../src/store/audit.ts";
import { KvMetricsSink } from "../../src/store/counters.ts";
import { type Store } from "../../src/store/kv.ts";
import { fileStore, tempKvPath } from "../support/store.ts";

function apiFor(store: Store) {
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const reportError = createErrorReporter({
    audit: new KvAuditSink(store, clock),
    metrics: new KvMetricsSink(store, { clock }),
  });
  return createApi({ store, clock, startedAt: clock.now(), version: "test", reportError });
}

Deno.test("api: /health reads KV and answers a BotResponse", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const res = await apiFor(store).request("/health", { headers: { "X-Request-Id": "req-1" } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("X-Request-Id"), "req-1");
  const body = await res.json();
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
  const app = apiFor(store);
  store.injectFault("closed");
  const down = await app.request("/health");
  assert.equal(down.status, 503);
  const body = await down.json();
  assert.equal(body.error_code, "UNAVAILABLE");
  assert.equal(body.data.kv.ok, false);
  await store.reopen();
  assert.equal((await app.request("/health")).status, 200);
  store.close();
});

Deno.test("api: unknown paths are 404 NOT_FOUND; a generated request id is returned", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const res = await apiFor(store).request("/nope");
  assert.equal(res.status, 404);
  const body = await res.json();
  assert.equal(body.error_code, "NOT_FOUND");
  assert.equal(body.success, false);
  assert.ok(body.request_id);
  assert.equal(res.headers.get("X-Request-Id"), body.request_id);
  const odd = await apiFor(store).request("/nope", { headers: { "X-Request-Id": "<script>" } });
  assert.notEqual(odd.headers.get("X-Request-Id"), "<script>");
  store.close();
});

Deno.test("api: an unexpected failure answers 500 INTERNAL_ERROR without internals", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const app = apiFor(store);
  app.get("/boom", () => {
    throw new Error("secret internal detail at /srv/app.ts:12");
  });
  const res = await app.request("/boom");
  assert.equal(res.status, 500);
  const body = await res.json();
  assert.equal(body.error_code, "INTERNAL_ERROR");
  assert.ok(!JSON.stringify(body).includes("secret internal detail"));
  store.close();
});
