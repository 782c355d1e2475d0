/**
 * Leaderboards: XP earned per week, month and all time, kept as period counters staged in the
 * turn that earns the XP, and read top-down without scanning users.
 *
 * Layout (family `leaderboard`):
 *
 * - `[…, "leaderboard", userId, period, periodId]` → `{ xp, at, name }`: the user's total for one
 *   period. Under the user's prefix, so `/forget` finds it.
 * - `[…, "leaderboard", "top", period, periodId, xp, -at, userId]` → `{ user_id, name }`: the
 *   ranking index. A reverse list over `[…, "top", period, periodId]` yields the top by XP (ties:
 *   who got there first) with a bounded read. It is keyed by period, not by user, so the erase
 *   of a user goes through {@linkcode stageEraseBatch}, which reads the user's totals to find
 *   their index keys.
 *
 * Only the user's own turns write their rows, one turn at a time (the actor lease), so the read
 * of the current total and the staged update never race; the old index key is deleted and the
 * new one set in the same commit. Week and month rows expire some time after their period ends
 * (KV TTL), so old periods do not pile up. Weeks start on Monday, periods are in UTC.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { type Store } from "./kv.ts";

/** The periods a leaderboard ranks by. */
export const LEADERBOARD_PERIODS = ["week", "month", "all"] as const;
export type LeaderboardPeriod = typeof LEADERBOARD_PERIODS[number];

/** How long after its end a period's rows are kept (then KV expires them). */
export const RETAIN_AFTER_END_MS: Record<Exclude<LeaderboardPeriod, "all">, number> = {
  week: 35 * 86_400_000,
  month: 92 * 86_400_000,
};

/** Longest name kept on a row. */
const NAME_CHARS = 64;

/** One user's total in one period. */
interface PeriodRow {
  xp: number;
  /** When the total was last raised (epoch ms): the tie-break. */
  at: number;
  name: string;
}

/** One place in a leaderboard. */
export interface Standing {
  rank: number;
  userId: number;
  name: string;
  xp: number;
}

/** Who earned the XP. */
export interface Entrant {
  userId: number;
  /** The name shown in the ranking. */
  name: string;
}

/** A period as a key part, with when it ends. */
export interface PeriodSlot {
  period: LeaderboardPeriod;
  /** `2026-01-05` (the week's Monday), `2026-01`, or `all`. */
  id: string;
  /** Epoch ms of the period's end; null for all time. */
  endsAt: number | null;
}

/**
 * The slot of `period` that contains `now` (UTC; weeks start on Monday).
 *
 * @example
 * ```ts
 * periodSlot("week", Date.UTC(2026, 0, 7)).id; // "2026-01-05"
 * periodSlot("month", Date.UTC(2026, 0, 7)).id; // "2026-01"
 * ```
 */
export function periodSlot(period: LeaderboardPeriod, now: number): PeriodSlot {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (period) {
    case "week": {
      const start = Date.UTC(y, m, d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
      return {
        period,
        id: new Date(start).toISOString().slice(0, 10),
        endsAt: start + 7 * 86_400_000,
      };
    }
    case "month":
      return {
        period,
        id: new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7),
        endsAt: Date.UTC(y, m + 1, 1),
      };
    case "all":
      return { period, id: "all", endsAt: null };
  }
}

function rowKey(generation: number, userId: number, slot: PeriodSlot): Deno.KvKey {
  return dataKey(generation, "leaderboard", userId, slot.period, slot.id);
}

function topKey(generation: number, slot: PeriodSlot, row: PeriodRow, userId: number): Deno.KvKey {
  return dataKey(generation, "leaderboard", "top", slot.period, slot.id, row.xp, -row.at, userId);
}

function topPrefix(generation: number, slot: PeriodSlot): Deno.KvKey {
  return dataPrefix(generation, "leaderboard", "top", slot.period, slot.id);
}

/**
 * Stages `xp` earned at `now` into the user's week, month and all-time totals and the ranking
 * index. Reads the user's current totals (one `getMany`); call it from the user's own turn.
 *
 * @example
 * ```ts
 * await stageXp(store, turn.tx, { userId: 42, name: "Ann" }, 30, turn.clock.now());
 * ```
 */
export async function stageXp(
  store: Store,
  tx: Tx,
  entrant: Entrant,
  xp: number,
  now: number,
): Promise<void> {
  if (!Number.isSafeInteger(xp) || xp <= 0) return;
  const g = tx.generation;
  const slots = LEADERBOARD_PERIODS.map((period) => periodSlot(period, now));
  const current = await store.kv.getMany<PeriodRow[]>(
    slots.map((slot) => rowKey(g, entrant.userId, slot)),
  );
  const name = entrant.name.slice(0, NAME_CHARS);
  slots.forEach((slot, i) => {
    const before = current[i].value;
    const row: PeriodRow = { xp: (before?.xp ?? 0) + xp, at: now, name };
    const expireIn = slot.endsAt === null
      ? undefined
      : Math.max(1, slot.endsAt + RETAIN_AFTER_END_MS[slot.period as "week" | "month"] - now);
    if (before) tx.delete(topKey(g, slot, before, entrant.userId));
    tx.set(rowKey(g, entrant.userId, slot), row, { expireIn });
    tx.set(topKey(g, slot, row, entrant.userId), { user_id: entrant.userId, name }, { expireIn });
  });
}

/**
 * The top of a period's leaderboard, best first: one bounded reverse list.
 *
 * @example
 * ```ts
 * const week = await top(store, "week", clock.now(), 10);
 * week[0]?.name;
 * ```
 */
export async function top(
  store: Store,
  period: LeaderboardPeriod,
  now: number,
  limit = 10,
): Promise<Standing[]> {
  const slot = periodSlot(period, now);
  const standings: Standing[] = [];
  for await (
    const entry of store.kv.list<{ user_id: number; name: string }>(
      { prefix: topPrefix(store.generation, slot) },
      { reverse: true, limit },
    )
  ) {
    standings.push({
      rank: standings.length + 1,
      userId: entry.value.user_id,
      name: entry.value.name,
      xp: Number(entry.key[entry.key.length - 3]),
    });
  }
  return standings;
}

/**
 * A user's XP in the period containing `now` (0 when none).
 *
 * @example
 * ```ts
 * const mine = await xpIn(store, 42, "month", clock.now());
 * ```
 */
export async function xpIn(
  store: Store,
  userId: number,
  period: LeaderboardPeriod,
  now: number,
): Promise<number> {
  const entry = await store.kv.get<PeriodRow>(
    rowKey(store.generation, userId, periodSlot(period, now)),
  );
  return entry.value?.xp ?? 0;
}

/**
 * Stages the deletion of up to `limitRows` of a user's period totals and their ranking index
 * keys (for `/forget`).
 *
 * @returns the number of keys staged for deletion (two per row); fewer than `2 * limitRows`
 * means the user has no rows left.
 * @example
 * ```ts
 * const deleted = await stageEraseBatch(store, tx, 42, 150);
 * ```
 */
export async function stageEraseBatch(
  store: Store,
  tx: Tx,
  userId: number,
  limitRows: number,
): Promise<number> {
  const g = tx.generation;
  let deleted = 0;
  for await (
    const entry of store.kv.list<PeriodRow>(
      { prefix: dataPrefix(g, "leaderboard", userId) },
      { limit: limitRows },
    )
  ) {
    const [period, id] = entry.key.slice(-2) as [LeaderboardPeriod, string];
    tx.delete(entry.key);
    tx.delete(topKey(g, { period, id, endsAt: null }, entry.value, userId));
    deleted += 2;
  }
  return deleted;
}
