import assert from "node:assert/strict";
import { AnalysisCache, analysisCacheKey } from "../../src/analysis/cache.ts";
import { type Analysis, type AnalysisRequest } from "../../src/analysis/schema.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { get as getCounter, KvMetricsSink } from "../../src/store/counters.ts";
import { runtimeKeys } from "../../src/store/keys.ts";
import { openStore, type Store } from "../../src/store/kv.ts";
import { fakeAnalysis } from "../support/fake_llm_server.ts";

function request(text: string, overrides: Partial<AnalysisRequest> = {}): AnalysisRequest {
  return { text, lang: "en", mode: "default", ...overrides };
}

function analysis(summary: string): Analysis {
  return {
    ...fakeAnalysis({ summary }),
    source: "provider1",
    cached: false,
    latency_ms: 12,
  } as Analysis;
}

async function setup(options: { maxEntries?: number; ttlSeconds?: number; store?: Store } = {}) {
  const store = options.store ?? await openStore(":memory:");
  const clock = new FakeClock();
  // The sink batches on its own clock, which tests never advance: counts land on flush().
  const metrics = new KvMetricsSink(store, { clock: new FakeClock() });
  const cache = new AnalysisCache({
    store,
    metrics,
    clock,
    maxEntries: options.maxEntries ?? 100,
    ttlSeconds: options.ttlSeconds ?? 60,
  });
  return { store, clock, metrics, cache };
}

Deno.test("analysis cache: the key is a SHA-256 hex of text, mode and language", async () => {
  const base = await analysisCacheKey(request("BTC up"));
  assert.match(base, /^[0-9a-f]{64}$/);
  assert.equal(await analysisCacheKey(request("BTC up")), base);
  const others = await Promise.all([
    analysisCacheKey(request("BTC down")),
    analysisCacheKey(request("BTC up", { mode: "simple" })),
    analysisCacheKey(request("BTC up", { lang: "ru" })),
  ]);
  assert.equal(new Set([base, ...others]).size, 4);
});

Deno.test("analysis cache: a stored analysis is served, a different request misses", async () => {
  const { store, cache } = await setup();
  try {
    await cache.set(request("ETF approved"), analysis("ETF"));
    assert.equal((await cache.get(request("ETF approved")))?.summary, "ETF");
    assert.equal(await cache.get(request("ETF approved", { mode: "simple" })), null);
    assert.equal(await cache.get(request("ETF rejected")), null);
  } finally {
    store.close();
  }
});

Deno.test("analysis cache: the least recently used entry leaves memory first", async () => {
  const { store, cache } = await setup({ maxEntries: 2 });
  try {
    await cache.set(request("a"), analysis("A"));
    await cache.set(request("b"), analysis("B"));
    assert.ok(await cache.get(request("a"))); // a is now the most recently used
    await cache.set(request("c"), analysis("C"));
    assert.equal(cache.size, 2);
    // With KV refusing access only memory answers: b was evicted, a and c stayed.
    store.injectFault("throwing");
    assert.equal((await cache.get(request("a")))?.summary, "A");
    assert.equal(await cache.get(request("b")), null);
    assert.equal((await cache.get(request("c")))?.summary, "C");
  } finally {
    store.close();
  }
});

Deno.test("analysis cache: entries expire after the TTL in both tiers", async () => {
  const { store, clock, cache } = await setup({ ttlSeconds: 60 });
  try {
    await cache.set(request("halving"), analysis("Halving"));
    await clock.advance(59_000);
    assert.ok(await cache.get(request("halving")));
    await clock.advance(1_000);
    // KV still holds the record (its expiry is lazy); its expiresAt makes it absent.
    const raw = await store.kv.get(
      runtimeKeys.analysisCache(await analysisCacheKey(request("halving"))),
    );
    assert.notEqual(raw.value, null);
    assert.equal(await cache.get(request("halving")), null);
  } finally {
    store.close();
  }
});

Deno.test("analysis cache: a second process reads the KV tier of the first", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const first = await setup({ store: await openStore(path) });
  const second = await setup({ store: await openStore(path) });
  try {
    await first.cache.set(request("Mt. Gox repays BTC"), analysis("Gox"));
    const hit = await second.cache.get(request("Mt. Gox repays BTC"));
    assert.equal(hit?.summary, "Gox");
    assert.equal(second.cache.size, 1); // warmed into memory
    await second.metrics.flush();
    assert.equal(await getCounter(second.store, "cache_hits"), 1);
  } finally {
    first.store.close();
    second.store.close();
    await Deno.remove(path);
  }
});

Deno.test("analysis cache: an invalid KV record is treated as absent", async () => {
  const { store, cache } = await setup();
  try {
    const key = runtimeKeys.analysisCache(await analysisCacheKey(request("odd")));
    await store.kv.set(key, { analysis: { summary: "" }, expiresAt: Date.UTC(2100, 0, 1) });
    assert.equal(await cache.get(request("odd")), null);
    await store.kv.set(key, "garbage");
    assert.equal(await cache.get(request("odd")), null);
  } finally {
    store.close();
  }
});

Deno.test("analysis cache: a failing KV degrades to misses and skipped writes", async () => {
  const { store, cache } = await setup();
  try {
    store.injectFault("throwing");
    await cache.set(request("x"), analysis("X"));
    assert.equal((await cache.get(request("x")))?.summary, "X");
    assert.equal(await cache.get(request("y")), null);
  } finally {
    store.close();
  }
});

Deno.test("analysis cache: hits and misses are counted", async () => {
  const { store, metrics, cache } = await setup();
  try {
    await cache.get(request("miss"));
    await cache.set(request("hit"), analysis("Hit"));
    await cache.get(request("hit"));
    await cache.get(request("hit"));
    await metrics.flush();
    assert.equal(await getCounter(store, "cache_hits"), 2);
    assert.equal(await getCounter(store, "cache_misses"), 1);
  } finally {
    store.close();
  }
});

Deno.test("analysis cache: peek answers from memory only and counts only hits", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const first = await setup({ store: await openStore(path) });
  const second = await setup({ store: await openStore(path) });
  try {
    await first.cache.set(request("known"), analysis("Known"));
    assert.equal(first.cache.peek(request("known"))?.summary, "Known");
    assert.equal(first.cache.peek(request("unknown")), null);
    // The other process has it in KV only: peek does not look there, get does.
    assert.equal(second.cache.peek(request("known")), null);
    assert.equal((await second.cache.get(request("known")))?.summary, "Known");
    await first.metrics.flush();
    assert.equal(await getCounter(first.store, "cache_hits"), 1);
    assert.equal(await getCounter(first.store, "cache_misses"), 0);
  } finally {
    first.store.close();
    second.store.close();
    await Deno.remove(path);
  }
});

Deno.test("analysis cache: clear empties memory and every KV entry in batches", async () => {
  const { store, cache } = await setup({ maxEntries: 2000 });
  try {
    const requests = Array.from({ length: 1203 }, (_, i) => request(`news ${i}`));
    for (const r of requests) await cache.set(r, analysis("S"));
    const unrelated = ["meta", "unrelated"];
    await store.kv.set(unrelated, 1);
    assert.equal(await cache.clear(), 1203);
    assert.equal(cache.size, 0);
    assert.equal(await cache.get(requests[0]), null);
    assert.equal(await cache.get(requests[1202]), null);
    const left = await Array.fromAsync(store.kv.list({ prefix: runtimeKeys.analysisCachePrefix }));
    assert.equal(left.length, 0);
    assert.equal((await store.kv.get(unrelated)).value, 1);
  } finally {
    store.close();
  }
});

Deno.test("analysis cache: sizes below one are refused at setup", async () => {
  const store = await openStore(":memory:");
  try {
    const metrics = new KvMetricsSink(store, { clock: new FakeClock() });
    assert.throws(
      () => new AnalysisCache({ store, metrics, maxEntries: 0, ttlSeconds: 60 }),
      RangeError,
    );
  } finally {
    store.close();
  }
});
