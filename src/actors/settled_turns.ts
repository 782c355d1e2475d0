/**
 * "This update's turn settled in this process": what the webhook waits for when it runs turns
 * inside the request (docs/DEPLOY.md, "Turns inside the webhook request"). A turn is settled when
 * its update is done: committed, found done already, or moved to the dead letters. A turn that
 * another process runs (its owner holds the actor's lease) never settles here; its waiter gives
 * up at its own deadline.
 *
 * @module
 */

/**
 * How many settled turns are remembered at least for a waiter that arrives just after the
 * commit (at most twice as many).
 */
const REMEMBERED = 4096;

/**
 * @example
 * ```ts
 * const settled = new SettledTurns();
 * const waiting = settled.wait("u:42", 1001, signal);
 * settled.settle("u:42", 1001); // waiting resolves
 * ```
 */
export class SettledTurns {
  readonly #waiters = new Map<string, Set<() => void>>();
  /**
   * Recently settled keys, in two generations: forgetting the older one is one swap, where
   * dropping a Set's first key at every settle walks the holes earlier deletes left.
   */
  #recent = new Set<string>();
  #older = new Set<string>();

  /** Marks the turn of `updateId` for `actor` settled, waking its waiters. */
  settle(actor: string, updateId: number): void {
    const key = `${actor}#${updateId}`;
    if (this.#recent.size >= REMEMBERED) {
      this.#older = this.#recent;
      this.#recent = new Set();
    }
    this.#recent.add(key);
    const waiters = this.#waiters.get(key);
    if (!waiters) return;
    this.#waiters.delete(key);
    for (const wake of waiters) wake();
  }

  /**
   * Resolves when the turn of `updateId` for `actor` settles in this process (at once if it did
   * lately), or when `signal` aborts; never rejects.
   */
  wait(actor: string, updateId: number, signal: AbortSignal): Promise<void> {
    const key = `${actor}#${updateId}`;
    if (this.#remembers(key) || signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(key) ?? new Set();
      this.#waiters.set(key, waiters);
      const done = () => {
        signal.removeEventListener("abort", giveUp);
        resolve();
      };
      const giveUp = () => {
        waiters.delete(done);
        if (waiters.size === 0 && this.#waiters.get(key) === waiters) this.#waiters.delete(key);
        resolve();
      };
      waiters.add(done);
      signal.addEventListener("abort", giveUp, { once: true });
    });
  }

  /** Whether the turn settled lately (in this process). */
  isSettled(actor: string, updateId: number): boolean {
    return this.#remembers(`${actor}#${updateId}`);
  }

  #remembers(key: string): boolean {
    return this.#recent.has(key) || this.#older.has(key);
  }
}
