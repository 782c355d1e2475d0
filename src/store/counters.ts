/**
 * Durable counters (KV sums) and the KV implementation of the metrics sink. Every process adds
 * to one total that survives restarts. The runtime's own bookkeeping counters (turns, their
 * durations, sessions started) are counted in the process tally instead (`tally.ts`): readers
 * here add every tally to the durable totals, and the minute cron folds the tallies of stopped
 * processes into them (docs/ARCHITECTURE.md, "Runtime tallies").
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Clock, systemClock, type TimerHandle } from "../core/clock.ts";
import { type MetricsSink } from "../core/sinks.ts";
import { signedCount, type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix, runtimeKeys } from "./keys.ts";
import { commitTx, type Store } from "./kv.ts";
import { listTallies, readTallies, TALLY_FOLD_AFTER_MS, TALLY_GAUGES } from "./tally.ts";

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
 * The counters kept in the process tally rather than in commits: what every turn counts, which
 * a crash may undercount by one flush interval.
 */
const TALLIED = /^(?:turns_total|sessions_created|turn_ms_(?:count|sum_us|bucket_\w+))$/;

/** Whether a counter is (also) kept in processes' tallies, so its readers add them. */
export function isTallied(name: string): boolean {
  return TALLIED.test(name);
}

/**
 * Counts `by` onto one of the runtime's tallied counters once the tx commits: no mutation, the
 * process tally carries it (see the module doc).
 *
 * @throws {TypeError} for a counter that is not tallied (its readers would not see it).
 * @example
 * ```ts
 * tally(turn.tx, "turns_total");
 * ```
 */
export function tally(tx: Tx, name: string, by = 1): void {
  if (!isTallied(name)) {
    throw new TypeError(`Cannot tally counter "${name}": only the runtime's own are tallied`);
  }
  tx.tally(name, by);
}

/**
 * Records one duration into a tallied histogram (`turn_ms`) once the tx commits.
 *
 * @example
 * ```ts
 * tallyDuration(turn.tx, "turn_ms", 12.5);
 * ```
 */
export function tallyDuration(tx: Tx, name: string, ms: number): void {
  for (const [counter, by] of histogramIncrements(name, ms)) tally(tx, counter, by);
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
 * Reads one counter (0 when absent).
 *
 * @example
 * ```ts
 * const total = await get(store, "analyses_total");
 * ```
 */
export async function get(store: Store, name: string): Promise<number> {
  const [entry, tallied] = await Promise.all([
    store.kv.get<Deno.KvU64>(dataKey(store.generation, "counter", name)),
    isTallied(name) ? readTallies(store) : null,
  ]);
  return signedCount(entry.value) + (tallied?.get(name) ?? 0);
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
  const tallied = readTallies(store);
  for await (
    const entry of store.kv.list<Deno.KvU64>({
      prefix: dataPrefix(store.generation, "counter"),
    }, { batchSize: 1000 })
  ) {
    counts.set(String(entry.key[3]), signedCount(entry.value));
  }
  for (const [name, by] of await tallied) {
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
  /** How long sums wait to be batched before a commit. @default 1000 */
  flushAfterMs?: number;
  clock?: Clock;
}

const log = getLogger(["rvx", "store", "counters"]);

/**
 * The metrics sink over KV: with a tx it stages; without, it sums in memory and commits the
 * batch once `flushAfterMs` has passed (or on {@linkcode flush}).
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
  readonly #flushAfterMs: number;
  readonly #clock: Clock;
  #pending = new Map<string, number>();
  #timer: TimerHandle | null = null;
  #flushing: Promise<void> = Promise.resolve();

  constructor(store: Store, options: KvMetricsSinkOptions = {}) {
    this.#store = store;
    this.#flushAfterMs = options.flushAfterMs ?? 1000;
    this.#clock = options.clock ?? systemClock;
  }

  count(name: string, by = 1, tx?: Tx): void {
    if (tx) return add(tx, name, by);
    this.#pending.set(name, (this.#pending.get(name) ?? 0) + by);
    this.#schedule();
  }

  observe(name: string, ms: number, tx?: Tx): void {
    if (tx) return observe(tx, name, ms);
    for (const [counter, by] of histogramIncrements(name, ms)) this.count(counter, by);
  }

  flush(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = null;
    // A failed flush must not poison the next one: its sums were put back for it.
    this.#flushing = this.#flushing.catch(() => {}).then(() => this.#commitPending());
    return this.#flushing;
  }

  #schedule(): void {
    this.#timer ??= this.#clock.setTimeout(() => {
      this.#timer = null;
      this.flush().catch(() => {/* logged in #commitPending */});
    }, this.#flushAfterMs);
  }

  async #commitPending(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    const entries = [...batch];
    for (let i = 0; i < entries.length; i += 500) {
      const chunk = entries.slice(i, i + 500);
      try {
        const tx = this.#store.tx();
        for (const [name, by] of chunk) add(tx, name, by);
        await commitTx(this.#store, tx);
      } catch (err) {
        // Keep what did not commit for the next flush rather than lose it.
        const kept = entries.slice(i);
        for (const [name, by] of kept) this.#pending.set(name, (this.#pending.get(name) ?? 0) + by);
        log.warn("Metrics flush failed; {count} counters kept for the next try: {reason}", {
          count: kept.length,
          reason: err instanceof Error ? err.message : String(err),
        });
        this.#schedule();
        throw err;
      }
    }
  }
}
