/**
 * The runtime's figures behind `/api/v1/stats`, the dashboard and `/metrics`: from counters
 * kept by the commits themselves, never from scans.
 *
 * @module
 */
import { signedCount } from "../core/tx.ts";
import * as counters from "../store/counters.ts";
import { runtimeKeys } from "../store/keys.ts";
import { type Store } from "../store/kv.ts";

/** Supervisor-wide figures, from counters (not scans). */
export interface SupervisorStats {
  active_users: number;
  users_in_news: number;
  users_in_course: number;
  users_in_quiz: number;
  pending_feedback: number;
  resident_actors: number;
  inbox_depth: number;
  dead_letters: number;
}

const GAUGES = [
  "sessions_active",
  "sessions_in_news",
  "sessions_in_course",
  "sessions_in_quiz",
  "sessions_pending_feedback",
  "dead_letters",
];

/**
 * Reads the figures; `residentActors` is this process's own.
 *
 * @example
 * ```ts
 * const stats = await runtimeStats(store, residents.size);
 * ```
 */
export async function runtimeStats(store: Store, residentActors: number): Promise<SupervisorStats> {
  const values = await Promise.all(GAUGES.map((name) => counters.get(store, name)));
  const depth = await store.kv.get<Deno.KvU64>(runtimeKeys.gauge("inbox_depth"));
  return {
    active_users: values[0],
    users_in_news: values[1],
    users_in_course: values[2],
    users_in_quiz: values[3],
    pending_feedback: values[4],
    dead_letters: values[5],
    resident_actors: residentActors,
    inbox_depth: Math.max(0, signedCount(depth.value)),
  };
}
