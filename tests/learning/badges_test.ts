import assert from "node:assert/strict";
import {
  advanceStreak,
  BADGES,
  EMPTY_STREAK,
  newBadges,
  type Streak,
  utcDay,
} from "../../src/learning/badges.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 10, 21, 0); // 21:00 UTC on 10 January

Deno.test("streak: activity on consecutive UTC days extends the run", () => {
  let streak: Streak = EMPTY_STREAK;
  for (let d = 0; d < 7; d++) streak = advanceStreak(streak, T0 + d * DAY);
  assert.deepEqual(streak, { lastDay: "2025-01-16", current: 7, best: 7 });
});

Deno.test("streak: more activity on the same day changes nothing", () => {
  const once = advanceStreak(EMPTY_STREAK, T0);
  assert.equal(advanceStreak(once, T0 + 2 * 3_600_000), once);
  assert.deepEqual(once, { lastDay: "2025-01-10", current: 1, best: 1 });
});

Deno.test("streak: a missed day starts a new run and keeps the best", () => {
  let streak = advanceStreak(EMPTY_STREAK, T0);
  streak = advanceStreak(streak, T0 + DAY);
  streak = advanceStreak(streak, T0 + 2 * DAY);
  streak = advanceStreak(streak, T0 + 4 * DAY);
  assert.deepEqual(streak, { lastDay: "2025-01-14", current: 1, best: 3 });
});

Deno.test("streak: days turn at UTC midnight, and a clock going back is ignored", () => {
  const late = advanceStreak(EMPTY_STREAK, Date.UTC(2025, 0, 10, 23, 59));
  const early = advanceStreak(late, Date.UTC(2025, 0, 11, 0, 1));
  assert.equal(early.current, 2);
  assert.equal(advanceStreak(early, Date.UTC(2025, 0, 9)), early);
  assert.equal(utcDay(0), "1970-01-01");
});

Deno.test("badges: newBadges lists only badges not held yet, in badge order", () => {
  assert.deepEqual(newBadges(["first_lesson"], ["first_lesson", "first_quiz"]), ["first_quiz"]);
  assert.deepEqual(newBadges(BADGES, [...BADGES]), []);
});
