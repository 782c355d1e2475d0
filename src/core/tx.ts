/**
 * The staging area: a list of KV checks and mutations collected by store functions and
 * committed together in one atomic operation (by a turn, a job batch, or `commitTx`).
 *
 * @module
 */
import { AppError } from "./errors.ts";
import { addCounts } from "./tally.ts";

/** Deno KV's limits for one atomic operation (docs/ARCHITECTURE.md, "Deno KV facts"). */
export const KV_LIMITS = {
  maxChecks: 100,
  maxMutations: 1000,
  maxBytes: 800 * 1024,
  maxValueBytes: 65_536,
  maxKeyBytes: 2048,
} as const;

/** The budget of one turn: below KV's limits so a turn can share an atomic with its bookkeeping. */
export const TURN_BUDGET = { maxMutations: 900, maxBytes: 700 * 1024 } as const;

/** Options of {@linkcode Tx}. */
export interface TxOptions {
  /** The data generation the tx writes into (docs/OPERATIONS.md, "Backups"). */
  generation: number;
  /** @default KV_LIMITS.maxMutations */
  maxMutations?: number;
  /** @default KV_LIMITS.maxBytes */
  maxBytes?: number;
  /** The error code when the budget is exceeded. @default "TX_TOO_LARGE" */
  overflowCode?: string;
}

const U64 = 2n ** 64n;

/**
 * A staging area. Store functions take one first and add to it; nothing reaches KV until the
 * owner commits it.
 *
 * @example Stage two writes and commit them outside a turn
 * ```ts
 * const tx = store.tx();
 * profiles.addXp(tx, 42, 10);
 * audit.record(tx, { user_id: 42, action: "xp", status: "ok" });
 * await commitTx(store, tx);
 * ```
 */
export class Tx {
  readonly generation: number;
  readonly checks: Deno.AtomicCheck[] = [];
  readonly mutations: Deno.KvMutation[] = [];
  /**
   * Counts for the process's tally (`src/core/tally.ts`), added by whoever commits this tx once
   * it is durable: bookkeeping that costs no mutation.
   */
  readonly tallies = new Map<string, number>();
  #bytes = 0;
  readonly #maxMutations: number;
  readonly #maxBytes: number;
  readonly #overflowCode: string;

  constructor(options: TxOptions) {
    this.generation = options.generation;
    this.#maxMutations = options.maxMutations ?? KV_LIMITS.maxMutations;
    this.#maxBytes = options.maxBytes ?? KV_LIMITS.maxBytes;
    this.#overflowCode = options.overflowCode ?? "TX_TOO_LARGE";
  }

  /** Approximate bytes staged (keys and values). */
  get bytes(): number {
    return this.#bytes;
  }

  get isEmpty(): boolean {
    return this.checks.length === 0 && this.mutations.length === 0;
  }

  /** Requires `key` to still have `versionstamp` (null: to be absent) at commit. */
  check(key: Deno.KvKey, versionstamp: string | null): this {
    this.checks.push({ key, versionstamp });
    this.#account(estimateBytes(key) + 10);
    return this;
  }

  /**
   * Stages a write. `options.bytes` is the value's size when the caller already knows it (at
   * most a bound), saving the walk over a large value that estimating it takes.
   */
  set(key: Deno.KvKey, value: unknown, options: { expireIn?: number; bytes?: number } = {}): this {
    const size = options.bytes ?? estimateBytes(value);
    if (size > KV_LIMITS.maxValueBytes) {
      throw new AppError(`Cannot stage value of ~${size} bytes: KV allows 65536`, {
        code: "VALUE_TOO_LARGE",
        details: { key: key.slice(0, 3).map(String) },
      });
    }
    this.mutations.push({ type: "set", key, value, expireIn: options.expireIn });
    this.#account(estimateBytes(key) + size);
    return this;
  }

  delete(key: Deno.KvKey): this {
    this.mutations.push({ type: "delete", key });
    this.#account(estimateBytes(key));
    return this;
  }

  /** Adds `n` (which may be negative: KV sums wrap modulo 2^64) to a counter. */
  sum(key: Deno.KvKey, n: number | bigint): this {
    const value = ((BigInt(n) % U64) + U64) % U64;
    this.mutations.push({ type: "sum", key, value: new Deno.KvU64(value) });
    this.#account(estimateBytes(key) + 8);
    return this;
  }

  /**
   * Adds `by` (may be negative) to a count of the process's tally once this tx commits; nothing
   * is written to KV for it (docs/ARCHITECTURE.md, "Runtime tallies").
   */
  tally(name: string, by = 1): this {
    this.tallies.set(name, (this.tallies.get(name) ?? 0) + by);
    return this;
  }

  /** Moves everything staged in `other` into this tx. */
  absorb(other: Tx): this {
    for (const c of other.checks) this.checks.push(c);
    for (const m of other.mutations) this.mutations.push(m);
    addCounts(this.tallies, other.tallies);
    this.#account(other.bytes);
    return this;
  }

  #account(bytes: number): void {
    this.#bytes += bytes;
    if (this.mutations.length > this.#maxMutations || this.#bytes > this.#maxBytes) {
      throw new AppError(
        `Cannot stage more: ${this.mutations.length} mutations, ~${this.#bytes} bytes exceed the budget`,
        {
          code: this.#overflowCode,
          details: { mutations: this.mutations.length, bytes: this.#bytes },
        },
      );
    }
  }
}

/** Reads a KV sum as a signed number (sums below zero wrapped around 2^64). */
export function signedCount(value: Deno.KvU64 | bigint | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const raw = typeof value === "bigint" ? value : value.value;
  return Number(raw >= U64 / 2n ? raw - U64 : raw);
}

const encoder = new TextEncoder();
/** A character V8 cannot store in one byte. */
const WIDE = /[\u0100-\uffff]/;

/** A quick, slightly generous estimate of how many bytes KV will need for a key or value. */
export function estimateBytes(value: unknown): number {
  if (value === null || value === undefined) return 1;
  switch (typeof value) {
    case "string":
      // Keys are UTF-8; values are V8-serialized, where a string with any character above
      // U+00FF (an emoji, Cyrillic) takes two bytes for every character, ASCII included.
      if (value.length < 256) return value.length * 3;
      return Math.max(WIDE.test(value) ? value.length * 2 : 0, encoder.encode(value).length);
    case "number":
    case "bigint":
    case "boolean":
      return 9;
  }
  if (value instanceof Uint8Array) return value.byteLength + 4;
  if (value instanceof Deno.KvU64 || value instanceof Date) return 9;
  if (Array.isArray(value)) {
    let n = 2;
    for (const item of value) n += estimateBytes(item) + 1;
    return n;
  }
  let n = 2;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    n += k.length + estimateBytes(v) + 2;
  }
  return n;
}
