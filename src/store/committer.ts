/**
 * Group commit: many callers' staged txs go to KV in one atomic operation. One commit is in
 * flight per committer; whatever queued meanwhile is flushed as soon as it finishes (the
 * "classic" group commit measured best, docs/ARCHITECTURE.md).
 *
 * @module
 */
import { DatabaseError } from "../core/errors.ts";
import { KV_LIMITS, type Tx } from "../core/tx.ts";
import { atomicCommit, getEntries, type Store } from "./kv.ts";

/** The outcome for one submitted tx. */
export type CommitOutcome =
  | { ok: true; versionstamp: string }
  /** One of this tx's own checks failed; nothing of it was written. */
  | { ok: false; failedChecks: Deno.AtomicCheck[] };

interface Pending {
  tx: Tx;
  resolve(outcome: CommitOutcome): void;
  reject(error: unknown): void;
}

/** Options of {@linkcode GroupCommitter}. */
export interface GroupCommitterOptions {
  /** @default 100 (KV's limit) */
  maxChecks?: number;
  /** @default 1000 (KV's limit) */
  maxMutations?: number;
  /** @default 800 KiB (KV's limit) */
  maxBytes?: number;
}

function keyId(key: Deno.KvKey): string {
  return key.map((part) =>
    part instanceof Uint8Array ? `u:${part.join(",")}` : `${typeof part}:${String(part)}`
  ).join("\u0000");
}

/** Whether the tx writes the key of id `id` (see {@linkcode keyId}). */
function writes(tx: Tx, id: string): boolean {
  return tx.mutations.some((m) => keyId(m.key) === id);
}

/**
 * Commits are fenced by the store's schema fence (`schema_fence.ts`) when it has one: a
 * refused or failed fence check rejects every tx of the batch with a `SchemaFenceError`.
 *
 * @example
 * ```ts
 * const committer = new GroupCommitter(store);
 * const outcome = await committer.submit(tx);
 * if (!outcome.ok) reportConflict(outcome.failedChecks);
 * ```
 */
export class GroupCommitter {
  readonly #store: Store;
  readonly #maxChecks: number;
  readonly #maxMutations: number;
  readonly #maxBytes: number;
  #queue: Pending[] = [];
  #inFlight = false;
  /** The batch being committed has txs sharing an identical check (see `#takeBatch`). */
  #sharedChecks = false;
  /** Atomic commits made (for benchmarks: commits per update). */
  commits = 0;

  constructor(store: Store, options: GroupCommitterOptions = {}) {
    this.#store = store;
    this.#maxChecks = options.maxChecks ?? KV_LIMITS.maxChecks;
    this.#maxMutations = options.maxMutations ?? KV_LIMITS.maxMutations;
    this.#maxBytes = options.maxBytes ?? KV_LIMITS.maxBytes;
  }

  /** Queued txs not yet committed. */
  get backlog(): number {
    return this.#queue.length;
  }

  /** Resolves once the tx is durable, or with the checks of its own that failed. */
  submit(tx: Tx): Promise<CommitOutcome> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ tx, resolve, reject });
      if (!this.#inFlight) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#inFlight = true;
    try {
      while (this.#queue.length > 0) await this.#flush(this.#takeBatch());
    } finally {
      this.#inFlight = false;
    }
  }

  /**
   * Takes queued txs that fit KV's limits together. A check identical to one already in the
   * batch (same key, same versionstamp) joins it and counts once, unless a tx checking that key
   * also writes it (then the second must see the first's write, as if committed alone); a check
   * of a key already checked at another versionstamp, or of a key a tx already in the batch
   * writes, makes its tx wait for the next batch: an atomic checks everything before it writes
   * anything, so that check would pass where a commit of its own would fail (a session sweep
   * would overwrite the turn that just renewed the session).
   */
  #takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    const checked = new Map<string, { versionstamp: string | null; by: Tx[] }>();
    /** Keys the batch's txs set or delete. */
    const written = new Set<string>();
    // The schema fence's check rides on every atomic (atomicCommit adds it).
    const maxChecks = this.#maxChecks - (this.#store.fence ? 1 : 0);
    let checks = 0, mutations = 0, bytes = 0;
    let shared = false;
    for (const pending of this.#queue) {
      const { tx } = pending;
      let added = 0;
      let clash = false;
      const ids = tx.checks.map((check) => {
        const id = keyId(check.key);
        const seen = checked.get(id);
        if (written.has(id)) clash = true;
        if (!seen) added++;
        else if (seen.versionstamp !== check.versionstamp) clash = true;
        else if ([tx, ...seen.by].some((t) => writes(t, id))) clash = true;
        return id;
      });
      const fits = checks + added <= maxChecks &&
        mutations + tx.mutations.length <= this.#maxMutations &&
        bytes + tx.bytes <= this.#maxBytes;
      if (batch.length > 0 && (!fits || clash)) {
        rest.push(pending);
        continue;
      }
      batch.push(pending);
      shared ||= added < ids.length;
      ids.forEach((id, i) => {
        const seen = checked.get(id);
        if (seen) seen.by.push(tx);
        else checked.set(id, { versionstamp: tx.checks[i].versionstamp, by: [tx] });
      });
      for (const mutation of tx.mutations) {
        if (mutation.type !== "sum") written.add(keyId(mutation.key));
      }
      checks += added;
      mutations += tx.mutations.length;
      bytes += tx.bytes;
    }
    this.#queue = rest;
    this.#sharedChecks = shared;
    return batch;
  }

  async #flush(batch: Pending[]): Promise<void> {
    let remaining = batch;
    while (remaining.length > 0) {
      let result: Deno.KvCommitResult | Deno.KvCommitError;
      try {
        result = await this.#commit(remaining);
      } catch (error) {
        // A fence refusal (a DatabaseError too) fails every tx of the batch alike.
        if (remaining.length > 1 && !(error instanceof DatabaseError)) {
          // KV refused what one tx writes (a malformed key, say), not KV itself: commit each
          // alone, so only that tx fails.
          for (const pending of remaining) await this.#flush([pending]);
          return;
        }
        for (const pending of remaining) pending.reject(error);
        return;
      }
      if (result.ok) {
        for (const pending of remaining) {
          this.#store.tally.add(pending.tx.tallies);
          pending.resolve({ ok: true, versionstamp: result.versionstamp });
        }
        return;
      }
      // Find whose checks failed; they get their conflict, the others are committed again.
      let failed: Map<Pending, Deno.AtomicCheck[]>;
      try {
        failed = await this.#failedChecks(remaining);
      } catch (error) {
        for (const pending of remaining) pending.reject(error);
        return;
      }
      for (const [pending, failedChecks] of failed) pending.resolve({ ok: false, failedChecks });
      remaining = remaining.filter((p) => !failed.has(p));
    }
  }

  #commit(batch: Pending[]): Promise<Deno.KvCommitResult | Deno.KvCommitError> {
    const fence = this.#store.fence;
    if (fence && !fence.open) return Promise.reject(fence.refusal());
    this.commits++;
    return atomicCommit(this.#store, (op) => this.#build(op, batch), { fenced: true });
  }

  #build(op: Deno.AtomicOperation, batch: Pending[]): Deno.AtomicOperation {
    const sums = new Map<string, { key: Deno.KvKey; value: bigint }>();
    const others: Deno.KvMutation[] = [];
    const checked = this.#sharedChecks ? new Set<string>() : null;
    for (const { tx } of batch) {
      for (const check of tx.checks) {
        if (!checked) {
          op.check(check);
          continue;
        }
        // Identical checks were let into one batch (#takeBatch): one of each counts.
        const id = keyId(check.key);
        if (checked.has(id)) continue;
        checked.add(id);
        op.check(check);
      }
      for (const mutation of tx.mutations) {
        if (mutation.type !== "sum") {
          others.push(mutation);
          continue;
        }
        // Sums on one key from many txs become one mutation (counters are hot keys).
        const id = keyId(mutation.key);
        const value = (mutation.value as Deno.KvU64).value;
        const existing = sums.get(id);
        if (existing) existing.value = (existing.value + value) % 2n ** 64n;
        else sums.set(id, { key: mutation.key, value });
      }
    }
    op.mutate(...others);
    for (const { key, value } of sums.values()) op.sum(key, value);
    return op;
  }

  async #failedChecks(batch: Pending[]): Promise<Map<Pending, Deno.AtomicCheck[]>> {
    const keys = new Map<string, Deno.KvKey>();
    for (const { tx } of batch) for (const c of tx.checks) keys.set(keyId(c.key), c.key);
    const current = new Map<string, string | null>();
    const entries = await getEntries(this.#store, [...keys.values()]);
    [...keys.keys()].forEach((id, i) => current.set(id, entries[i].versionstamp));
    const failed = new Map<Pending, Deno.AtomicCheck[]>();
    for (const pending of batch) {
      const bad = pending.tx.checks.filter((c) => current.get(keyId(c.key)) !== c.versionstamp);
      if (bad.length > 0) failed.set(pending, bad);
    }
    // A batch can fail on a check that passes when re-read (a concurrent write came and went);
    // then committing the rest again is still right, so an empty map just means "retry".
    return failed;
  }
}
