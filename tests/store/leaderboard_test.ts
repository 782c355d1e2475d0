import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { stageEraseBatch } from "../../src/store/erase.ts";
import { dataPrefix } from "../../src/store/keys.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import * as leaderboard from "../../src/store/leaderboard.ts";
import { periodSlot } from "../../src/store/leaderboard.ts";
import { memoryStore } from "../support/store.ts";

const DAY = 86_400_000;

async function earn(store: Store, userId: number, name: string, xp: number, now: number) {
  const tx = store.tx();
  await leaderboard.stageXp(store, tx, { userId, name }, xp, now);
  await commitTx(store, tx);
}

async function names(store: Store, period: leaderboard.LeaderboardPeriod, now: number) {
  return (await leaderboard.top(store, period, now)).map((s) => `${s.rank}. ${s.name} ${s.xp}`);
}

async function keysUnder(store: Store, prefix: Deno.KvKey): Promise<Deno.KvKey[]> {
  const keys: Deno.KvKey[] = [];
  for await (const entry of store.kv.list({ prefix })) keys.push(entry.key);
  return keys;
}

Deno.test("leaderboard: weeks start on Monday and months on the 1st, in UTC", () => {
  // Sunday 4 January 2026, 23:59 UTC belongs to the week of Monday 29 December 2025.
  assert.equal(periodSlot("week", Date.UTC(2026, 0, 4, 23, 59)).id, "2025-12-29");
  assert.equal(periodSlot("week", Date.UTC(2026, 0, 5)).id, "2026-01-05");
  assert.equal(periodSlot("week", Date.UTC(2026, 0, 11, 23, 59)).id, "2026-01-05");
  assert.equal(periodSlot("week", Date.UTC(2026, 0, 5)).endsAt, Date.UTC(2026, 0, 12));
  assert.equal(periodSlot("month", Date.UTC(2025, 11, 31, 23)).id, "2025-12");
  assert.equal(periodSlot("month", Date.UTC(2025, 11, 31, 23)).endsAt, Date.UTC(2026, 0, 1));
  assert.deepEqual(periodSlot("all", 0), { period: "all", id: "all", endsAt: null });
});

Deno.test("leaderboard: three users earning in different periods rank per period", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 5, 9)); // Monday, 5 January
  await earn(store, 1, "Ann", 30, clock.now());
  await clock.advance(2 * DAY);
  await earn(store, 1, "Ann", 20, clock.now());
  await clock.set(Date.UTC(2026, 0, 14, 12)); // the next week, same month
  await earn(store, 2, "Bob", 40, clock.now());
  await earn(store, 2, "Bob", 20, clock.now());
  assert.deepEqual(await names(store, "week", clock.now()), ["1. Bob 60"]);
  assert.deepEqual(await names(store, "month", clock.now()), ["1. Bob 60", "2. Ann 50"]);

  await clock.set(Date.UTC(2026, 1, 3, 8)); // February
  await earn(store, 3, "Cat", 25, clock.now());
  assert.deepEqual(await names(store, "week", clock.now()), ["1. Cat 25"]);
  assert.deepEqual(await names(store, "month", clock.now()), ["1. Cat 25"]);
  assert.deepEqual(await names(store, "all", clock.now()), [
    "1. Bob 60",
    "2. Ann 50",
    "3. Cat 25",
  ]);
  assert.equal(await leaderboard.xpIn(store, 1, "week", clock.now()), 0);
  assert.equal(await leaderboard.xpIn(store, 1, "all", clock.now()), 50);
  // January is still readable as it was.
  assert.deepEqual(await names(store, "month", Date.UTC(2026, 0, 20)), ["1. Bob 60", "2. Ann 50"]);
});

Deno.test("leaderboard: the index holds one key per user and period, ties go to who got there first", async () => {
  using store = await memoryStore();
  const now = Date.UTC(2026, 2, 2, 12);
  await earn(store, 1, "Ann", 10, now);
  await earn(store, 2, "Bob", 30, now + 1000);
  await earn(store, 1, "Ann", 20, now + 2000); // Ann reaches 30 after Bob
  await earn(store, 3, "Cat", 30, now + 500);
  assert.deepEqual(await names(store, "week", now + 3000), [
    "1. Cat 30",
    "2. Bob 30",
    "3. Ann 30",
  ]);
  const index = await keysUnder(store, dataPrefix(store.generation, "leaderboard", "top"));
  assert.equal(index.length, 9, "3 users × 3 periods, old entries replaced");
  assert.deepEqual(await leaderboard.top(store, "all", now, 2).then((s) => s.length), 2);
});

Deno.test("leaderboard: zero or invalid XP stages nothing", async () => {
  using store = await memoryStore();
  const tx = store.tx();
  await leaderboard.stageXp(store, tx, { userId: 1, name: "Ann" }, 0, 0);
  await leaderboard.stageXp(store, tx, { userId: 1, name: "Ann" }, 1.5, 0);
  assert.equal(tx.mutations.length, 0);
});

Deno.test("leaderboard: week and month rows expire after their period, all-time rows do not", async () => {
  using store = await memoryStore();
  const now = Date.UTC(2026, 0, 7, 12);
  const tx = store.tx();
  await leaderboard.stageXp(store, tx, { userId: 1, name: "Ann" }, 10, now);
  const expiries = tx.mutations
    .filter((m) => m.type === "set")
    .map((m) => [m.key[4], m.expireIn]); // the period, in rows and index keys alike
  const weekEnd = Date.UTC(2026, 0, 12);
  const monthEnd = Date.UTC(2026, 1, 1);
  assert.deepEqual(expiries.filter(([p]) => p === "week").map(([, e]) => e), [
    weekEnd + leaderboard.RETAIN_AFTER_END_MS.week - now,
    weekEnd + leaderboard.RETAIN_AFTER_END_MS.week - now,
  ]);
  assert.deepEqual(expiries.filter(([p]) => p === "month").map(([, e]) => e), [
    monthEnd + leaderboard.RETAIN_AFTER_END_MS.month - now,
    monthEnd + leaderboard.RETAIN_AFTER_END_MS.month - now,
  ]);
  assert.deepEqual(expiries.filter(([p]) => p === "all").map(([, e]) => e), [
    undefined,
    undefined,
  ]);
});

Deno.test("leaderboard: erasing a user removes their rows and index keys, and nobody else's", async () => {
  using store = await memoryStore();
  const start = Date.UTC(2026, 0, 5);
  // 160 weeks of activity: more rows than one erase batch takes.
  for (let week = 0; week < 160; week++) await earn(store, 1, "Ann", 5, start + week * 7 * DAY);
  const now = start + 160 * 7 * DAY;
  await earn(store, 2, "Bob", 7, now);
  let cursor = { step: 0 };
  let leaderboardBatches = 0;
  for (let batch = 0; batch < 50; batch++) {
    const tx = store.tx();
    const result = await stageEraseBatch(store, tx, 1, cursor, now);
    if (tx.mutations.some((m) => m.key[2] === "leaderboard")) leaderboardBatches++;
    await commitTx(store, tx);
    cursor = result.cursor;
    if (result.done) break;
  }
  assert.equal(leaderboardBatches, 2, "the rows took two batches");
  assert.deepEqual(await keysUnder(store, dataPrefix(store.generation, "leaderboard", 1)), []);
  const index = await keysUnder(store, dataPrefix(store.generation, "leaderboard", "top"));
  assert.ok(index.every((key) => key.at(-1) === 2), "only Bob's index keys are left");
  assert.equal(index.length, 3);
  assert.deepEqual(await names(store, "all", now), ["1. Bob 7"]);
});
