/**
 * "This update's turn settled in this process": what the webhook waits for when it runs turns
 * inside the request (docs/DEPLOY.md, "Turns inside the webhook request"). A turn is settled when
 * its update is done: committed, found done already, or moved to the dead letters. A turn that
 * another process runs (its owner holds the actor's lease) never settles here; its waiter gives
 * up at its own deadline.
 *
 * @module
 */

/** How many settled turns are remembered for a waiter that arrives just after the commit. */
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
  /** Recently settled keys, oldest first (a Set keeps insertion order). */
  readonly #recent = new Set<string>();

  /** Marks the turn of `updateId` for `actor` settled, waking its waiters. */
  settle(actor: string, updateId: number): void {
    const key = `${actor}#${updateId}`;
    this.#recent.add(key);
    if (this.#recent.size > REMEMBERED) {
      this.#recent.delete(this.#recent.values().next().value!);
    }
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
    if (this.#recent.has(key) || signal.aborted) return Promise.resolve();
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
    return this.#recent.has(`${actor}#${updateId}`);
  }
}
