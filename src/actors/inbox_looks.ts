/**
 * Whether actors have updates waiting in their inboxes, for direct turns (which run only when
 * nothing waits: another process may have queued a lower id). Looks asked for while one is in
 * flight share the next, as group commits share a write: a burst of direct turns costs one
 * read of the whole inbox, which holds little when turns run directly (docs/ARCHITECTURE.md,
 * "Direct turns").
 *
 * @module
 */
import { runtimeKeys } from "../store/keys.ts";
import { type Store } from "../store/kv.ts";

/**
 * Entries one shared look reads: past this many, the inbox holds a backlog, and each actor of
 * the batch is looked up on its own instead of paging through it.
 */
const SHARED_LOOK_ENTRIES = 16;

interface Asked {
  actor: string;
  resolve(waiting: boolean): void;
  reject(error: unknown): void;
}

/**
 * @example
 * ```ts
 * const looks = new InboxLooks(store);
 * if (await looks.waiting("u:42")) queueInstead();
 * ```
 */
export class InboxLooks {
  readonly #store: Store;
  #asked: Asked[] = [];
  #looking = false;

  constructor(store: Store) {
    this.#store = store;
  }

  /** Whether anything waits in `actor`'s inbox, as of a read that starts after this call. */
  waiting(actor: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#asked.push({ actor, resolve, reject });
      if (!this.#looking) void this.#look();
    });
  }

  async #look(): Promise<void> {
    this.#looking = true;
    while (this.#asked.length > 0) {
      const batch = this.#asked.splice(0);
      try {
        const found = batch.length === 1
          ? await this.#lookAt([batch[0].actor])
          : await this.#lookShared(batch.map((asked) => asked.actor));
        for (const asked of batch) asked.resolve(found.has(asked.actor));
      } catch (err) {
        for (const asked of batch) asked.reject(err);
      }
    }
    this.#looking = false;
  }

  /** The actors among `actors` with something waiting: one read of the front of every inbox. */
  async #lookShared(actors: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    let entries = 0;
    const list = this.#store.kv.list(
      { prefix: runtimeKeys.inboxAll },
      { limit: SHARED_LOOK_ENTRIES },
    );
    for await (const entry of list) {
      found.add(entry.key[1] as string);
      entries++;
    }
    if (entries < SHARED_LOOK_ENTRIES) return found;
    // A backlog: the page may not reach these actors' inboxes.
    for (const actor of await this.#lookAt(actors.filter((actor) => !found.has(actor)))) {
      found.add(actor);
    }
    return found;
  }

  /** The actors among `actors` with something waiting, one read each. */
  async #lookAt(actors: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    await Promise.all(actors.map(async (actor) => {
      const list = this.#store.kv.list({ prefix: runtimeKeys.inboxOf(actor) }, { limit: 1 });
      for await (const _ of list) found.add(actor);
    }));
    return found;
  }
}
