/**
 * Durable counters (KV sums) and the KV implementation of the metrics sink. Every process adds
 * to one total that survives restarts. The runtime's own bookkeeping (turns, their durations,
 * sessions started) and what the sink counts outside a tx (API requests, provider calls, cache
 * lookups) go to the process tally instead (`tally.ts`): readers here add every tally to the
 * durable totals, and the minute cron folds the tallies of stopped processes into them
 * (docs/ARCHITECTURE.md, "Runtime tallies").
 *
 * @module
 */
import { type Clock, systemClock } from "../core/clock.ts";
import { type MetricsSink } from "../core/sinks.ts";
import { signedCount, type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix, runtimeKeys } from "./keys.ts";
import { commitTx, getEntries, type Store } from "./kv.ts";
import {
  flushTally,
  listTallies,
  readTallies,
  TALLY_FOLD_AFTER_MS,
  TALLY_GAUGES,
} from "./tally.ts";

/** Upper bounds (ms) of the fixed histogram buckets; the last bucket is everything above. */
export const HISTOGRAM_BUCKETS_MS = [
  5,
  10,
  25,
  50,
  100,
  250,
  500,
  1000,
  2500,
  5000,
  10_000,
] as const;

/**
 * Stages `by` (may be negative) onto a counter.
 *
 * @example
 * ```ts
 * add(tx, "analyses_total");
 * ```
 */
export function add(tx: Tx, name: string, by = 1): void {
  tx.sum(dataKey(tx.generation, "counter", name), by);
}

/**
 * Stages one duration into a histogram: a count, a sum (µs) and one bucket.
 *
 * @example
 * ```ts
 * observe(tx, "turn_ms", 12.5);
 * ```
 */
export function observe(tx: Tx, name: string, ms: number): void {
  for (const [counter, by] of histogramIncrements(name, ms)) add(tx, counter, by);
}

/**
 * Counts `by` onto a counter once the tx commits, in the process tally: no mutation (see the
 * module doc). For the runtime's own bookkeeping, which may undercount after a crash.
 *
 * @example
 * ```ts
 * tally(turn.tx, "turns_total");
 * ```
 */
export function tally(tx: Tx, name: string, by = 1): void {
  tx.tally(name, by);
}

/**
 * Records one duration into a histogram once the tx commits, in the process tally (`turn_ms`).
 *
 * @example
 * ```ts
 * tallyDuration(turn.tx, "turn_ms", 12.5);
 * ```
 */
export function tallyDuration(tx: Tx, name: string, ms: number): void {
  for (const [counter, by] of histogramIncrements(name, ms)) tx.tally(counter, by);
}

/** The counter increments that record one duration in a histogram. */
function histogramIncrements(name: string, ms: number): [string, number][] {
  const bucket = HISTOGRAM_BUCKETS_MS.findIndex((le) => ms <= le);
  return [
    [`${name}_count`, 1],
    [`${name}_sum_us`, Math.max(0, Math.round(ms * 1000))],
    [`${name}_bucket_${bucket === -1 ? "inf" : HISTOGRAM_BUCKETS_MS[bucket]}`, 1],
  ];
}

/**
 * Reads one counter (0 when absent): its durable total and every process's tally of it.
 *
 * @example
 * ```ts
 * const total = await get(store, "analyses_total");
 * ```
 */
export async function get(store: Store, name: string): Promise<number> {
  const [value] = await getMany(store, [name]);
  return value;
}

/**
 * Reads several counters, with one read of the tallies for all of them.
 *
 * @example
 * ```ts
 * const [users, analyses] = await getMany(store, ["users_total", "analyses_total"]);
 * ```
 */
export async function getMany(store: Store, names: readonly string[]): Promise<number[]> {
  const keys = names.map((name) => dataKey(store.generation, "counter", name));
  const [tallies, entries] = await Promise.all([
    readTallies(store),
    getEntries<Deno.KvU64>(store, keys),
  ]);
  return entries.map((entry, i) => signedCount(entry.value) + (tallies.get(names[i]) ?? 0));
}

/**
 * Reads every counter into a map (counters are few: names, not per-user rows).
 *
 * @example
 * ```ts
 * const all = await getAll(store);
 * all.get("errors_error") ?? 0;
 * ```
 */
export async function getAll(store: Store): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const [tallies] = await Promise.all([
    readTallies(store),
    (async () => {
      const prefix = dataPrefix(store.generation, "counter");
      for await (const entry of store.kv.list<Deno.KvU64>({ prefix }, { batchSize: 1000 })) {
        counts.set(String(entry.key[3]), signedCount(entry.value));
      }
    })(),
  ]);
  for (const [name, by] of tallies) {
    if (!TALLY_GAUGES.has(name)) counts.set(name, (counts.get(name) ?? 0) + by);
  }
  return counts;
}

/**
 * Folds the tally records not written for `afterMs` into the durable counters (and the
 * runtime gauges, for {@linkcode TALLY_GAUGES}), each in one commit that deletes the record
 * checked against the versionstamp read, so two crons never fold one twice. A live process
 * whose record was folded starts a new one with what it counts next.
 *
 * @returns how many records were folded.
 * @example
 * ```ts
 * const folded = await foldStoppedTallies(store, clock.now());
 * ```
 */
export async function foldStoppedTallies(
  store: Store,
  now: number,
  afterMs = TALLY_FOLD_AFTER_MS,
): Promise<number> {
  let folded = 0;
  for (const entry of await listTallies(store)) {
    if (now - entry.value.at < afterMs) continue;
    const tx = store.tx();
    tx.check(entry.key, entry.versionstamp).delete(entry.key);
    for (const [name, by] of Object.entries(entry.value.counts)) {
      if (by === 0) continue;
      if (TALLY_GAUGES.has(name)) tx.sum(runtimeKeys.gauge(name), by);
      else add(tx, name, by);
    }
    if (await commitTx(store, tx) !== null) folded++;
  }
  return folded;
}

/** Options of {@linkcode KvMetricsSink}. */
export interface KvMetricsSinkOptions {
  clock?: Clock;
}

/**
 * The metrics sink over KV: with a tx it stages a sum, committed exactly once with the tx;
 * without, it counts into the process tally (`tally.ts`), which costs no commit of its own and is
 * written with the runtime's counts at most every `TALLY_FLUSH_MS` (or on {@linkcode flush}).
 *
 * @example
 * ```ts
 * const metrics = new KvMetricsSink(store);
 * metrics.count("provider_provider1_requests");
 * await metrics.flush();
 * ```
 */
export class KvMetricsSink implements MetricsSink {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, options: KvMetricsSinkOptions = {}) {
    this.#store = store;
    this.#clock = options.clock ?? systemClock;
  }

  count(name: string, by = 1, tx?: Tx): void {
    if (tx) return add(tx, name, by);
    this.#store.tally.add(new Map([[name, by]]));
  }

  observe(name: string, ms: number, tx?: Tx): void {
    if (tx) return observe(tx, name, ms);
    this.#store.tally.add(new Map(histogramIncrements(name, ms)));
  }

  /** Writes the process tally now (tests, shutdown). */
  async flush(): Promise<void> {
    await flushTally(this.#store, this.#clock.now());
  }
}
