import assert from "node:assert/strict";
import { Hono } from "hono";
import { type ApiEnv } from "../../src/api/env.ts";
import { apiHarness, envelope, json } from "./support.ts";

Deno.test("app: unknown paths are 404 NOT_FOUND; a generated request id is returned", async () => {
  await using api = await apiHarness();
  const res = await api.app.request("/nope");
  assert.equal(res.status, 404);
  const body = await envelope(res);
  assert.equal(body.error_code, "NOT_FOUND");
  const odd = await api.app.request("/nope", { headers: { "X-Request-Id": "<script>" } });
  assert.notEqual(odd.headers.get("X-Request-Id"), "<script>");
  await odd.body?.cancel();
  const apiMiss = await api.admin("/api/v1/nothing-here");
  assert.equal(apiMiss.status, 404);
  assert.equal((await envelope(apiMiss)).error_code, "NOT_FOUND");
});

Deno.test("app: a known path with a wrong method is 405 METHOD_NOT_ALLOWED with Allow", async () => {
  await using api = await apiHarness();
  for (
    const [method, path, allowed] of [
      ["POST", "/health", "GET"],
      ["GET", "/api/v1/analyze", "POST"],
      ["PUT", "/api/v1/keys", "POST"],
      ["GET", "/api/v1/keys/0000000000000abcdefg", "DELETE"],
      ["DELETE", "/api/v1/stats", "GET"],
      ["PATCH", "/api/v1/users/42", "GET"],
      ["POST", "/openapi.json", "GET"],
    ]
  ) {
    const res = await api.admin(path, { method });
    assert.equal(res.status, 405, `${method} ${path}`);
    assert.ok(res.headers.get("Allow")?.includes(allowed), `${method} ${path}`);
    assert.equal((await envelope(res)).error_code, "METHOD_NOT_ALLOWED");
  }
});

Deno.test("app: a body over 102 400 bytes is 413 PAYLOAD_TOO_LARGE, declared or streamed", async () => {
  await using api = await apiHarness();
  const { key } = await api.createKey();
  const big = JSON.stringify({ text: "x".repeat(102_400) });
  const declared = await api.app.request("/api/v1/analyze", {
    method: "POST",
    headers: {
      Authorization: `Bearer ${key}`,
      "Content-Type": "application/json",
      "Content-Length": String(big.length),
    },
    body: big,
  });
  assert.equal(declared.status, 413);
  assert.equal((await envelope(declared)).error_code, "PAYLOAD_TOO_LARGE");
  const bytes = new TextEncoder().encode(big);
  const streamed = await api.app.request("/api/v1/analyze", {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
        controller.close();
      },
    }),
  });
  assert.equal(streamed.status, 413);
  assert.equal((await envelope(streamed)).error_code, "PAYLOAD_TOO_LARGE");
  // Exactly at the limit is still read (and then judged by the schema).
  const atLimit = JSON.stringify({ text: "y".repeat(102_400 - 11) });
  assert.equal(new TextEncoder().encode(atLimit).length, 102_400);
  const ok = await api.app.request("/api/v1/analyze", {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: atLimit,
  });
  assert.equal(ok.status, 400);
  assert.equal((await envelope(ok)).error_code, "VALIDATION_ERROR_TEXT");
});

Deno.test("app: a body that is not a JSON object is 400 VALIDATION_ERROR_BODY", async () => {
  await using api = await apiHarness();
  const cases: [string, RequestInit][] = [
    ["no content type", { method: "POST", body: '{"name":"a","owner":"b"}' }],
    ["text/plain", { method: "POST", headers: { "Content-Type": "text/plain" }, body: "hi" }],
    ["form", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "name=a&owner=b",
    }],
    ["broken JSON", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" }],
    ["empty", { method: "POST", headers: { "Content-Type": "application/json" }, body: "" }],
    ["array", { method: "POST", headers: { "Content-Type": "application/json" }, body: "[1]" }],
    ["string", { method: "POST", headers: { "Content-Type": "application/json" }, body: '"x"' }],
    ["null", { method: "POST", headers: { "Content-Type": "application/json" }, body: "null" }],
    ["utf-16", {
      method: "POST",
      headers: { "Content-Type": "application/json; charset=utf-16" },
      body: '{"name":"a","owner":"b"}',
    }],
    ["invalid UTF-8", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    }],
  ];
  for (const [name, init] of cases) {
    const res = await api.admin("/api/v1/keys", init);
    assert.equal(res.status, 400, name);
    const body = await envelope(res);
    assert.equal(body.error_code, "VALIDATION_ERROR_BODY", name);
  }
});

Deno.test("app: a wrong field is 400 naming the field", async () => {
  await using api = await apiHarness();
  const name = await api.admin("/api/v1/keys", json({ name: "", owner: "me" }));
  assert.equal(name.status, 400);
  const nameBody = await envelope(name);
  assert.equal(nameBody.error_code, "VALIDATION_ERROR_NAME");
  assert.match(nameBody.error, /name/);
  assert.deepEqual(nameBody.data.field, "name");
  const owner = await api.admin("/api/v1/keys", json({ name: "ci", owner: 7 }));
  assert.equal((await envelope(owner)).error_code, "VALIDATION_ERROR_OWNER");
  const limit = await api.admin("/api/v1/audit?limit=501");
  assert.equal((await envelope(limit)).error_code, "VALIDATION_ERROR_LIMIT");
  const id = await api.admin("/api/v1/users/abc");
  assert.equal((await envelope(id)).error_code, "VALIDATION_ERROR_ID");
});

Deno.test("app: error messages follow Accept-Language", async () => {
  await using api = await apiHarness();
  const ru = await api.app.request("/nope", { headers: { "Accept-Language": "ru-RU,ru;q=0.9" } });
  assert.match((await envelope(ru)).error, /[а-я]/i);
  const en = await api.app.request("/nope", { headers: { "Accept-Language": "de-DE" } });
  assert.equal((await envelope(en)).error, "Not found.");
});

Deno.test("app: secure headers on every answer; no CORS unless configured", async () => {
  await using api = await apiHarness();
  const res = await api.app.request("/health", { headers: { Origin: "https://evil.example" } });
  await res.body?.cancel();
  assert.equal(res.headers.get("X-Content-Type-Options"), "nosniff");
  assert.equal(res.headers.get("X-Frame-Options"), "SAMEORIGIN");
  assert.match(res.headers.get("Content-Security-Policy") ?? "", /default-src 'none'/);
  assert.equal(res.headers.get("Access-Control-Allow-Origin"), null);
  const preflight = await api.app.request("/api/v1/analyze", {
    method: "OPTIONS",
    headers: { Origin: "https://evil.example", "Access-Control-Request-Method": "POST" },
  });
  await preflight.body?.cancel();
  assert.equal(preflight.headers.get("Access-Control-Allow-Origin"), null);
});

Deno.test("app: CORS_ORIGINS allows only the listed origins", async () => {
  await using api = await apiHarness({ env: { CORS_ORIGINS: "https://ok.example" } });
  const ok = await api.app.request("/health", { headers: { Origin: "https://ok.example" } });
  await ok.body?.cancel();
  assert.equal(ok.headers.get("Access-Control-Allow-Origin"), "https://ok.example");
  assert.match(ok.headers.get("Access-Control-Expose-Headers") ?? "", /Retry-After/);
  const other = await api.app.request("/health", { headers: { Origin: "https://evil.example" } });
  await other.body?.cancel();
  assert.equal(other.headers.get("Access-Control-Allow-Origin"), null);
  const preflight = await api.app.request("/api/v1/analyze", {
    method: "OPTIONS",
    headers: { Origin: "https://ok.example", "Access-Control-Request-Method": "POST" },
  });
  await preflight.body?.cancel();
  assert.equal(preflight.status, 204);
  assert.match(preflight.headers.get("Access-Control-Allow-Headers") ?? "", /Authorization/);
});

Deno.test("app: an unexpected failure answers 500 INTERNAL_ERROR without internals and is reported", async () => {
  await using api = await apiHarness();
  api.app.get("/boom", () => {
    throw new Error("secret internal detail at /srv/app.ts:12");
  });
  const res = await api.app.request("/boom");
  assert.equal(res.status, 500);
  const body = await envelope(res);
  assert.equal(body.error_code, "INTERNAL_ERROR");
  assert.ok(!JSON.stringify(body).includes("secret internal detail"));
  await api.metrics.flush();
  const audit = await api.admin("/api/v1/audit?action=error");
  const rows = (await envelope(audit)).data.rows;
  assert.equal(rows.length, 1);
  assert.match(rows[0].command, /GET \/boom/);
});

Deno.test("app: KV down on an API route answers 503 with a database code, not 500", async () => {
  await using api = await apiHarness();
  api.store.injectFault("throwing");
  const res = await api.admin("/api/v1/stats");
  assert.equal(res.status, 503);
  const body = await envelope(res);
  assert.equal(body.error_code, "KV_UNAVAILABLE");
  await api.store.reopen();
});

Deno.test("app: the Telegram webhook is mounted before the IP limit", async () => {
  const webhook = new Hono<ApiEnv>();
  let calls = 0;
  webhook.post("/telegram/webhook", (c) => {
    calls++;
    return c.json({ ok: true });
  });
  await using api = await apiHarness({
    env: { API_RATE_LIMIT_REQUESTS: "1" },
    telegramWebhook: webhook,
  });
  for (let i = 0; i < 5; i++) {
    const res = await api.app.request("/telegram/webhook", { method: "POST", body: "{}" });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("RateLimit-Limit"), null);
    await res.body?.cancel();
  }
  assert.equal(calls, 5);
  const wrong = await api.app.request("/telegram/webhook");
  assert.equal(wrong.status, 405);
  await wrong.body?.cancel();
  const doc = await (await api.app.request("/openapi.json")).json();
  assert.ok(doc.paths["/telegram/webhook"].post);
});
