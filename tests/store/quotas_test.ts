import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import {
  dailyAnalysisLimit,
  DAY_MS,
  decide,
  peek,
  reserveInTurn,
  reserveShared,
  WINDOW_BUCKETS,
  type WindowCounter,
} from "../../src/store/quotas.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";

Deno.test("quotas: 60 analyses from one free user → exactly 50 analysed, 10 refused with the reset time", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const start = clock.now();
  const answers: { allowed: boolean; remaining: number; resetAt: number }[] = [];
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    handle: async (turn) => {
      answers.push(
        await reserveInTurn(store, turn.tx, {
          scope: "analyses",
          id: String(turn.userId),
          limit: dailyAnalysisLimit(50, "free", false),
          windowMs: DAY_MS,
        }, clock.now()),
      );
    },
  });
  await Promise.all(
    Array.from({ length: 60 }, (_, i) => inbox.ingest([textUpdate(i + 1, 77)])),
  );
  await supervisor.whenIdle();
  assert.equal(answers.filter((a) => a.allowed).length, 50);
  const refused = answers.filter((a) => !a.allowed);
  assert.equal(refused.length, 10);
  for (const answer of refused) {
    assert.equal(answer.remaining, 0);
    assert.equal(answer.resetAt, start + DAY_MS);
  }
  assert.equal(answers[49].remaining, 0);
  assert.equal(answers[0].remaining, 49);
  await supervisor.stop();
});

Deno.test("quotas: 60 concurrent API-key reservations from two processes against 50 → exactly 50", async () => {
  await using tmp = await tempKvPath();
  const a = await fileStore(tmp.path);
  const b = await fileStore(tmp.path);
  const spec = { scope: "api_key" as const, id: "key1", limit: 50, windowMs: DAY_MS };
  const now = Date.UTC(2026, 0, 1);
  const results = await Promise.all(
    Array.from({ length: 60 }, (_, i) => reserveShared(i % 2 ? a : b, spec, now)),
  );
  assert.equal(results.filter((r) => r.allowed).length, 50);
  assert.equal((await peek(a, spec, now)).remaining, 0);
  a.close();
  b.close();
});

Deno.test("quotas: windows roll over as the oldest hit leaves", async () => {
  using store = await memoryStore();
  const spec = { scope: "ai" as const, id: "9", limit: 2, windowMs: 60_000 };
  const t0 = Date.UTC(2026, 0, 1);
  assert.ok((await reserveShared(store, spec, t0)).allowed);
  assert.ok((await reserveShared(store, spec, t0 + 10_000)).allowed);
  const refused = await reserveShared(store, spec, t0 + 20_000);
  assert.equal(refused.allowed, false);
  assert.equal(refused.resetAt, t0 + 60_000);
  const rolled = await reserveShared(store, spec, t0 + 60_001);
  assert.equal(rolled.allowed, true);
  assert.equal(rolled.remaining, 0);
  assert.equal(rolled.resetAt, t0 + 70_000);
});

Deno.test("quotas: pro users get five times the base, admins no limit", () => {
  assert.equal(dailyAnalysisLimit(50, "free", false), 50);
  assert.equal(dailyAnalysisLimit(50, "pro", false), 250);
  assert.equal(dailyAnalysisLimit(50, "free", true), Infinity);
});

Deno.test("quotas: an API key's daily window holds 6 000 hits and more in a record of constant size", async () => {
  using store = await memoryStore();
  const spec = { scope: "api_key" as const, id: "big", limit: 1_000_000, windowMs: DAY_MS };
  const t0 = Date.UTC(2026, 0, 1);
  // Before counters, the 5 466th hit overflowed KV's 64 KiB value and every later call failed.
  for (let i = 0; i < 6_000; i++) {
    const decision = await reserveShared(store, spec, t0 + i * 14_000);
    assert.equal(decision.allowed, true);
  }
  const stored = await store.kv.get<WindowCounter>(["limit", "api_key", "big"]);
  assert.ok(stored.value!.buckets.length <= WINDOW_BUCKETS + 2);
  assert.ok(JSON.stringify(stored.value).length < 2_048);
  assert.equal((await peek(store, spec, t0 + 6_000 * 14_000)).remaining, 1_000_000 - 6_000);
});

Deno.test("quotas: at the largest allowed limits (pro 5 000 000/day, API key 100 000 000/day, AI 1 000 000/day) a full window is small and exact", async () => {
  using store = await memoryStore();
  const t0 = Date.UTC(2026, 0, 1);
  const largest = [
    { scope: "analyses" as const, id: "7", limit: dailyAnalysisLimit(1_000_000, "pro", false) },
    { scope: "api_key" as const, id: "k", limit: 100_000_000 },
    { scope: "ai" as const, id: "7", limit: 1_000_000 },
  ];
  const width = DAY_MS / WINDOW_BUCKETS;
  for (const { scope, id, limit } of largest) {
    const spec = { scope, id, limit, windowMs: DAY_MS };
    // All but one hit spread evenly over the day: what folding them in one by one leaves
    // (the 6 000-hit test above does that for real), each bucket holding 1/60 of them.
    const share = (k: number) =>
      Math.floor(((k + 1) * (limit - 1)) / WINDOW_BUCKETS) -
      Math.floor((k * (limit - 1)) / WINDOW_BUCKETS);
    const counter: WindowCounter = {
      buckets: Array.from(
        { length: WINDOW_BUCKETS },
        (_, k) => [t0 + (k + 1) * width - 1, share(k)],
      ),
    };
    await store.kv.set(["limit", scope, id], counter);
    const now = t0 + DAY_MS - 1;
    const last = await reserveShared(store, spec, now);
    assert.deepEqual([last.allowed, last.remaining], [true, 0], scope);
    const refused = await reserveShared(store, spec, now);
    assert.equal(refused.allowed, false, scope);
    assert.equal(
      refused.resetAt,
      t0 + width - 1 + DAY_MS,
      `${scope}: when the oldest bucket leaves`,
    );
    const freed = await reserveShared(store, spec, refused.resetAt);
    assert.equal(freed.allowed, true, `${scope}: a slot is free once the oldest bucket left`);
    const stored = await store.kv.get<WindowCounter>(["limit", scope, id]);
    assert.ok(JSON.stringify(stored.value).length < 2_048, scope);
  }
});

Deno.test("quotas: a window stored as a list of hits (the format before counters) keeps counting", async () => {
  using store = await memoryStore();
  const t0 = Date.UTC(2026, 0, 1);
  const spec = { scope: "analyses" as const, id: "5", limit: 3, windowMs: DAY_MS };
  await store.kv.set(["limit", "analyses", "5"], {
    hits: [t0 - DAY_MS, t0 - 3_600_000, t0 - 60_000],
  });
  const before = await peek(store, spec, t0);
  assert.equal(before.remaining, 1, "the hit older than a day has left");
  const taken = await reserveShared(store, spec, t0);
  assert.deepEqual([taken.allowed, taken.remaining, taken.resetAt], [
    true,
    0,
    t0 - 3_600_000 + DAY_MS,
  ]);
  assert.equal((await reserveShared(store, spec, t0)).allowed, false);
  const stored = await store.kv.get<WindowCounter>(["limit", "analyses", "5"]);
  assert.deepEqual(stored.value, { buckets: [[t0 - 3_600_000, 1], [t0 - 60_000, 1], [t0, 1]] });
});

Deno.test("quotas: counters never let more than the limit through in any window, against an exact log", () => {
  const spec = { limit: 7, windowMs: 60_000 };
  let counter: WindowCounter = { buckets: [] };
  const admitted: number[] = [];
  let seed = 42;
  let now = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 5_000; i++) {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    now += seed % 4_000;
    const decision = decide(counter, now, spec);
    counter = decision.counter;
    if (decision.allowed) admitted.push(now);
    const inWindow = admitted.filter((at) => at > now - spec.windowMs).length;
    assert.ok(inWindow <= spec.limit, `${inWindow} hits in the window ending ${now}`);
    if (!decision.allowed) {
      const exactlyFree = inWindow < spec.limit;
      // Refused while an exact log would admit: only while the oldest bucket still lingers.
      if (exactlyFree) assert.ok(decision.resetAt - now <= spec.windowMs / 60 + 1);
    }
  }
  assert.ok(admitted.length > 500, `${admitted.length} admitted`);
});
