import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { WINDOW_BUCKETS, type WindowCounter } from "../../src/store/quotas.ts";
import { fileStore, tempKvPath } from "../support/store.ts";
import { apiHarness, envelope } from "./support.ts";

const LIMITED = { API_RATE_LIMIT_REQUESTS: "3", API_RATE_LIMIT_WINDOW_SECONDS: "60" };

Deno.test("rate limit: two app instances on one KV file share the per-IP window; 429 carries Retry-After", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  await using a = await apiHarness({ store: storeA, clock, env: LIMITED });
  await using b = await apiHarness({ store: storeB, clock, env: LIMITED });
  const remaining: string[] = [];
  for (const api of [a, b, a]) {
    const res = await api.admin("/api/v1/stats");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("RateLimit-Limit"), "3");
    remaining.push(res.headers.get("RateLimit-Remaining")!);
    await res.body?.cancel();
  }
  assert.deepEqual(remaining, ["2", "1", "0"]);
  await clock.advance(15_000);
  const refused = await b.admin("/api/v1/stats");
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("Retry-After"), "45");
  assert.equal(refused.headers.get("RateLimit-Remaining"), "0");
  assert.equal(refused.headers.get("RateLimit-Reset"), "45");
  const body = await envelope(refused);
  assert.equal(body.error_code, "RATE_LIMIT_ERROR");
  assert.match(body.error, /45/);
  const alsoRefused = await a.admin("/api/v1/stats");
  assert.equal(alsoRefused.status, 429);
  await alsoRefused.body?.cancel();
  await clock.advance(45_000);
  const again = await a.admin("/api/v1/stats");
  assert.equal(again.status, 200);
  assert.equal(again.headers.get("RateLimit-Remaining"), "2");
  await again.body?.cancel();
  storeA.close();
  storeB.close();
});

Deno.test("rate limit: every /api/* request counts (errors too), other paths do not", async () => {
  await using api = await apiHarness({ env: LIMITED });
  await (await api.app.request("/api/v1/stats")).body?.cancel(); // 401
  await (await api.app.request("/api/v1/missing")).body?.cancel(); // 404
  await (await api.app.request("/openapi.json")).body?.cancel();
  await (await api.app.request("/docs")).body?.cancel();
  await (await api.admin("/metrics")).body?.cancel();
  const third = await api.admin("/api/v1/stats");
  assert.equal(third.status, 200);
  assert.equal(third.headers.get("RateLimit-Remaining"), "0");
  await third.body?.cancel();
  const fourth = await api.admin("/api/v1/stats");
  assert.equal(fourth.status, 429);
  await fourth.body?.cancel();
});

Deno.test("rate limit: while KV writes fail, read-only routes still answer, uncounted", async () => {
  await using api = await apiHarness({ env: LIMITED });
  api.store.injectFault("full");
  for (let i = 0; i < 5; i++) {
    const res = await api.admin("/api/v1/stats");
    assert.equal(res.status, 200, "over the limit of 3, since nothing can be counted");
    assert.equal(res.headers.get("RateLimit-Limit"), null);
    await res.body?.cancel();
  }
  await api.store.reopen();
  const counted = await api.admin("/api/v1/stats");
  assert.equal(counted.headers.get("RateLimit-Remaining"), "2");
  await counted.body?.cancel();
});

Deno.test("rate limit: behind TRUST_PROXY the client is what the proxy appended; entries the client wrote change nothing", async () => {
  await using trusted = await apiHarness({ env: { ...LIMITED, TRUST_PROXY: "true" } });
  const statuses: number[] = [];
  for (let n = 1; n <= 5; n++) {
    const res = await trusted.admin("/api/v1/stats", {
      headers: { "X-Forwarded-For": `10.0.0.${n}, 203.0.113.7` },
    });
    statuses.push(res.status);
    await res.body?.cancel();
  }
  assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
  const other = await trusted.admin("/api/v1/stats", {
    headers: { "X-Forwarded-For": "203.0.113.7, 198.51.100.9" },
  });
  assert.equal(other.status, 200, "another client, as our proxy saw it");
  await other.body?.cancel();
  const rows = await Array.fromAsync(trusted.store.kv.list({ prefix: ["limit", "ip"] }));
  assert.deepEqual(rows.map((r) => r.key[2]).sort(), ["198.51.100.9", "203.0.113.7"]);

  await using untrusted = await apiHarness({ env: LIMITED });
  for (const ip of ["203.0.113.1", "203.0.113.2", "203.0.113.3"]) {
    await (await untrusted.admin("/api/v1/stats", { headers: { "X-Forwarded-For": ip } })).body
      ?.cancel();
  }
  const spoofed = await untrusted.admin("/api/v1/stats", {
    headers: { "X-Forwarded-For": "203.0.113.4" },
  });
  assert.equal(spoofed.status, 429);
  await spoofed.body?.cancel();
});

Deno.test("rate limit: TRUSTED_PROXY_HOPS=2 takes the second entry from the right", async () => {
  await using api = await apiHarness({
    env: { ...LIMITED, TRUST_PROXY: "true", TRUSTED_PROXY_HOPS: "2" },
  });
  for (let n = 1; n <= 4; n++) {
    const res = await api.admin("/api/v1/stats", {
      headers: { "X-Forwarded-For": `10.0.0.${n}, 203.0.113.7, 192.0.2.${n}` },
    });
    assert.equal(res.status, n <= 3 ? 200 : 429);
    await res.body?.cancel();
  }
  const rows = await Array.fromAsync(api.store.kv.list({ prefix: ["limit", "ip"] }));
  assert.deepEqual(rows.map((r) => r.key[2]), ["203.0.113.7"]);
});

Deno.test("rate limit: a forwarded value that is not an address creates no record; IPv6 counts per /64", async () => {
  await using api = await apiHarness({ env: { ...LIMITED, TRUST_PROXY: "true" } });
  for (const junk of ["aa", "..", "1.2.3.4, ..", "<script>", "999.1.1.1"]) {
    await (await api.admin("/api/v1/stats", { headers: { "X-Forwarded-For": junk } })).body
      ?.cancel();
  }
  for (const suffix of ["1", "2", "ffff:1:2"]) {
    await (await api.admin("/api/v1/stats", {
      headers: { "X-Forwarded-For": `2001:db8:1:2::${suffix}` },
    })).body?.cancel();
  }
  const fourth = await api.admin("/api/v1/stats", {
    headers: { "X-Forwarded-For": "[2001:db8:1:2:abcd::9]:4431" },
  });
  assert.equal(fourth.status, 429, "one /64 is one client");
  await fourth.body?.cancel();
  const rows = await Array.fromAsync(api.store.kv.list({ prefix: ["limit", "ip"] }));
  assert.deepEqual(
    rows.map((r) => r.key[2]).sort(),
    ["2001:db8:1:2::/64", "unknown"],
    "junk falls back to the connection (none in-process: one shared subject)",
  );
});

Deno.test("rate limit: over real HTTP the connection's address is the client", async () => {
  await using api = await apiHarness({ env: LIMITED });
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, api.app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}/api/v1/stats`;
  const statuses: number[] = [];
  for (let i = 0; i < 4; i++) {
    const res = await fetch(url, { headers: { Authorization: "Bearer nope" } });
    statuses.push(res.status);
    await res.body?.cancel();
  }
  assert.deepEqual(statuses, [401, 401, 401, 429]);
  const rows = await Array.fromAsync(api.store.kv.list({ prefix: ["limit", "ip"] }));
  assert.deepEqual(rows.map((r) => r.key[2]), ["127.0.0.1"]);
});

Deno.test("rate limit: an API key's daily quota is spent by analyses only and answers 429", async () => {
  await using api = await apiHarness({ env: { API_KEY_DAILY_LIMIT: "2" } });
  const { key } = await api.createKey();
  const analyze = (text: string) =>
    api.app.request("/api/v1/analyze", {
      method: "POST",
      headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
      body: JSON.stringify({ text }),
    });
  const invalid = await analyze("short");
  assert.equal(invalid.status, 400);
  await invalid.body?.cancel();
  for (let i = 0; i < 2; i++) {
    const res = await analyze(`Bitcoin miners sold ${i + 1}000 BTC this week.`);
    assert.equal(res.status, 200);
    await res.body?.cancel();
  }
  const refused = await analyze("Bitcoin miners sold 3000 BTC this week.");
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get("Retry-After"), "86400");
  const body = await envelope(refused);
  assert.equal(body.error_code, "RATE_LIMIT_ERROR");
  assert.equal(body.data.scope, "api_key");
  await api.clock.advance(86_400_000);
  const later = await analyze("Bitcoin miners sold 4000 BTC this week.");
  assert.equal(later.status, 200);
  await later.body?.cancel();
});

Deno.test("rate limit: at the largest allowed limit a client's window stays a few buckets", async () => {
  await using api = await apiHarness({
    env: { API_RATE_LIMIT_REQUESTS: "1000000", API_RATE_LIMIT_WINDOW_SECONDS: "86400" },
  });
  let remaining = "";
  for (let i = 0; i < 120; i++) {
    await api.clock.advance(600_000);
    const res = await api.admin("/api/v1/stats");
    remaining = res.headers.get("RateLimit-Remaining")!;
    await res.body?.cancel();
  }
  assert.equal(remaining, String(1_000_000 - 120));
  const [row] = await Array.fromAsync(
    api.store.kv.list<WindowCounter>({ prefix: ["limit", "ip"] }),
  );
  assert.ok(row.value.buckets.length <= WINDOW_BUCKETS + 2, `${row.value.buckets.length} buckets`);
});
