import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import {
  dailyAnalysisLimit,
  DAY_MS,
  peek,
  reserveInTurn,
  reserveShared,
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
