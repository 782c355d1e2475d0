/**
 * The schema fence (docs/OPERATIONS.md, "Upgrading"): a serving process reads the schema version
 * record and its versionstamp once, and every commit of its turns, ingest and lease take-overs
 * checks that versionstamp (once per atomic, however many txs a group commit merges). A newer
 * version's migration rewrites the record before it changes anything, so from its first step on
 * every commit of an older process fails its check: the fence then stops for good, refuses every
 * later commit without trying it, and logs once, at critical level, why.
 *
 * A process whose code is newer than the KV (on Deno Deploy, where only `deno task setup`
 * migrates), or that starts while a migration runs, waits instead: it refuses commits and
 * re-reads the record at most every {@linkcode SCHEMA_RECHECK_MS}, and opens as soon as the
 * schema is its own.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Clock } from "../core/clock.ts";
import { DatabaseError } from "../core/errors.ts";
import { metaKeys } from "./keys.ts";
import { type Store } from "./kv.ts";
import { isLeaseLive } from "./leases.ts";
import { SCHEMA_VERSION } from "./migrations.ts";

/** The lease a process migrating the schema holds; newer processes wait while it is live. */
export const MIGRATION_LEASE = "migration";
/** How often a waiting process re-reads the schema record (at most). */
export const SCHEMA_RECHECK_MS = 3000;

/**
 * `current`: commits go through; `waiting`: the KV is behind this code or a migration runs
 * (re-checked); `stopped`: the KV moved on to a newer schema (for good).
 */
export type SchemaFenceStatus = "current" | "waiting" | "stopped";

/**
 * A commit refused by the schema fence: `SCHEMA_CHANGED` (a newer version migrated the KV: this
 * process stops) or `SCHEMA_BEHIND` (the KV is not migrated to this code's schema yet). A
 * {@linkcode DatabaseError}, so HTTP answers 503 with its code and Telegram keeps the update for a
 * process that can take it; unlike KV failing, retrying the same commit cannot help.
 */
export class SchemaFenceError extends DatabaseError {
  constructor(message: string, code: "SCHEMA_CHANGED" | "SCHEMA_BEHIND", stored: number | null) {
    super(message, {
      code,
      level: "warning",
      userMessage: "error_unavailable",
      details: { stored_schema: stored, code_schema: SCHEMA_VERSION },
    });
    this.name = "SchemaFenceError";
  }
}

/** What `/health` shows of the fence. */
export interface SchemaFenceReport {
  status: SchemaFenceStatus;
  /** The schema this code writes. */
  code: number;
  /** The schema the KV holds, as last read. */
  stored: number | null;
  error_code: string | null;
  /** Why commits are refused, or null. */
  reason: string | null;
}

const log = getLogger(["rvx", "store", "schema"]);

/**
 * @example
 * ```ts
 * store.fence = await SchemaFence.open(store, clock);
 * if (!await store.fence.ready()) throw store.fence.refusal();
 * ```
 */
export class SchemaFence {
  readonly codeVersion: number;
  readonly #store: Store;
  readonly #clock: Clock;
  #status: SchemaFenceStatus = "waiting";
  #stored: number | null = null;
  #versionstamp: string | null = null;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #reading: Promise<void> | null = null;
  #waitLogged = false;

  private constructor(store: Store, clock: Clock, codeVersion: number) {
    this.#store = store;
    this.#clock = clock;
    this.codeVersion = codeVersion;
  }

  /** Reads the schema record and whether a migration runs, and starts from what they say. */
  static async open(
    store: Store,
    clock: Clock,
    codeVersion = SCHEMA_VERSION,
  ): Promise<SchemaFence> {
    const fence = new SchemaFence(store, clock, codeVersion);
    await fence.#read();
    return fence;
  }

  get status(): SchemaFenceStatus {
    return this.#status;
  }

  /** Whether commits may go through now. */
  get open(): boolean {
    return this.#status === "current";
  }

  /** The check every fenced commit carries (only while {@linkcode SchemaFence.open}). */
  get check(): Deno.AtomicCheck {
    return { key: metaKeys.schemaVersion, versionstamp: this.#versionstamp };
  }

  /** What `/health` reports. */
  report(): SchemaFenceReport {
    const refusal = this.open ? null : this.refusal();
    return {
      status: this.#status,
      code: this.codeVersion,
      stored: this.#stored,
      error_code: refusal?.code ?? null,
      reason: refusal?.message ?? null,
    };
  }

  /** The error a refused commit (or request) gets. */
  refusal(): SchemaFenceError {
    if (this.#status === "stopped") {
      return new SchemaFenceError(
        `KV moved to schema ${this.#stored}; this process runs schema ${this.codeVersion} and stopped: deploy the new version`,
        "SCHEMA_CHANGED",
        this.#stored,
      );
    }
    const stored = this.#stored ?? 0;
    return new SchemaFenceError(
      `KV is at schema ${stored}, this code needs ${this.codeVersion}: waiting for the migration (\`deno task setup\`)`,
      "SCHEMA_BEHIND",
      this.#stored,
    );
  }

  /**
   * Whether commits may go through; while waiting, re-reads the record first when the last
   * read is {@linkcode SCHEMA_RECHECK_MS} old (concurrent callers share one read).
   */
  async ready(): Promise<boolean> {
    if (this.#status !== "waiting") return this.open;
    if (this.#clock.now() - this.#checkedAt >= SCHEMA_RECHECK_MS) await this.#shared();
    return this.open;
  }

  /**
   * After a fenced commit failed a check: re-reads the record, and stops the fence when it
   * changed (a newer version's migration began).
   *
   * @returns whether the fence is still open (the failure was some other check's).
   */
  async confirm(): Promise<boolean> {
    if (!this.open) return false;
    this.observe(await this.#store.kv.get<number>(metaKeys.schemaVersion));
    return this.open;
  }

  /** Takes a read of the schema record made elsewhere (`/health`): stops the fence if it moved. */
  observe(entry: Deno.KvEntryMaybe<number>): void {
    if (!this.open || entry.versionstamp === this.#versionstamp) return;
    this.#stop(entry.value);
  }

  #shared(): Promise<void> {
    this.#reading ??= this.#read().finally(() => this.#reading = null);
    return this.#reading;
  }

  async #read(): Promise<void> {
    const now = this.#clock.now();
    // The lease first: a migration that begins between the two reads rewrites the record, so
    // the versionstamp taken here fails the first commit (never a commit into its layout).
    const migrating = await isLeaseLive(this.#store, MIGRATION_LEASE, now);
    const entry = await this.#store.kv.get<number>(metaKeys.schemaVersion);
    this.#checkedAt = now;
    const stored = entry.value ?? 0;
    this.#stored = entry.value;
    if (stored > this.codeVersion) return this.#stop(stored);
    if (stored === this.codeVersion && !migrating) {
      this.#status = "current";
      this.#versionstamp = entry.versionstamp;
      if (this.#waitLogged) {
        log.warn("KV is at schema {stored} now: taking turns and updates again", {
          code: "SCHEMA_CURRENT",
          stored,
        });
      }
      return;
    }
    this.#status = "waiting";
    if (this.#waitLogged) return;
    this.#waitLogged = true;
    log.error(
      "KV is at schema {stored}, this code needs {expected}{migrating}: updates are refused (503) until it is migrated; run `deno task setup` (code {code})",
      {
        code: "SCHEMA_BEHIND",
        stored,
        expected: this.codeVersion,
        migrating: migrating ? " (a migration is running)" : "",
      },
    );
  }

  #stop(stored: number | null): void {
    this.#status = "stopped";
    this.#stored = stored;
    log.fatal(
      "KV moved to schema {stored}; this process runs schema {expected}: it takes no more turns or updates and commits nothing; deploy the new version (code {code})",
      {
        code: "SCHEMA_CHANGED",
        stored: stored !== null && stored === this.codeVersion
          ? `${stored} (migrating to a newer one)`
          : stored,
        expected: this.codeVersion,
      },
    );
  }
}
