/**
 * The runtime's figures behind `/api/v1/stats`, the dashboard and `/metrics`: from counters
 * kept by the commits themselves and the inbox depth the tallies keep, never from scans.
 *
 * @module
 */
import * as counters from "../store/counters.ts";
import { readInboxDepth } from "../store/inbox_depth.ts";
import { type Store } from "../store/kv.ts";
import { type SessionGauge } from "./session.ts";

/**
 * Supervisor-wide figures, from counters (not scans), and the session gauges the bot declares,
 * each by its `stat` name.
 */
export type SupervisorStats = {
  active_users: number;
  resident_actors: number;
  inbox_depth: number;
  dead_letters: number;
} & Record<string, number>;

/**
 * Reads the figures; `residentActors` is this process's own.
 *
 * @example
 * ```ts
 * const stats = await runtimeStats(store, residents.size, settings.sessionGauges ?? []);
 * ```
 */
export async function runtimeStats(
  store: Store,
  residentActors: number,
  sessionGauges: readonly SessionGauge[],
): Promise<SupervisorStats> {
  const names = ["sessions_active", "dead_letters", ...sessionGauges.map((g) => g.counter)];
  const [depth, [active, deadLetters, ...values]] = await Promise.all([
    readInboxDepth(store),
    counters.getMany(store, names),
  ]);
  return {
    active_users: active,
    ...Object.fromEntries(sessionGauges.map((g, i) => [g.stat, values[i]])),
    dead_letters: deadLetters,
    resident_actors: residentActors,
    inbox_depth: depth,
  };
}
