/**
 * "Active in the last n days" from counters, without scanning profiles: every (non-local) user
 * counts under the UTC day they were last seen (`users_last_seen_<yyyymmdd>`), and moves from
 * one day's counter to another's in the same commit that moves their `last_seen_at`. The users
 * active in the last n days are the sum of the last n days' counters.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import * as counters from "./counters.ts";
import { type Store } from "./kv.ts";

const DAY_MS = 86_400_000;

/**
 * The counter of users last seen on the UTC day of `at`.
 *
 * @example
 * ```ts
 * lastSeenCounter(Date.UTC(2026, 0, 31, 23)); // "users_last_seen_20260131"
 * ```
 */
export function lastSeenCounter(at: number): string {
  return `users_last_seen_${new Date(at).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

/**
 * Stages a user's move to today's counter (from the day they were last seen; null: a new user).
 * Call it in the commit that stores the new `last_seen_at`.
 *
 * @example
 * ```ts
 * stageSeen(turn.tx, Date.parse(user.last_seen_at), now);
 * ```
 */
export function stageSeen(tx: Tx, lastSeenAt: number | null, now: number): void {
  const to = lastSeenCounter(now);
  const from = lastSeenAt === null ? null : lastSeenCounter(lastSeenAt);
  if (from === to) return;
  if (from !== null) counters.add(tx, from, -1);
  counters.add(tx, to);
}

/**
 * Users last seen in the last `days` UTC days, today included.
 *
 * @example
 * ```ts
 * const active7d = await activeUsers(store, clock.now());
 * ```
 */
export async function activeUsers(store: Store, now: number, days = 7): Promise<number> {
  const names = Array.from({ length: days }, (_, i) => lastSeenCounter(now - i * DAY_MS));
  const values = await counters.getMany(store, names);
  return Math.max(0, values.reduce((sum, n) => sum + n, 0));
}
