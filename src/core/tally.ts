/**
 * A process's tally: counts of the runtime's own bookkeeping (turns, their durations, sessions
 * started, updates queued and settled) kept in memory, so they cost no mutation in the commits
 * that cause them. A tx carries its counts (`Tx.tally`) and whoever commits it adds them here
 * once the commit is durable; `src/store/tally.ts` writes the whole tally as one KV record per
 * process (docs/ARCHITECTURE.md, "Runtime tallies").
 *
 * @module
 */

/** Adds every count of `from` into `into` (counts are signed). */
export function addCounts(
  into: Map<string, number>,
  from: ReadonlyMap<string, number> | Record<string, number>,
): Map<string, number> {
  const entries = from instanceof Map ? from.entries() : Object.entries(from);
  for (const [name, by] of entries) into.set(name, (into.get(name) ?? 0) + by);
  return into;
}

/**
 * The counts not yet written, and what the writer needs to know about the record it wrote.
 *
 * @example
 * ```ts
 * const tally = new Tally("p-1");
 * tally.add(new Map([["turns_total", 1]]));
 * tally.unflushed().get("turns_total"); // 1
 * ```
 */
export class Tally {
  /** Names this process's record (`["tally", owner]`). */
  readonly owner: string;
  #pending = new Map<string, number>();
  /** Taken by a write that has not finished yet. */
  #inFlight = new Map<string, number>();
  #listener: (() => void) | null = null;
  #chain: Promise<unknown> = Promise.resolve();

  constructor(owner: string) {
    this.owner = owner;
  }

  /** Adds committed counts; tells the listener when the tally goes from nothing to something. */
  add(counts: ReadonlyMap<string, number>): void {
    if (counts.size === 0) return;
    const wasEmpty = this.#pending.size === 0;
    addCounts(this.#pending, counts);
    if (wasEmpty) this.#listener?.();
  }

  /** Whether counts wait to be written. */
  get hasPending(): boolean {
    return this.#pending.size > 0;
  }

  /** Counts not in KV yet: pending, and those a write in progress took. */
  unflushed(): Map<string, number> {
    return addCounts(new Map(this.#inFlight), this.#pending);
  }

  /**
   * Calls `listener` whenever counts arrive in an empty tally (the writer schedules a write).
   *
   * @returns a function that removes it.
   */
  onPending(listener: () => void): () => void {
    this.#listener = listener;
    return () => {
      if (this.#listener === listener) this.#listener = null;
    };
  }

  /** For the writer: moves the pending counts into flight and returns them. */
  take(): Map<string, number> {
    const taken = this.#pending;
    this.#pending = new Map();
    addCounts(this.#inFlight, taken);
    return taken;
  }

  /** For the writer: the taken counts are written (`kept` false), or go back to pending. */
  settle(taken: ReadonlyMap<string, number>, kept: boolean): void {
    this.#inFlight = new Map();
    if (!kept) addCounts(this.#pending, taken);
  }

  /** Runs `work` after every earlier one: one write of the record at a time. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(work, work);
    this.#chain = run.catch(() => {});
    return run;
  }
}
