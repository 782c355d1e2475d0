/**
 * Tally records: each process writes its tally (`src/core/tally.ts`) as one KV record,
 * `["tally", owner]`, runtime state outside the generations. The record holds the counts since
 * it was first written and is rewritten whole with a checked `set`, so a write costs one
 * mutation however many counts moved, and writing the same counts twice counts them once. A
 * process writes at most every {@linkcode TALLY_FLUSH_MS}, when its supervisor stops, and on
 * {@linkcode flushTally}; readers add every record (and their own process's unwritten part) to
 * the durable counters, and the minute cron folds the records of processes that stopped into
 * them (`counters.ts`). A crash loses at most the counts of one interval: the runtime's
 * bookkeeping is counted at most once, while a user's data and features' counters stay
 * exactly-once in the turn commit (docs/ARCHITECTURE.md, "Runtime tallies").
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Clock, type TimerHandle } from "../core/clock.ts";
import { addCounts, type Tally } from "../core/tally.ts";
import { runtimeKeys } from "./keys.ts";
import { atomicCommit, type Store } from "./kv.ts";

/** How long counts may wait in memory before a process writes its tally. */
export const TALLY_FLUSH_MS = 10_000;
/** A record not written for this long belongs to a process that stopped (or idles): folded. */
export const TALLY_FOLD_AFTER_MS = 5 * 60_000;

/**
 * Tally counts that are runtime gauges rather than counters: kept apart from the counters and
 * folded into `runtimeKeys.gauge(name)` (the inbox depth: updates queued minus settled).
 */
export const TALLY_GAUGES: ReadonlySet<string> = new Set(["inbox_depth"]);

/** One process's tally record. */
export interface TallyRecord {
  /** When it was written (epoch ms): the minute cron folds records not written for a while. */
  at: number;
  /** The writer's write number, to tell after a failed write whether it landed. */
  seq: number;
  /** Counts since the record was created, by name. */
  counts: Record<string, number>;
}

/** A tally record as listed, with the versionstamp that guards folding it. */
export interface TallyEntry {
  key: Deno.KvKey;
  value: TallyRecord;
  versionstamp: string;
}

/** What the writer knows of its record: what it holds, or null when that must be read first. */
interface WriterState {
  written: { counts: Map<string, number>; versionstamp: string | null } | null;
  seq: number;
  /** A write whose outcome is unknown (KV failed during it): its number, counts and time. */
  doubt: { seq: number; counts: Map<string, number>; at: number } | null;
}

const states = new WeakMap<Tally, WriterState>();
const log = getLogger(["rvx", "store", "tally"]);

function stateOf(tally: Tally): WriterState {
  let state = states.get(tally);
  if (!state) {
    // A fresh owner id: no record of it exists yet.
    state = { written: { counts: new Map(), versionstamp: null }, seq: 0, doubt: null };
    states.set(tally, state);
  }
  return state;
}

/**
 * Writes the store's tally now, if anything is pending (one write at a time per process).
 *
 * @returns whether a record was written.
 * @example
 * ```ts
 * await flushTally(store, clock.now());
 * ```
 */
export function flushTally(store: Store, now: number): Promise<boolean> {
  return store.tally.exclusive(() => writeTally(store, now));
}

async function writeTally(store: Store, now: number): Promise<boolean> {
  const { tally } = store;
  const state = stateOf(tally);
  const taken = tally.take();
  if (taken.size === 0) return false;
  const key = runtimeKeys.tally(tally.owner);
  let written = false;
  try {
    // A check fails only when the minute cron folded the record meanwhile: read and write anew.
    for (let attempt = 1; attempt <= 3 && !written; attempt++) {
      const base = state.written ?? (state.written = await readOwn(store, now, state, taken));
      const counts = addCounts(new Map(base.counts), taken);
      const seq = ++state.seq;
      const record: TallyRecord = { at: now, seq, counts: Object.fromEntries(counts) };
      state.doubt = { seq, counts: new Map(taken), at: now };
      const result = await atomicCommit(
        store,
        (op) => op.check({ key, versionstamp: base.versionstamp }).set(key, record),
        { fenced: true },
      );
      state.doubt = null;
      state.written = result.ok ? { counts, versionstamp: result.versionstamp } : null;
      written = result.ok;
    }
    return written;
  } catch (err) {
    // Whether the write landed is unknown: the record is read before the next one.
    state.written = null;
    throw err;
  } finally {
    tally.settle(taken, written);
  }
}

/**
 * Reads this process's record before writing it again. After a write whose outcome was
 * unknown, its counts are back among `taken`: they are dropped if the record shows that write
 * landed, or if the record is gone and old enough that the write may have landed and been
 * folded since (counted at most once).
 */
async function readOwn(
  store: Store,
  now: number,
  state: WriterState,
  taken: Map<string, number>,
): Promise<NonNullable<WriterState["written"]>> {
  const entry = await store.kv.get<TallyRecord>(runtimeKeys.tally(store.tally.owner));
  const doubt = state.doubt;
  state.doubt = null;
  const landed = entry.value
    ? entry.value.seq === doubt?.seq
    : doubt !== null && now - doubt.at >= TALLY_FOLD_AFTER_MS;
  if (doubt && landed) {
    for (const [name, by] of doubt.counts) taken.set(name, (taken.get(name) ?? 0) - by);
  }
  return {
    counts: new Map(Object.entries(entry.value?.counts ?? {})),
    versionstamp: entry.versionstamp,
  };
}

/**
 * Every process's tally record.
 *
 * @example
 * ```ts
 * for (const { value } of await listTallies(store)) console.log(value.at, value.counts);
 * ```
 */
export async function listTallies(store: Store): Promise<TallyEntry[]> {
  const entries: TallyEntry[] = [];
  for await (const entry of store.kv.list<TallyRecord>({ prefix: runtimeKeys.tallyAll })) {
    entries.push(entry);
  }
  return entries;
}

/**
 * The counts of every process's tally not folded yet: the records in KV plus what this
 * process has not written.
 *
 * @example
 * ```ts
 * const turns = (await readTallies(store)).get("turns_total") ?? 0;
 * ```
 */
export async function readTallies(store: Store): Promise<Map<string, number>> {
  const totals = store.tally.unflushed();
  for (const { value } of await listTallies(store)) addCounts(totals, value.counts);
  return totals;
}

/**
 * Writes the store's tally at most every `everyMs` while counts arrive, and once more on
 * {@linkcode TallyFlusher.stop}; timers run on the given clock. An idle process writes nothing.
 *
 * @example
 * ```ts
 * const flusher = new TallyFlusher(store, clock);
 * flusher.start();
 * await flusher.stop(); // writes what is left
 * ```
 */
export class TallyFlusher {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #everyMs: number;
  #timer: TimerHandle | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(store: Store, clock: Clock, everyMs = TALLY_FLUSH_MS) {
    this.#store = store;
    this.#clock = clock;
    this.#everyMs = everyMs;
  }

  /** Starts writing whenever counts arrive. */
  start(): void {
    this.#unsubscribe ??= this.#store.tally.onPending(() => this.#schedule());
    if (this.#store.tally.hasPending) this.#schedule();
  }

  /** Writes now. */
  flush(): Promise<boolean> {
    this.#timer?.cancel();
    this.#timer = null;
    return flushTally(this.#store, this.#clock.now());
  }

  /** Stops the timer and writes what is left; a failure is logged (the counts stay in memory). */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    await this.flush().catch((err) => this.#failed(err));
  }

  #schedule(): void {
    this.#timer ??= this.#clock.setTimeout(() => {
      this.#timer = null;
      this.flush().catch((err) => this.#failed(err)).finally(() => {
        // Counts a failed write put back wait for the next interval.
        if (this.#unsubscribe && this.#store.tally.hasPending) this.#schedule();
      });
    }, this.#everyMs);
  }

  #failed(err: unknown): void {
    // The schema fence refused it: the fence said why, once; the counts wait for it to open.
    const fence = this.#store.fence;
    if (fence && !fence.open) return;
    log.warn("Writing the runtime tally failed; it is tried again: {reason}", {
      code: "TALLY_FLUSH_FAILED",
      reason: err instanceof Error ? err.message : String(err),
    });
  }
}
