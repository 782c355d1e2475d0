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

/**
 * Drops every generation above `live` (left by a restore that did not finish).
 *
 * @returns the number of keys deleted.
 * @example
 * ```ts
 * await dropAbove(store, store.generation);
 * ```
 */
export async function dropAbove(store: Store, live: number): Promise<number> {
  let deleted = 0;
  while (true) {
    const next = await store.kv.list(
      { start: dataPrefix(live + 1), end: dataPrefix(Number.MAX_SAFE_INTEGER) },
      { limit: 1 },
    ).next();
    if (next.done) return deleted;
    deleted += await dropGeneration(store, next.value.key[1] as number);
  }
}

/**
 * Drops every generation below the live one (what a restore replaced). Run after processes had
 * time to re-read the pointer (the daily retention does).
 *
 * @returns the number of keys deleted.
 * @example
 * ```ts
 * await dropBelow(store, await store.refreshGeneration());
 * ```
 */
export async function dropBelow(store: Store, live: number): Promise<number> {
  let deleted = 0;
  while (true) {
    const next = await store.kv.list(
      { start: dataPrefix(0), end: dataPrefix(live) },
      { limit: 1 },
    ).next();
    if (next.done) return deleted;
    deleted += await dropGeneration(store, next.value.key[1] as number);
  }
}
