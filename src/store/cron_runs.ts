/**
 * Cron run records (`cron_run`, under the generation): each scheduled run's start, end, outcome
 * and figures, for the dashboard. A run is recorded when it starts and again when it ends, so a
 * run that crashed its process stays visible as `running` with no end.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { listValues, type Store } from "./kv.ts";

/** One run of one cron. */
export interface CronRun {
  /** Time-ordered: runs of a cron list by start. */
  id: string;
  name: string;
  /** The process (lease owner) that ran it. */
  owner: string;
  status: "running" | "ok" | "error";
  /** ISO 8601 UTC. */
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  /** What the run did, by name (e.g. `sessions_cleaned`). */
  numbers: Record<string, number>;
  error: string | null;
}

/** Runs kept per cron; older ones are pruned as new ones end. */
export const RUNS_KEPT = 100;

/**
 * Stages a run record (its start, or its end: the same key).
 *
 * @example
 * ```ts
 * stageRun(tx, { ...run, status: "ok", ended_at, duration_ms: 12, numbers: { cleaned: 3 } });
 * ```
 */
export function stageRun(tx: Tx, run: CronRun): void {
  tx.set(dataKey(tx.generation, "cron_run", run.name, run.id), run);
}

/**
 * A cron's runs, newest first.
 *
 * @example
 * ```ts
 * const [last] = await listRuns(store, "session_sweep", 1);
 * ```
 */
export function listRuns(store: Store, name: string, limit = 20): Promise<CronRun[]> {
  return listValues<CronRun>(store, dataPrefix(store.generation, "cron_run", name), {
    reverse: true,
    limit,
  });
}

/**
 * Stages the removal of a cron's runs beyond the newest `keep`, at most `max` of them.
 *
 * @returns how many were staged.
 * @example
 * ```ts
 * await stagePruneRuns(store, tx, "minute");
 * ```
 */
export async function stagePruneRuns(
  store: Store,
  tx: Tx,
  name: string,
  keep = RUNS_KEPT,
  max = 20,
): Promise<number> {
  let index = 0;
  let removed = 0;
  for await (
    const entry of store.kv.list({ prefix: dataPrefix(tx.generation, "cron_run", name) }, {
      reverse: true,
      limit: keep + max,
    })
  ) {
    if (index++ < keep) continue;
    tx.delete(entry.key);
    removed++;
  }
  return removed;
}
