/**
 * Data generations (docs/OPERATIONS.md, "Backups"): every data key lives under a generation prefix named by a meta
 * key, so a restore writes a fresh generation and switches the pointer in one atomic commit.
 *
 * @module
 */
import { DatabaseError } from "../core/errors.ts";
import { dataPrefix, metaKeys } from "./keys.ts";
import { atomicCommit, type Store } from "./kv.ts";

/**
 * Picks an unused generation number above the current one and any left by an aborted restore.
 *
 * @example
 * ```ts
 * const next = await nextGeneration(store);
 * ```
 */
export async function nextGeneration(store: Store): Promise<number> {
  let candidate = (await store.refreshGeneration()) + 1;
  while (true) {
    const iter = store.kv.list({ prefix: dataPrefix(candidate) }, { limit: 1 });
    if ((await iter.next()).done) return candidate;
    candidate++;
  }
}

/**
 * Points the store at `next` in one atomic commit, provided the pointer still names `expected`.
 *
 * @throws {DatabaseError} `GENERATION_CONFLICT` when another process switched first.
 * @example
 * ```ts
 * await switchGeneration(store, 1, 2);
 * ```
 */
export async function switchGeneration(
  store: Store,
  expected: number,
  next: number,
): Promise<void> {
  const pointer = await store.kv.get<number>(metaKeys.generation);
  if ((pointer.value ?? 1) !== expected) {
    throw new DatabaseError(
      `Cannot switch generation: expected ${expected}, found ${pointer.value}`,
      {
        code: "GENERATION_CONFLICT",
      },
    );
  }
  const result = await atomicCommit(
    store,
    (op) => op.check(pointer).set(metaKeys.generation, next),
  );
  if (!result.ok) {
    throw new DatabaseError("Cannot switch generation: the pointer changed meanwhile", {
      code: "GENERATION_CONFLICT",
    });
  }
  await store.refreshGeneration();
}

/**
 * Deletes every key of a generation in batches (an old one after a switch, or an aborted one).
 *
 * @returns the number of keys deleted.
 * @example
 * ```ts
 * await dropGeneration(store, 1);
 * ```
 */
export async function dropGeneration(store: Store, generation: number): Promise<number> {
  if (generation === store.generation) {
    throw new DatabaseError("Cannot drop the live generation", { code: "GENERATION_LIVE" });
  }
  let deleted = 0;
  while (true) {
    const keys: Deno.KvKey[] = [];
    for await (const entry of store.kv.list({ prefix: dataPrefix(generation) }, { limit: 500 })) {
      keys.push(entry.key);
    }
    if (keys.length === 0) return deleted;
    await atomicCommit(store, (op) => {
      for (const key of keys) op.delete(key);
      return op;
    });
    deleted += keys.length;
  }
}
