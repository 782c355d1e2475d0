import assert from "node:assert/strict";
import { checkFlood } from "../../src/bot/features/analysis.ts";
import { FEATURES } from "../../src/bot/features/mod.ts";
import { FeatureRegistry } from "../../src/bot/registry.ts";
import { sessionSlice } from "../../src/bot/session_slice.ts";
import { FakeClock } from "../../src/core/clock.ts";

const registry = new FeatureRegistry(FEATURES);

Deno.test("session slice: a stored value of another shape reads as the default; expiry reads as the default", async () => {
  const clock = new FakeClock(10_000);
  const slice = sessionSlice<{ at: number } | null>({
    key: "pending",
    initial: () => null,
    valid: (v): v is { at: number } | null =>
      v === null || typeof (v as { at?: unknown })?.at === "number",
    expiry: { afterMs: 1000, at: (v) => v?.at ?? null },
  });
  const turn = { state: { pending: "from an older version" } as Record<string, unknown>, clock };
  assert.equal(slice.get(turn), null);
  slice.set(turn, { at: clock.now() });
  assert.deepEqual(slice.get(turn), { at: 10_000 });
  await clock.set(11_001);
  assert.equal(slice.get(turn), null, "expired");
});

Deno.test("session slice: the flood check refuses within the cooldown without resetting its clock", async () => {
  const clock = new FakeClock(10_000);
  const turn = { state: {}, clock };
  assert.equal(checkFlood(turn, 3000).allowed, true);
  await clock.set(11_000);
  assert.deepEqual(checkFlood(turn, 3000), { allowed: false, retryAfterMs: 2000 });
  await clock.set(12_999);
  assert.equal(checkFlood(turn, 3000).allowed, false);
  await clock.set(13_000);
  assert.equal(checkFlood(turn, 3000).allowed, true, "counted from the accepted one");
});

Deno.test("session gauges: the features' gauges keep the counter and /api/v1/stats names they had", () => {
  const gauges = registry.sessionGauges();
  assert.deepEqual(
    gauges.map((g) => [g.counter, g.stat]).sort(),
    [
      ["sessions_in_course", "users_in_course"],
      ["sessions_in_news", "users_in_news"],
      ["sessions_in_quiz", "users_in_quiz"],
      ["sessions_pending_feedback", "pending_feedback"],
    ],
  );
});

Deno.test("session gauges: a session stored before slices counts as it did", () => {
  // The stored shape of the version before slices (one fixed record with every field).
  const old = {
    lastAnalysisAt: 1,
    lastNews: { text: "BTC up", analysisId: null, at: 1 },
    course: { courseId: "beginner", lessonId: "beginner-2" },
    quiz: null,
    feedbackAttempts: { a: 2 },
    pending: null,
    data: { quizStartedAt: 5 },
  };
  const counted = Object.fromEntries(registry.sessionGauges().map((g) => [g.stat, g.counts(old)]));
  assert.deepEqual(counted, {
    users_in_news: true,
    users_in_course: true,
    users_in_quiz: false,
    pending_feedback: true,
  });
  const empty = Object.fromEntries(registry.sessionGauges().map((g) => [g.stat, g.counts({})]));
  assert.ok(Object.values(empty).every((v) => v === false));
});
