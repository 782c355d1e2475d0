import assert from "node:assert/strict";
import { type SupervisorStats } from "../../src/actors/supervisor.ts";
import { AnalysisSchema } from "../../src/analysis/schema.ts";
import * as audit from "../../src/store/audit.ts";
import * as counters from "../../src/store/counters.ts";
import { commitTx } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { DAY_MS, reserveShared } from "../../src/store/quotas.ts";
import { FakeLlmServer } from "../support/fake_llm_server.ts";
import { apiHarness, bearer, envelope, json } from "./support.ts";

const NEWS =
  "SEC approves spot Ethereum ETFs; ETH jumps 6% in an hour as traders price in inflows.";

Deno.test("analyze: a provider's analysis is answered ok with the Analysis shape", async () => {
  await using llm = await FakeLlmServer.start();
  await using api = await apiHarness({ providers: [llm.provider("provider1")] });
  const { key } = await api.createKey();
  const res = await api.app.request(
    "/api/v1/analyze",
    json({ text: NEWS, lang: "en", mode: "simple" }, { headers: bearer(key) }),
  );
  assert.equal(res.status, 200);
  const body = await envelope(res);
  assert.equal(body.status, "ok");
  assert.equal(body.data.source, "provider1");
  assert.ok(AnalysisSchema.safeParse(body.data).success);
  assert.equal(llm.requests.length, 1);
  assert.ok(JSON.stringify(llm.requests[0].body).includes("ETH jumps"));
});

Deno.test("analyze: when providers fail the offline analysis comes as a warning", async () => {
  await using llm = await FakeLlmServer.start({ type: "status", status: 500 });
  await using api = await apiHarness({ providers: [llm.provider("provider1")] });
  const { key } = await api.createKey();
  const res = await api.app.request(
    "/api/v1/analyze",
    json({ text: NEWS }, { headers: bearer(key) }),
  );
  assert.equal(res.status, 200);
  const body = await envelope(res);
  assert.equal(body.success, true);
  assert.equal(body.status, "warning");
  assert.equal(body.error_code, "ANALYSIS_OFFLINE");
  assert.equal(body.data.source, "offline");
  assert.ok(AnalysisSchema.safeParse(body.data).success);
});

Deno.test("analyze: with no providers configured the offline analysis is a plain ok", async () => {
  await using api = await apiHarness();
  const { key } = await api.createKey();
  const res = await api.app.request(
    "/api/v1/analyze",
    json({ text: "Биржа Bybit сообщила о взломе и приостановила вывод средств.", lang: "ru" }, {
      headers: bearer(key),
    }),
  );
  const body = await envelope(res);
  assert.equal(body.status, "ok");
  assert.equal(body.data.source, "offline");
});

Deno.test("analyze: each field is validated by name", async () => {
  await using api = await apiHarness();
  const { key } = await api.createKey();
  const cases: [unknown, string][] = [
    [{}, "VALIDATION_ERROR_TEXT"],
    [{ text: "too short" }, "VALIDATION_ERROR_TEXT"],
    [{ text: "x".repeat(4097) }, "VALIDATION_ERROR_TEXT"],
    [{ text: 1234567890123 }, "VALIDATION_ERROR_TEXT"],
    [{ text: ["a long enough text"] }, "VALIDATION_ERROR_TEXT"],
    [{ text: NEWS, lang: "de" }, "VALIDATION_ERROR_LANG"],
    [{ text: NEWS, lang: 1 }, "VALIDATION_ERROR_LANG"],
    [{ text: NEWS, mode: "loud" }, "VALIDATION_ERROR_MODE"],
    [{ text: NEWS, mode: null }, "VALIDATION_ERROR_MODE"],
  ];
  for (const [payload, code] of cases) {
    const res = await api.app.request("/api/v1/analyze", json(payload, { headers: bearer(key) }));
    assert.equal(res.status, 400, JSON.stringify(payload).slice(0, 60));
    const body = await envelope(res);
    assert.equal(body.error_code, code, JSON.stringify(payload).slice(0, 60));
  }
  const ok = await api.app.request(
    "/api/v1/analyze",
    json({ text: "x".repeat(10), mode: "steps" }, { headers: bearer(key) }),
  );
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("stats: users_total and the supervisor's figures", async () => {
  const stats: SupervisorStats = {
    active_users: 4,
    users_in_news: 1,
    users_in_course: 2,
    users_in_quiz: 1,
    pending_feedback: 0,
    resident_actors: 3,
    inbox_depth: 7,
    dead_letters: 1,
  };
  await using api = await apiHarness({ stats: () => Promise.resolve(stats) });
  const tx = api.store.tx();
  counters.add(tx, "users_total", 12);
  await commitTx(api.store, tx);
  const res = await api.admin("/api/v1/stats");
  assert.equal(res.status, 200);
  assert.deepEqual((await envelope(res)).data, { users_total: 12, ...stats });
});

Deno.test("users: profile, usage and quota of one user; 404 for an unknown one", async () => {
  await using api = await apiHarness({ env: { MAX_REQUESTS_PER_DAY: "3" } });
  const now = api.clock.now();
  const tx = api.store.tx();
  profiles.save(tx, profiles.newProfile({ id: 42, language: "en", username: "alice" }, now));
  profiles.setAdminFlags(tx, 42, { tier: "free", banned: false, ban_reason: null }, 0);
  profiles.addXp(tx, 42, 120);
  profiles.addTotal(tx, 42, "analyses", 5);
  await commitTx(api.store, tx);
  const spec = { scope: "analyses" as const, id: "42", limit: 3, windowMs: DAY_MS };
  await reserveShared(api.store, spec, now - 3_600_000);
  await reserveShared(api.store, spec, now - 60_000);
  await reserveShared(api.store, { scope: "ai", id: "42", limit: 10, windowMs: 60_000 }, now);
  const res = await api.admin("/api/v1/users/42");
  assert.equal(res.status, 200);
  const data = (await envelope(res)).data;
  assert.equal(data.profile.username, "alice");
  assert.equal(data.profile.xp, 120);
  assert.equal(data.profile.level, 2);
  assert.equal(data.profile.tier, "free");
  assert.equal(data.profile.admin, false);
  assert.equal(data.usage.totals.analyses, 5);
  assert.deepEqual(data.usage.ai_window, { limit: 10, used: 1, remaining: 9, reset_at: null });
  assert.deepEqual(data.quota, { limit: 3, used: 2, remaining: 1, reset_at: null });
  await reserveShared(api.store, spec, now);
  const full = (await envelope(await api.admin("/api/v1/users/42"))).data.quota;
  assert.equal(full.remaining, 0);
  assert.equal(full.reset_at, new Date(now - 3_600_000 + DAY_MS).toISOString());
  const missing = await api.admin("/api/v1/users/43");
  assert.equal(missing.status, 404);
  assert.equal((await envelope(missing)).error_code, "NOT_FOUND");
  for (const bad of ["0", "-5", "1.5", "abc", "99999999999999999999"]) {
    const res = await api.admin(`/api/v1/users/${bad}`);
    assert.equal(res.status, 400, bad);
    assert.equal((await envelope(res)).error_code, "VALIDATION_ERROR_ID", bad);
  }
});

Deno.test("users: an admin's quota is unlimited", async () => {
  await using api = await apiHarness({ env: { ADMIN_USER_IDS: "7" } });
  const tx = api.store.tx();
  profiles.save(tx, profiles.newProfile({ id: 7, language: "ru" }, api.clock.now()));
  await commitTx(api.store, tx);
  const data = (await envelope(await api.admin("/api/v1/users/7"))).data;
  assert.equal(data.profile.admin, true);
  assert.deepEqual(data.quota, { limit: null, used: 0, remaining: null, reset_at: null });
});

Deno.test("audit: rows newest first, filtered by user, action and since, with a limit", async () => {
  await using api = await apiHarness();
  const start = api.clock.now();
  const tx = api.store.tx();
  for (let i = 0; i < 6; i++) {
    audit.record(tx, {
      user_id: i % 2 === 0 ? 1 : 2,
      action: i % 3 === 0 ? "ban" : "analysis",
      status: "ok",
    }, start + i * 1000);
  }
  await commitTx(api.store, tx);
  const all = (await envelope(await api.admin("/api/v1/audit"))).data;
  assert.equal(all.count, 6);
  assert.equal(all.limit, 50);
  const times = all.rows.map((r: { timestamp: string }) => r.timestamp);
  assert.deepEqual(times, [...times].sort().reverse());
  const user = (await envelope(await api.admin("/api/v1/audit?user_id=1"))).data.rows;
  assert.ok(user.length === 3 && user.every((r: { user_id: number }) => r.user_id === 1));
  const ban = (await envelope(await api.admin("/api/v1/audit?action=ban"))).data.rows;
  assert.equal(ban.length, 2);
  const both = (await envelope(await api.admin("/api/v1/audit?user_id=2&action=ban"))).data.rows;
  assert.deepEqual(both.map((r: { user_id: number }) => r.user_id), [2]);
  const since = new Date(start + 4000).toISOString();
  const recent = (await envelope(await api.admin(`/api/v1/audit?since=${since}`))).data.rows;
  assert.equal(recent.length, 2);
  const limited = (await envelope(await api.admin("/api/v1/audit?limit=2"))).data.rows;
  assert.equal(limited.length, 2);
  assert.equal(limited[0].timestamp, new Date(start + 5000).toISOString());
  for (
    const [query, code] of [
      ["limit=0", "VALIDATION_ERROR_LIMIT"],
      ["limit=abc", "VALIDATION_ERROR_LIMIT"],
      ["limit=1&limit=2", "VALIDATION_ERROR_LIMIT"],
      ["since=yesterday", "VALIDATION_ERROR_SINCE"],
      ["user_id=x", "VALIDATION_ERROR_USER_ID"],
      ["action=%00", "VALIDATION_ERROR_ACTION"],
    ]
  ) {
    const res = await api.admin(`/api/v1/audit?${query}`);
    assert.equal(res.status, 400, query);
    assert.equal((await envelope(res)).error_code, code, query);
  }
});

Deno.test("metrics: a summary from counters and Prometheus text with the rvx_ prefix", async () => {
  await using api = await apiHarness({
    stats: () =>
      Promise.resolve({
        active_users: 1,
        users_in_news: 0,
        users_in_course: 0,
        users_in_quiz: 0,
        pending_feedback: 0,
        resident_actors: 2,
        inbox_depth: 5,
        dead_letters: 0,
      }),
  });
  const tx = api.store.tx();
  counters.add(tx, "cache_hits", 3);
  counters.add(tx, "cache_misses", 1);
  counters.add(tx, "errors_warning", 2);
  counters.add(tx, "provider_provider1_requests", 4);
  counters.observe(tx, "turn_ms", 7);
  counters.observe(tx, "turn_ms", 300);
  await commitTx(api.store, tx);
  await (await api.app.request("/health")).body?.cancel();
  await api.metrics.flush();
  const summary = (await envelope(await api.admin("/api/v1/metrics"))).data;
  assert.deepEqual(summary.cache, { hits: 3, misses: 1, hit_rate: 0.75 });
  assert.equal(summary.errors.warning, 2);
  assert.equal(summary.errors.critical, 0);
  assert.equal(summary.analysis.providers.provider1.requests, 4);
  assert.deepEqual(summary.histograms.turn_ms, { count: 2, avg_ms: 153.5 });
  assert.equal(summary.requests.api_requests_total, 1);
  assert.equal(summary.process.inbox_depth, 5);
  const res = await api.admin("/metrics");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("Content-Type") ?? "", /^text\/plain; version=0\.0\.4/);
  const text = await res.text();
  assert.match(text, /^# TYPE rvx_cache_hits_total counter\nrvx_cache_hits_total 3$/m);
  assert.match(text, /^rvx_provider_requests_total\{provider="provider1"\} 4$/m);
  assert.match(text, /^rvx_turn_duration_seconds_bucket\{le="0.01"\} 1$/m);
  assert.match(text, /^rvx_turn_duration_seconds_bucket\{le="\+Inf"\} 2$/m);
  assert.match(text, /^rvx_turn_duration_seconds_sum 0.307$/m);
  assert.match(text, /^rvx_turn_duration_seconds_count 2$/m);
  assert.match(text, /^rvx_inbox_depth 5$/m);
  assert.match(text, /^rvx_build_info\{version="test"\} 1$/m);
  for (const line of text.trim().split("\n")) {
    assert.match(line, /^(# (TYPE|HELP) rvx_\w+ .+|rvx_\w+(\{[^}]*\})? [-+\d.eInf]+)$/, line);
  }
});
