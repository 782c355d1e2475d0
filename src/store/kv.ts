/**
 * The store handle: the Deno KV connection that every store function goes through, which tests
 * can make fail (closed, throwing, or full) and which can reopen, so "KV unavailable" is testable end
 * to end. Every atomic commit goes through {@linkcode atomicCommit}, which keeps the store's
 * record of whether writes work (a full disk fails writes while reads still work), for `/health`.
 *
 * On a KV file, reads go through a second connection. Each connection serves its calls one at a
 * time on its own SQLite thread, so on one connection a read waits behind a group commit's fsync
 * and the next commit waits behind the read: measured here, one read per actor drain on the
 * writer's connection cut a minimal inbox-and-turns pipeline from ~5 000 to ~2 900 updates/s,
 * and ~4 600 with the read on a second connection. SQLite's write-ahead log shows the reader
 * every commit that has resolved, so reads still see the process's own writes.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { AppError, DatabaseError, toAppError } from "../core/errors.ts";
import { randomId } from "../core/ids.ts";
import { describeKvPath, kvLocation } from "../core/kv_location.ts";
import { Tally } from "../core/tally.ts";
import { KV_LIMITS, Tx, type TxOptions } from "../core/tx.ts";
import { metaKeys } from "./keys.ts";
import { type SchemaFence } from "./schema_fence.ts";

/**
 * How a test makes the store fail: `closed` and `throwing` refuse all access; `full` fails
 * writes the way SQLite does on a full disk while reads still work.
 */
export type StoreFault = "closed" | "throwing" | "full";

/** A commit that failed because of KV (not because of what it tried to write). */
export interface CommitFailure {
  /** Epoch ms. */
  at: number;
  code: string;
  message: string;
}

const log = getLogger(["rvx", "store", "kv"]);

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
  #writer: Deno.Kv;
  #reader: Deno.Kv | null;
  /** What {@linkcode Store.kv} hands out: the writer, with reads going to the reader if any. */
  #kv: Deno.Kv;
  #fault: StoreFault | null = null;
  #generation = 1;
  /**
   * The last commit that failed because of KV, for `/health`; cleared by the next successful
   * commit. Set means the latest commit failed and none has succeeded since.
   */
  lastCommitError: CommitFailure | null = null;
  /** When the current run of failed commits began (epoch ms); null while commits succeed. */
  failingSince: number | null = null;
  /** Commits failed since {@linkcode Store.failingSince}. */
  failedCommits = 0;
  /**
   * The schema fence of a serving process (set at start, `schema_fence.ts`): fenced commits
   * check it. Null for CLI tasks and tests that need none.
   */
  fence: SchemaFence | null = null;
  /**
   * This handle's tally of runtime bookkeeping (`src/store/tally.ts` writes it): one per
   * process, as a process has one store handle (tests open two to stand for two processes).
   */
  readonly tally: Tally = new Tally(`p-${randomId(9)}`);

  /** @param reader a second connection to the same KV for reads (files only). */
  constructor(writer: Deno.Kv, readonly path: string | undefined, reader: Deno.Kv | null = null) {
    this.#writer = writer;
    this.#reader = reader;
    this.#kv = reader ? readingFrom(writer, reader) : writer;
  }

  /** The live connection; throws a {@linkcode DatabaseError} while the store is failing. */
  get kv(): Deno.Kv {
    if (this.#fault === "full") return writesFailing(this.#kv);
    if (this.#fault) {
      throw new DatabaseError(`KV is unavailable (${this.#fault})`, {
        code: "KV_UNAVAILABLE",
        details: { fault: this.#fault },
      });
    }
    return this.#kv;
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
    if (fault === "closed" && this.#fault !== "closed") this.#closeConnections();
    this.#fault = fault;
  }

  /** Opens fresh connections on the same path and clears any fault. */
  async reopen(): Promise<void> {
    if (this.#fault !== "closed") this.#closeConnections();
    const writer = await Deno.openKv(this.path);
    const reader = this.#reader ? await Deno.openKv(this.path) : null;
    this.#writer = writer;
    this.#reader = reader;
    this.#kv = reader ? readingFrom(writer, reader) : writer;
    this.#fault = null;
    await this.refreshGeneration();
  }

  close(): void {
    if (this.#fault === "closed") return;
    this.#fault = "closed";
    this.#closeConnections();
  }

  #closeConnections(): void {
    for (const kv of [this.#writer, this.#reader]) {
      try {
        kv?.close();
      } catch { /* already closed */ }
    }
  }

  /**
   * Records how a commit ended (done by {@linkcode atomicCommit}). The first failure of a run
   * and the first success after one are logged, so operators see when writes stopped and came
   * back without a line per failed commit.
   */
  noteCommit(failure: AppError | null, now = Date.now()): void {
    if (failure === null) {
      if (this.failingSince !== null) {
        log.warn("KV commits work again after {downMs} ms; {failed} commits failed meanwhile", {
          code: "KV_RECOVERED",
          downMs: now - this.failingSince,
          failed: this.failedCommits,
        });
      }
      this.lastCommitError = null;
      this.failingSince = null;
      this.failedCommits = 0;
      return;
    }
    if (this.failingSince === null) {
      this.failingSince = now;
      log.error("KV commits are failing: {code} {reason}", {
        code: failure.code,
        reason: failure.message,
      });
    }
    this.failedCommits++;
    this.lastCommitError = { at: now, code: failure.code, message: failure.message };
  }
}

/**
 * The writer connection with `get`, `getMany` and `list` served by the reader. A plain object
 * of bound methods (not a Proxy), so a benchmark can still wrap single methods of it.
 */
function readingFrom(writer: Deno.Kv, reader: Deno.Kv): Deno.Kv {
  const kv: Record<PropertyKey, unknown> = {};
  for (const name of Reflect.ownKeys(Object.getPrototypeOf(writer))) {
    const method = Reflect.get(writer, name);
    if (name !== "constructor" && typeof method === "function") kv[name] = method.bind(writer);
  }
  kv.get = reader.get.bind(reader);
  kv.getMany = reader.getMany.bind(reader);
  kv.list = reader.list.bind(reader);
  return kv as unknown as Deno.Kv;
}

/** The connection with every write failing as on a full disk (SQLite's message), reads intact. */
function writesFailing(kv: Deno.Kv): Deno.Kv {
  const full = () => Promise.reject(new TypeError("database or disk is full"));
  return new Proxy(kv, {
    get(target, property) {
      if (property === "atomic") {
        return () => Object.assign(target.atomic(), { commit: full });
      }
      if (property === "set" || property === "delete" || property === "enqueue") return full;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Opens KV at `path` (a file, `:memory:`, an `http(s)://` KV Connect URL, or undefined for Deno
 * Deploy's managed KV) and reads the generation pointer. A file gets its directory created and a
 * second connection for reads; every other location is passed to `Deno.openKv` as it is, on one
 * connection.
 *
 * @example
 * ```ts
 * const store = await openStore("./data/rvx.kv");
 * ```
 */
export async function openStore(path: string | undefined): Promise<Store> {
  const location = kvLocation(path);
  try {
    if (location === "file") {
      const dir = path!.replace(/[\\/][^\\/]*$/, "");
      if (dir && dir !== path) await Deno.mkdir(dir, { recursive: true });
    }
    const writer = await Deno.openKv(path);
    const store = new Store(writer, path, location === "file" ? await Deno.openKv(path) : null);
    await store.refreshGeneration();
    return store;
  } catch (err) {
    throw openFailure(err, path);
  }
}

function openFailure(err: unknown, path: string | undefined): AppError {
  const where = describeKvPath(path);
  if (kvLocation(path) !== "remote") return toAppError(err, { operation: "kv.open", path: where });
  const reason = (err instanceof Error ? err.message : String(err)).replaceAll(path!, where);
  return new DatabaseError(`Could not open the KV at ${where}: ${reason}`, {
    code: "KV_UNREACHABLE",
    details: { operation: "kv.open", path: where },
    cause: err,
  });
}

/** SQLite's "busy" answers: another connection on the same file is writing; nothing was applied. */
const BUSY = /database is (locked|busy)/i;
/** SQLite's SQLITE_FULL: the disk (or the file system KV lives on) has no room to grow. */
const FULL = /database or disk is full/i;

/**
 * What a failed commit means: a {@linkcode DatabaseError} when KV itself failed (a full disk
 * gets its own code, `KV_DISK_FULL`, since it needs an operator and not a restart), else the
 * error as converted by `toAppError` (e.g. a value over KV's limits: a bug, not an outage).
 */
function commitFailure(err: unknown): AppError {
  if (err instanceof Error && FULL.test(err.message)) {
    return new DatabaseError("KV is full: writes fail until disk space is freed", {
      code: "KV_DISK_FULL",
      details: { operation: "kv.commit" },
      cause: err,
    });
  }
  return toAppError(err, { operation: "kv.commit" });
}

/** Options of {@linkcode atomicCommit}. */
export interface AtomicCommitOptions {
  /**
   * Check the store's schema fence too (when it has one): a commit it refuses, or whose fence
   * check fails, throws its `SchemaFenceError` and writes nothing. @default false
   */
  fenced?: boolean;
}

/**
 * Builds and commits an atomic operation, building it anew and trying again (briefly) while
 * another connection on the same KV file holds the write lock. Every outcome is noted on the
 * store (see {@linkcode Store.noteCommit}); a KV failure is thrown as a
 * {@linkcode DatabaseError}. A fenced commit carries one schema check besides what `build` adds.
 *
 * @example
 * ```ts
 * const result = await atomicCommit(store, (op) => op.check(entry).set(entry.key, value));
 * ```
 */
export async function atomicCommit(
  store: Store,
  build: (op: Deno.AtomicOperation) => Deno.AtomicOperation,
  options: AtomicCommitOptions = {},
): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
  const fence = options.fenced ? store.fence : null;
  if (fence && !fence.open) throw fence.refusal();
  for (let attempt = 1;; attempt++) {
    let result: Deno.KvCommitResult | Deno.KvCommitError;
    try {
      const op = build(store.kv.atomic());
      result = await (fence ? op.check(fence.check) : op).commit();
      store.noteCommit(null);
    } catch (err) {
      if (err instanceof Error && BUSY.test(err.message) && attempt < 50) {
        // A real (not injected) pause: this is lock contention, not application time.
        await new Promise((resolve) => setTimeout(resolve, Math.min(50, attempt * 2)));
        continue;
      }
      const failure = commitFailure(err);
      if (failure instanceof DatabaseError) {
        store.noteCommit(failure);
        throw failure;
      }
      throw err;
    }
    // A failed check may be the fence's: then the KV moved on, whatever else failed.
    if (!result.ok && fence && !await fence.confirm()) throw fence.refusal();
    return result;
  }
}

/**
 * Checks that KV takes writes: one tiny write (a timestamp under a meta key), noted like any
 * commit. `/health` runs it only while the last commit failed, to see writes work again even
 * when nothing else writes.
 *
 * @returns true when the write went through.
 * @example
 * ```ts
 * if (store.lastCommitError && await probeWrite(store, Date.now())) console.log("writes are back");
 * ```
 */
export async function probeWrite(store: Store, now: number): Promise<boolean> {
  try {
    await atomicCommit(store, (op) => op.set(metaKeys.writeProbe, now));
    return true;
  } catch {
    return false;
  }
}

/**
 * Commits a staged tx, saying whether its checks held and, when they did, the commit's
 * versionstamp: a group committer's `submit`, or a commit of the tx's own.
 */
export type StagedCommit = (
  tx: Tx,
) => Promise<{ ok: true; versionstamp: string } | { ok: false }>;

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
  if (store.fence && tx.checks.length >= KV_LIMITS.maxChecks) {
    // The fence's check is what keeps an old version out of a newer layout: never dropped.
    throw new AppError(
      `A commit may hold ${KV_LIMITS.maxChecks - 1} checks of its own (one is the schema fence's)`,
      { code: "TX_TOO_MANY_CHECKS", details: { checks: tx.checks.length } },
    );
  }
  try {
    const result = await atomicCommit(
      store,
      (op) => op.check(...tx.checks).mutate(...tx.mutations),
      { fenced: true },
    );
    if (!result.ok) return null;
    store.tally.add(tx.tallies);
    return result.versionstamp;
  } catch (err) {
    throw toAppError(err, { operation: "kv.commit" });
  }
}

/** How many keys one `getMany` may name. */
const GET_MANY_MAX = 10;

/**
 * Reads any number of keys, {@linkcode GET_MANY_MAX} a call, the entries in the keys' order.
 *
 * @example
 * ```ts
 * const entries = await getEntries<AuditRow>(store, ids.map((id) => rowKey(id)));
 * ```
 */
export async function getEntries<T>(
  store: Store,
  keys: readonly Deno.KvKey[],
): Promise<Deno.KvEntryMaybe<T>[]> {
  const calls: Promise<Deno.KvEntryMaybe<T>[]>[] = [];
  for (let i = 0; i < keys.length; i += GET_MANY_MAX) {
    calls.push(store.kv.getMany<T[]>(keys.slice(i, i + GET_MANY_MAX)));
  }
  return (await Promise.all(calls)).flat();
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
