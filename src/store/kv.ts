/**
 * The store handle: one Deno KV connection that every store function goes through, which tests
 * can make fail (closed, or throwing) and which can reopen, so "KV unavailable" is testable end
 * to end.
 *
 * @module
 */
import { DatabaseError, toAppError } from "../core/errors.ts";
import { Tx, type TxOptions } from "../core/tx.ts";
import { metaKeys } from "./keys.ts";

/** How a test makes the store fail. */
export type StoreFault = "closed" | "throwing";

/**
 * A handle on Deno KV plus the current data generation.
 *
 * @example
 * ```ts
 * const store = await openStore(":memory:");
 * const entry = await store.kv.get(["meta", "schema_version"]);
 * store.close();
 * ```
 */
export class Store {
  #kv: Deno.Kv;
  #fault: StoreFault | null = null;
  #generation = 1;
  /** The last commit failure, for `/health`; cleared by the next successful commit. */
  lastCommitError: { at: number; code: string; message: string } | null = null;

  constructor(kv: Deno.Kv, readonly path: string | undefined) {
    this.#kv = kv;
  }

  /** The live connection; throws a {@linkcode DatabaseError} while the store is failing. */
  get kv(): Deno.Kv {
    if (this.#fault) {
      throw new DatabaseError(`KV is unavailable (${this.#fault})`, {
        code: "KV_UNAVAILABLE",
        details: { fault: this.#fault },
      });
    }
    return this.#kv;
  }

  get available(): boolean {
    return this.#fault === null;
  }

  /** The data generation that reads and new txs use. */
  get generation(): number {
    return this.#generation;
  }

  /** A new staging area in the current generation. */
  tx(options: Omit<TxOptions, "generation"> = {}): Tx {
    return new Tx({ generation: this.#generation, ...options });
  }

  /** Re-reads the generation pointer (after a restore elsewhere switched it). */
  async refreshGeneration(): Promise<number> {
    const entry = await this.kv.get<number>(metaKeys.generation);
    this.#generation = entry.value ?? 1;
    return this.#generation;
  }

  /** Makes the store fail: `closed` really closes the connection, `throwing` refuses all access. */
  injectFault(fault: StoreFault): void {
    if (fault === "closed" && this.#fault !== "closed") this.#kv.close();
    this.#fault = fault;
  }

  /** Opens a fresh connection on the same path and clears any fault. */
  async reopen(): Promise<void> {
    if (this.#fault !== "closed") {
      try {
        this.#kv.close();
      } catch { /* already closed */ }
    }
    this.#kv = await Deno.openKv(this.path);
    this.#fault = null;
    await this.refreshGeneration();
  }

  close(): void {
    if (this.#fault === "closed") return;
    this.#fault = "closed";
    this.#kv.close();
  }
}

/**
 * Opens KV at `path` (a file, `:memory:`, or undefined for Deno Deploy's managed KV) and reads
 * the generation pointer.
 *
 * @example
 * ```ts
 * const store = await openStore("./data/rvx.kv");
 * ```
 */
export async function openStore(path: string | undefined): Promise<Store> {
  if (path && path !== ":memory:") {
    const dir = path.replace(/[\\/][^\\/]*$/, "");
    if (dir && dir !== path) await Deno.mkdir(dir, { recursive: true });
  }
  try {
    const store = new Store(await Deno.openKv(path), path);
    await store.refreshGeneration();
    return store;
  } catch (err) {
    throw toAppError(err, { operation: "kv.open", path });
  }
}

/** SQLite's "busy" answers: another connection on the same file is writing; nothing was applied. */
const BUSY = /database is (locked|busy)/i;

/**
 * Builds and commits an atomic operation, building it anew and trying again (briefly) while
 * another connection on the same KV file holds the write lock.
 *
 * @example
 * ```ts
 * const result = await atomicCommit(store, (op) => op.check(entry).set(entry.key, value));
 * ```
 */
export async function atomicCommit(
  store: Store,
  build: (op: Deno.AtomicOperation) => Deno.AtomicOperation,
): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
  for (let attempt = 1;; attempt++) {
    try {
      return await build(store.kv.atomic()).commit();
    } catch (err) {
      if (!(err instanceof Error) || !BUSY.test(err.message) || attempt >= 50) throw err;
      // A real (not injected) pause: this is lock contention, not application time.
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, attempt * 2)));
    }
  }
}

/**
 * Commits a staging area in one atomic operation, outside turns.
 *
 * @returns the commit's versionstamp, or null when a check failed.
 * @example
 * ```ts
 * const tx = store.tx();
 * tx.set(["meta", "example"], 1);
 * await commitTx(store, tx);
 * ```
 */
export async function commitTx(store: Store, tx: Tx): Promise<string | null> {
  if (tx.isEmpty) return null;
  try {
    const result = await atomicCommit(
      store,
      (op) => op.check(...tx.checks).mutate(...tx.mutations),
    );
    store.lastCommitError = null;
    return result.ok ? result.versionstamp : null;
  } catch (err) {
    const appError = toAppError(err, { operation: "kv.commit" });
    store.lastCommitError = { at: Date.now(), code: appError.code, message: appError.message };
    throw appError;
  }
}

/**
 * The values under a key prefix, in key order or (`reverse`) newest first for time-ordered keys.
 *
 * @example
 * ```ts
 * const latest = await listValues<HistoryItem>(store, prefix, { reverse: true, limit: 10 });
 * ```
 */
export async function listValues<T>(
  store: Store,
  prefix: Deno.KvKey,
  options: Deno.KvListOptions = {},
): Promise<T[]> {
  const values: T[] = [];
  for await (const entry of store.kv.list<T>({ prefix }, options)) values.push(entry.value);
  return values;
}
