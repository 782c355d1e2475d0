/**
 * Fixed-bucket histograms rebuilt from their durable counters (`<name>_count`, `<name>_sum_us`,
 * `<name>_bucket_<le|inf>`, see `src/store/counters.ts`), with true averages from the sum and
 * percentiles interpolated within buckets.
 *
 * Optional exact extremes: `<name>_min_us` / `<name>_max_us` written with KV `min`/`max`
 * mutations. Without them, fastest and slowest are bucket bounds (`exact_extremes: false`).
 *
 * @module
 */
import { HISTOGRAM_BUCKETS_MS } from "../store/counters.ts";

/** A histogram put back together. */
export interface Histogram {
  count: number;
  sum_ms: number;
  /** Sum / count; null with no observations. */
  avg_ms: number | null;
  /** Per upper bound (ms as text, `+Inf` last): observations at or below it (cumulative). */
  buckets: { le: string; count: number }[];
  /** Exact minimum when recorded; else the lower bound of the lowest non-empty bucket. */
  fastest_ms: number | null;
  /** Exact maximum when recorded; else the upper bound of the highest non-empty bucket (the last finite bound for `+Inf`). */
  slowest_ms: number | null;
  /** Whether fastest/slowest are exact records rather than bucket bounds. */
  exact_extremes: boolean;
  p50_ms: number | null;
  p95_ms: number | null;
  p99_ms: number | null;
}

/** The counter names a histogram is stored under. */
export function histogramCounterNames(name: string): string[] {
  return [
    `${name}_count`,
    `${name}_sum_us`,
    `${name}_min_us`,
    `${name}_max_us`,
    ...[...HISTOGRAM_BUCKETS_MS.map(String), "inf"].map((le) => `${name}_bucket_${le}`),
  ];
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}

/**
 * The `q` quantile (0–1) from per-bucket counts, linearly interpolated within its bucket
 * (the first bucket starts at 0; the open last bucket answers its lower bound, as
 * Prometheus' `histogram_quantile` does).
 *
 * @example
 * ```ts
 * quantile([0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0.5); // 7.5: half-way through (5, 10]
 * ```
 */
export function quantile(perBucket: readonly number[], q: number): number | null {
  const total = perBucket.reduce((s, n) => s + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < perBucket.length; i++) {
    const n = perBucket[i];
    if (n > 0 && below + n >= rank) {
      const lower = i === 0 ? 0 : HISTOGRAM_BUCKETS_MS[i - 1];
      if (i >= HISTOGRAM_BUCKETS_MS.length) return lower;
      const upper = HISTOGRAM_BUCKETS_MS[i];
      return round3(lower + (upper - lower) * Math.max(0, rank - below) / n);
    }
    below += n;
  }
  return HISTOGRAM_BUCKETS_MS[HISTOGRAM_BUCKETS_MS.length - 1];
}

/**
 * Rebuilds histogram `name` from the counters (all zeros and nulls when nothing was observed).
 *
 * @example
 * ```ts
 * const turns = readHistogram(await counters.getAll(store), "turn_ms");
 * turns.p95_ms;
 * ```
 */
export function readHistogram(counters: ReadonlyMap<string, number>, name: string): Histogram {
  const count = counters.get(`${name}_count`) ?? 0;
  const sumMs = (counters.get(`${name}_sum_us`) ?? 0) / 1000;
  const perBucket = [...HISTOGRAM_BUCKETS_MS.map(String), "inf"].map((le) =>
    Math.max(0, counters.get(`${name}_bucket_${le}`) ?? 0)
  );
  let cumulative = 0;
  const buckets = perBucket.map((n, i) => {
    cumulative += n;
    return {
      le: i < HISTOGRAM_BUCKETS_MS.length ? String(HISTOGRAM_BUCKETS_MS[i]) : "+Inf",
      count: cumulative,
    };
  });
  const minUs = counters.get(`${name}_min_us`);
  const maxUs = counters.get(`${name}_max_us`);
  const exact = count > 0 && minUs !== undefined && maxUs !== undefined;
  const first = perBucket.findIndex((n) => n > 0);
  const last = perBucket.findLastIndex((n) => n > 0);
  const lastBound = HISTOGRAM_BUCKETS_MS[HISTOGRAM_BUCKETS_MS.length - 1];
  return {
    count,
    sum_ms: round3(sumMs),
    avg_ms: count > 0 ? round3(sumMs / count) : null,
    buckets,
    fastest_ms: exact
      ? minUs / 1000
      : first === -1
      ? null
      : first === 0
      ? 0
      : HISTOGRAM_BUCKETS_MS[first - 1],
    slowest_ms: exact
      ? maxUs / 1000
      : last === -1
      ? null
      : last >= HISTOGRAM_BUCKETS_MS.length
      ? lastBound
      : HISTOGRAM_BUCKETS_MS[last],
    exact_extremes: exact,
    p50_ms: quantile(perBucket, 0.5),
    p95_ms: quantile(perBucket, 0.95),
    p99_ms: quantile(perBucket, 0.99),
  };
}

/** Names of the histograms present among the counters (those with a `_sum_us`). */
export function histogramNames(counters: ReadonlyMap<string, number>): string[] {
  return [...counters.keys()].filter((n) => n.endsWith("_sum_us"))
    .map((n) => n.slice(0, -"_sum_us".length)).sort();
}
