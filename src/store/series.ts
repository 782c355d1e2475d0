/**
 * Metric time series (`series`, under the generation): points keyed by series name and time,
 * read by the dashboard's charts and pruned by age.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { type Store } from "./kv.ts";

/** One point: its time (epoch ms) and whatever the series records. */
export interface SeriesPoint<T> {
  at: number;
  value: T;
}

/**
 * Stages a point (a second point at the same time replaces the first).
 *
 * @example
 * ```ts
 * appendPoint(tx, "metrics_1m", now, { counters, delta });
 * ```
 */
export function appendPoint(tx: Tx, series: string, at: number, value: unknown): void {
  tx.set(dataKey(tx.generation, "series", series, at), value);
}

/** Options of {@linkcode listPoints}. */
export interface ListPointsOptions {
  /** Only points at or after this time (epoch ms). */
  since?: number;
  /** @default 1000 */
  limit?: number;
  /** Newest first. @default false */
  reverse?: boolean;
}

/**
 * Points of a series in time order (or newest first).
 *
 * @example
 * ```ts
 * const last48h = await listPoints(store, "metrics_1m", { since: now - 48 * 3_600_000, limit: 2880 });
 * ```
 */
export async function listPoints<T>(
  store: Store,
  series: string,
  options: ListPointsOptions = {},
): Promise<SeriesPoint<T>[]> {
  const prefix = dataPrefix(store.generation, "series", series);
  const selector: Deno.KvListSelector = options.since === undefined
    ? { prefix }
    : { prefix, start: dataKey(store.generation, "series", series, options.since) };
  const points: SeriesPoint<T>[] = [];
  for await (
    const entry of store.kv.list<T>(selector, {
      limit: options.limit ?? 1000,
      reverse: options.reverse ?? false,
      batchSize: 500,
    })
  ) {
    points.push({ at: entry.key[4] as number, value: entry.value });
  }
  return points;
}

/**
 * Stages the removal of points older than `before` (epoch ms), at most `max` of them.
 *
 * @returns how many were staged; fewer than `max` means none older are left.
 * @example
 * ```ts
 * await stagePrunePoints(store, tx, "metrics_1m", now - 48 * 3_600_000, 500);
 * ```
 */
export async function stagePrunePoints(
  store: Store,
  tx: Tx,
  series: string,
  before: number,
  max: number,
): Promise<number> {
  const prefix = dataPrefix(tx.generation, "series", series);
  let removed = 0;
  for await (
    const entry of store.kv.list({
      start: prefix,
      end: dataKey(tx.generation, "series", series, before),
    }, { limit: max })
  ) {
    tx.delete(entry.key);
    removed++;
  }
  return removed;
}
