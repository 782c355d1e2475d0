/**
 * Number sequences shared by processes (local update ids, local user numbers), handed out in
 * blocks so a busy local chat does not commit once per id.
 *
 * @module
 */
import { AppError } from "../core/errors.ts";
import { atomicCommit, type Store } from "./kv.ts";

/**
 * Reserves `count` consecutive numbers of the sequence at `key` and returns the first.
 *
 * @example
 * ```ts
 * const first = await reserveBlock(store, runtimeKeys.localUpdateSeq, 100); // first..first+99
 * ```
 */
export async function reserveBlock(store: Store, key: Deno.KvKey, count: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const current = await store.kv.get<number>(key);
    const first = (current.value ?? 0) + 1;
    const result = await atomicCommit(store, (op) => op.check(current).set(key, first + count - 1));
    if (result.ok) return first;
  }
  throw new AppError("Cannot reserve sequence numbers: too much contention", {
    code: "SEQUENCE_CONTENTION",
  });
}

/**
 * Hands out numbers one by one from blocks reserved in KV.
 *
 * @example
 * ```ts
 * const ids = new Sequence(store, runtimeKeys.localUpdateSeq);
 * const updateId = await ids.next();
 * ```
 */
export class Sequence {
  #next = 0;
  #end = 0;
  #refill: Promise<void> | null = null;

  constructor(readonly store: Store, readonly key: Deno.KvKey, readonly blockSize = 100) {}

  async next(): Promise<number> {
    while (this.#next >= this.#end) {
      this.#refill ??= reserveBlock(this.store, this.key, this.blockSize).then((first) => {
        this.#next = first;
        this.#end = first + this.blockSize;
      }).finally(() => this.#refill = null);
      await this.#refill;
    }
    return this.#next++;
  }
}
