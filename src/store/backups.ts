/**
 * Backups and restore (docs/OPERATIONS.md, "Backups"). A backup streams every durable family of the live generation
 * into `rvx-backup-YYYYMMDD-HHMMSS.jsonl.gz` (format: `backup_format.ts`), in `BACKUP_DIR` or, with
 * no filesystem, in KV (`backup_storage.ts`). A restore verifies the file (gzip, format, schema,
 * record count, SHA-256) before anything changes, takes a safety backup, writes a fresh
 * generation in batched atomics (each key checked absent, so the writes that succeed count the
 * keys exactly) and compares that count with the header, migrates it when the backup's schema is
 * older, stages its audit row there, and switches the generation pointer in one commit. A crash
 * at any point leaves the old generation live; the next restore drops the half-written one first.
 *
 * Both hold the `maintenance` lease (seconds, renewed while working): turns pause while it is
 * live, so the export is a consistent snapshot and no turn commits across a switch.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { getLogger } from "@logtape/logtape";
import { type Clock } from "../core/clock.ts";
import { AppError, DatabaseError, ValidationError } from "../core/errors.ts";
import { randomId } from "../core/ids.ts";
import { estimateBytes, KV_LIMITS, Tx } from "../core/tx.ts";
import * as audit from "./audit.ts";
import {
  type BackupHeader,
  backupName,
  backupTime,
  encodeKey,
  FORMAT_VERSION,
  headerLine,
  parseHeader,
  parseRecordLine,
  recordLine,
} from "./backup_format.ts";
import {
  type BackupInfo,
  type BackupStorage,
  type Bytes,
  fileBackupStorage,
  kvBackupStorage,
} from "./backup_storage.ts";
import { DATA_FAMILIES, type DataFamily, dataKey, dataPrefix } from "./keys.ts";
import { atomicCommit, commitTx, type Store } from "./kv.ts";
import { dropGeneration, nextGeneration, switchGeneration } from "./generations.ts";
import { LeaseKeeper } from "./lease_keeper.ts";
import { type HeldLease } from "./leases.ts";
import { MAINTENANCE_LEASE } from "./leases.ts";
import { migrateGeneration, SCHEMA_VERSION } from "./migrations.ts";

export { type BackupInfo } from "./backup_storage.ts";

export { MAINTENANCE_LEASE } from "./leases.ts";

/** The job kind of a backup asked for in the bot (`/backup`). */
export const BACKUP_JOB = "backup";

/** What a long operation is doing, for progress displays. */
export type BackupPhase = "export" | "compress" | "verify" | "safety" | "write";

/** One progress report: `done` of `total` (null when unknown) records in `phase`. */
export interface BackupProgress {
  phase: BackupPhase;
  done: number;
  total: number | null;
}

/** Called as work advances; awaited, so a slow display slows the work rather than piling up. */
export type OnProgress = (progress: BackupProgress) => void | Promise<void>;

/** Who asked, for the audit row. */
export interface BackupActor {
  /** `api`, `cli`, `cron`, `bot`, `restore`… */
  via: string;
  ip?: string | null;
  userId?: number | null;
}

/** Options of {@linkcode BackupService.create}. */
export interface CreateBackupOptions {
  actor?: BackupActor;
  /** Why (e.g. `daily`, `manual`, `before restore`), for the audit row. */
  reason?: string;
  onProgress?: OnProgress;
}

/** Options of {@linkcode BackupService.restore}. */
export interface RestoreBackupOptions {
  actor?: BackupActor;
  onProgress?: OnProgress;
}

/** What a restore did. */
export interface RestoreResult {
  name: string;
  records: number;
  from_generation: number;
  to_generation: number;
  /** The schema the backup was in when older than this code's (then migrated), else null. */
  migrated_from_schema: number | null;
  /** The backup taken just before, of the data that was replaced. */
  safety_backup: string;
}

/** What {@linkcode BackupService} is built from. */
export interface BackupServiceOptions {
  store: Store;
  clock: Clock;
  /** Files go here; undefined (Deno Deploy) keeps backups in KV. */
  backupDir?: string;
  /** `BACKUP_RETENTION_DAYS`. */
  retentionDays: number;
  /** The maintenance lease's owner id. @default random */
  owner?: string;
  /** How long the maintenance lease lasts unless renewed. @default 30_000 */
  leaseTtlMs?: number;
  /**
   * How long to wait after taking the maintenance lease before reading or switching, so turns
   * that started before it (the supervisor checks the lease between turns) finish. @default 0
   */
  settleMs?: number;
}

const log = getLogger(["rvx", "store", "backups"]);
const encoder = new TextEncoder();
const DAY_MS = 86_400_000;
/**
 * Records per restore batch (one absence check each: KV allows 100 checks per atomic), and
 * bytes (estimated, with room below KV's 800 KiB).
 */
const RESTORE_BATCH = { records: KV_LIMITS.maxChecks, bytes: 640 * 1024 };
/** Restore commits in flight at once (KV serializes them; this keeps its queue fed). */
const RESTORE_IN_FLIGHT = 4;
/** Records between progress reports. */
const PROGRESS_EVERY = 5000;

/**
 * A backup cannot be used: damaged, of another format, or of a newer schema. Answers 400 with
 * `BACKUP_INVALID` over HTTP.
 *
 * @example
 * ```ts
 * throw backupInvalid("rvx-backup-20260101-030000.jsonl.gz", "the body's SHA-256 does not match the header");
 * ```
 */
export function backupInvalid(name: string, reason: string, cause?: unknown): ValidationError {
  return new ValidationError(
    "backup",
    `Cannot restore "${name}": ${reason}; nothing was changed`,
    { code: "BACKUP_INVALID", details: { name }, cause },
  );
}

/** No backup by that name (`BACKUP_NOT_FOUND`; 404 over HTTP). */
export class BackupNotFoundError extends AppError {
  constructor(readonly backup: string) {
    super(`No backup named "${backup}" (see \`deno task backups\`)`, {
      code: "BACKUP_NOT_FOUND",
      level: "info",
      details: { name: backup },
    });
    this.name = "BackupNotFoundError";
  }
}

/** Hex SHA-256, fed piece by piece. */
function sha256(): { update(bytes: Uint8Array): void; hex(): string } {
  const hash = createHash("sha256");
  return { update: (bytes) => hash.update(bytes), hex: () => hash.digest("hex") };
}

// === Maintenance lease

/** The maintenance lease, kept renewed while a backup or restore works. */
interface Maintenance {
  lease: HeldLease;
  /** Renews now; false once the lease was lost. */
  confirm(): Promise<boolean>;
  release(): Promise<void>;
}

async function holdMaintenance(
  store: Store,
  clock: Clock,
  owner: string,
  ttlMs: number,
  what: string,
): Promise<Maintenance> {
  // A fresh owner per operation: a second one in the same process is refused too.
  const keeper = await LeaseKeeper.take(MAINTENANCE_LEASE, `${owner}:${randomId(6)}`, {
    store,
    clock,
    ttlMs,
  });
  if (!keeper) {
    throw new DatabaseError(
      `Cannot ${what}: another backup or restore is running (the maintenance lease is held); try again in a minute`,
      { code: "MAINTENANCE_BUSY", level: "warning" },
    );
  }
  return {
    lease: keeper.lease,
    confirm: () => keeper.confirm(),
    async release() {
      await keeper.release();
    },
  };
}

// === Reading a backup

interface ScanVisitor {
  header(header: BackupHeader): void | Promise<void>;
  /** Every body byte, in order. */
  body(bytes: Uint8Array): void;
  /** Each body line (without its newline), when given. */
  line?(text: string): void | Promise<void>;
}

/** Decompresses a backup and hands its header, body bytes and (optionally) lines to `visit`. */
async function scan(
  name: string,
  gz: ReadableStream<Bytes>,
  visit: ScanVisitor,
): Promise<void> {
  const reader = gz.pipeThrough(new DecompressionStream("gzip")).getReader();
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let head: Uint8Array[] | null = [];
  let headBytes = 0;
  let partial = "";
  const body = async (bytes: Uint8Array) => {
    if (bytes.length === 0) return;
    visit.body(bytes);
    if (!visit.line) return;
    const lines = (partial + decoder.decode(bytes, { stream: true })).split("\n");
    partial = lines.pop()!;
    for (const line of lines) await visit.line(line);
  };
  try {
    while (true) {
      let chunk: ReadableStreamReadResult<Bytes>;
      try {
        chunk = await reader.read();
      } catch (err) {
        throw backupInvalid(name, "the file is not valid gzip (damaged or cut short)", err);
      }
      if (chunk.done) break;
      if (head === null) {
        await body(chunk.value);
        continue;
      }
      const newline = chunk.value.indexOf(10);
      if (newline === -1) {
        head.push(chunk.value);
        headBytes += chunk.value.length;
        if (headBytes > 65_536) throw backupInvalid(name, "the header line is missing");
        continue;
      }
      head.push(chunk.value.subarray(0, newline));
      const headerText = new TextDecoder().decode(concat(head));
      head = null;
      try {
        await visit.header(parseHeader(headerText));
      } catch (err) {
        if (err instanceof TypeError) throw backupInvalid(name, err.message, err);
        throw err;
      }
      await body(chunk.value.subarray(newline + 1));
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    if (err instanceof TypeError && err.message.includes("encoded data")) {
      throw backupInvalid(name, "the body is not valid UTF-8", err);
    }
    throw err;
  }
  if (head !== null) throw backupInvalid(name, "the header line is missing (empty file?)");
  if (partial !== "") throw backupInvalid(name, "the last record line is cut short");
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Counts the newlines in a chunk. */
function countLines(bytes: Uint8Array): number {
  let n = 0;
  let i = -1;
  while ((i = bytes.indexOf(10, i + 1)) !== -1) n++;
  return n;
}

// === The service

/**
 * Creates, lists, prunes and restores backups.
 *
 * @example
 * ```ts
 * const backups = new BackupService({ store, clock, backupDir: "./data/backups", retentionDays: 30 });
 * const made = await backups.create({ reason: "manual", actor: { via: "cli" } });
 * await backups.restore(made.name, { actor: { via: "cli" } });
 * ```
 */
export class BackupService {
  readonly storage: BackupStorage;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #owner: string;
  readonly #leaseTtlMs: number;
  readonly #retentionDays: number;
  readonly #settleMs: number;

  constructor(options: BackupServiceOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#owner = options.owner ?? `backup-${randomId(9)}`;
    this.#leaseTtlMs = options.leaseTtlMs ?? 30_000;
    this.#retentionDays = options.retentionDays;
    this.#settleMs = options.settleMs ?? 0;
    this.storage = options.backupDir === undefined
      ? kvBackupStorage(options.store)
      : fileBackupStorage(options.backupDir);
  }

  /** `file` (in `BACKUP_DIR`) or `kv` (no filesystem). */
  get location(): "file" | "kv" {
    return this.storage.location;
  }

  /**
   * Every complete backup, newest first. A file whose header cannot be read is left out (and
   * logged).
   */
  async list(): Promise<BackupInfo[]> {
    const names = (await this.storage.names()).sort().reverse();
    const infos: BackupInfo[] = [];
    for (const name of names) {
      try {
        const info = await this.storage.info(name);
        if (info) infos.push(info);
      } catch (err) {
        log.warn("Backup {name} has an unreadable header: {reason}", {
          name,
          reason: err instanceof Error ? err.message : String(err),
        });
      }
    }
    return infos;
  }

  /** The newest complete backup, or null. */
  async newest(): Promise<BackupInfo | null> {
    return (await this.list())[0] ?? null;
  }

  /**
   * Takes the maintenance lease, lets turns in flight settle, and clears what an interrupted
   * export or restore left in storage.
   */
  async #beginMaintenance(what: string): Promise<Maintenance> {
    const maintenance = await holdMaintenance(
      this.#store,
      this.#clock,
      this.#owner,
      this.#leaseTtlMs,
      what,
    );
    try {
      if (this.#settleMs > 0) await this.#clock.sleep(this.#settleMs);
      await this.storage.cleanup();
      return maintenance;
    } catch (err) {
      await maintenance.release();
      throw err;
    }
  }

  /**
   * Exports the live generation into a new backup under the maintenance lease.
   *
   * @throws {DatabaseError} `MAINTENANCE_BUSY` while another backup or restore runs.
   */
  async create(options: CreateBackupOptions = {}): Promise<BackupInfo> {
    const maintenance = await this.#beginMaintenance("start a backup");
    try {
      const info = await this.#export(options.onProgress);
      await this.#audit("backup_create", options.actor, {
        name: info.name,
        records: info.record_count,
        bytes: info.size_bytes,
        location: info.location,
        reason: options.reason ?? "manual",
      });
      return info;
    } finally {
      await maintenance.release();
    }
  }

  /** A free name at or after now (two backups in one second take the next second). */
  async #freeName(): Promise<{ name: string; at: number }> {
    let at = Math.floor(this.#clock.now() / 1000) * 1000;
    while (await this.storage.exists(backupName(at))) at += 1000;
    return { name: backupName(at), at };
  }

  async #export(onProgress?: OnProgress): Promise<BackupInfo> {
    const store = this.#store;
    const generation = await store.refreshGeneration();
    const { name } = await this.#freeName();
    const createdAt = new Date(this.#clock.now()).toISOString();
    const hash = sha256();
    let count = 0;
    const started = performance.now();
    const writer = await this.storage.begin(name);
    try {
      await writer.writeBody(exportBody(store, generation, {
        onBytes: (bytes) => hash.update(bytes),
        onRecords: async (n) => {
          const before = count;
          count += n;
          if (
            onProgress && Math.floor(before / PROGRESS_EVERY) !== Math.floor(count / PROGRESS_EVERY)
          ) {
            await onProgress({ phase: "export", done: count, total: null });
          }
        },
      }));
      await onProgress?.({ phase: "export", done: count, total: count });
      const header: BackupHeader = {
        format_version: FORMAT_VERSION,
        schema_version: SCHEMA_VERSION,
        generation,
        created_at: createdAt,
        record_count: count,
        body_sha256: hash.hex(),
      };
      await onProgress?.({ phase: "compress", done: 0, total: count });
      const size = await writer.finish(header, encoder.encode(headerLine(header)));
      await onProgress?.({ phase: "compress", done: count, total: count });
      log.info("Backup {name}: {records} records, {bytes} bytes in {ms} ms ({location})", {
        name,
        records: count,
        bytes: size,
        ms: Math.round(performance.now() - started),
        location: this.storage.location,
      });
      return { name, ...header, size_bytes: size, location: this.storage.location };
    } catch (err) {
      await writer.abort().catch(() => {});
      throw err;
    }
  }

  /**
   * Deletes backups older than `BACKUP_RETENTION_DAYS` (by the time in their name), never the
   * newest.
   *
   * @returns the names deleted.
   */
  async prune(now = this.#clock.now()): Promise<string[]> {
    const names = (await this.storage.names()).sort();
    const cutoff = now - this.#retentionDays * DAY_MS;
    const doomed = names.slice(0, -1).filter((name) => (backupTime(name) ?? now) < cutoff);
    for (const name of doomed) await this.storage.remove(name);
    if (doomed.length > 0) {
      log.info("Deleted {count} backups older than {days} days", {
        count: doomed.length,
        days: this.#retentionDays,
      });
    }
    return doomed;
  }

  /**
   * Verifies a backup without changing anything.
   *
   * @throws {ValidationError} `BACKUP_INVALID` naming what is wrong.
   * @throws {BackupNotFoundError} when there is no such backup.
   */
  async verify(name: string, onProgress?: OnProgress): Promise<BackupHeader> {
    const gz = await this.#open(name);
    let header: BackupHeader | null = null;
    const hash = sha256();
    let lines = 0;
    let lastByte = 10;
    let reported = 0;
    await scan(name, gz, {
      header: (h) => {
        header = h;
      },
      body: (bytes) => {
        hash.update(bytes);
        lines += countLines(bytes);
        lastByte = bytes[bytes.length - 1];
        if (onProgress && lines - reported >= PROGRESS_EVERY) {
          reported = lines;
          void onProgress({ phase: "verify", done: lines, total: header?.record_count ?? null });
        }
      },
    });
    const h = header as BackupHeader | null;
    if (!h) throw backupInvalid(name, "the header line is missing");
    if (lastByte !== 10) throw backupInvalid(name, "the last record line is cut short");
    if (lines !== h.record_count) {
      throw backupInvalid(
        name,
        `the header says ${h.record_count} records but the body has ${lines} (damaged or cut short)`,
      );
    }
    if (hash.hex() !== h.body_sha256) {
      throw backupInvalid(
        name,
        "the body's SHA-256 does not match the header (the file is damaged)",
      );
    }
    if (h.schema_version > SCHEMA_VERSION) {
      throw backupInvalid(
        name,
        `it has schema ${h.schema_version}, newer than this code's ${SCHEMA_VERSION}; deploy the newer code first`,
      );
    }
    await onProgress?.({ phase: "verify", done: lines, total: h.record_count });
    return h;
  }

  async #open(name: string): Promise<ReadableStream<Bytes>> {
    if (backupTime(name) === null) throw new BackupNotFoundError(name);
    const gz = await this.storage.open(name);
    if (!gz) throw new BackupNotFoundError(name);
    return gz;
  }

  /**
   * Restores a backup into a fresh generation and switches to it (see the module doc).
   *
   * @throws {ValidationError} `BACKUP_INVALID` (nothing changed).
   * @throws {BackupNotFoundError} when there is no such backup.
   * @throws {DatabaseError} `MAINTENANCE_BUSY` while another backup or restore runs.
   */
  async restore(name: string, options: RestoreBackupOptions = {}): Promise<RestoreResult> {
    const { onProgress } = options;
    const store = this.#store;
    const header = await this.verify(name, onProgress);
    const maintenance = await this.#beginMaintenance("restore");
    try {
      const from = await store.refreshGeneration();
      const dropped = await dropAbove(store, from);
      if (dropped > 0) {
        log.info("Dropped {count} keys of an unfinished restore", { count: dropped });
      }

      await onProgress?.({ phase: "safety", done: 0, total: null });
      const safety = await this.#export((p) =>
        onProgress?.({ phase: "safety", done: p.done, total: p.total })
      );
      await this.#audit("backup_create", options.actor, {
        name: safety.name,
        records: safety.record_count,
        bytes: safety.size_bytes,
        location: safety.location,
        reason: `before restoring ${name}`,
      });

      const target = await nextGeneration(store);
      let counted: number;
      try {
        // Each key was written with a check that it was absent, so the count of successful
        // writes is the count of keys in the new generation.
        counted = await this.#write(name, header, target, onProgress);
        if (counted !== header.record_count) {
          throw backupInvalid(
            name,
            `the header says ${header.record_count} records but ${counted} were restored`,
          );
        }
      } catch (err) {
        // Best effort: a restore that cannot drop it leaves it to the next one.
        await dropGeneration(store, target).catch(() => {});
        throw err;
      }
      const migratedFrom = header.schema_version < SCHEMA_VERSION ? header.schema_version : null;
      if (migratedFrom !== null) await migrateGeneration(store, target, migratedFrom);

      // The audit row is written into the new generation: it exists exactly when the switch does.
      const tx = new Tx({ generation: target });
      audit.record(tx, {
        action: "backup_restore",
        command: options.actor?.via ?? null,
        user_id: options.actor?.userId ?? null,
        ip_address: options.actor?.ip ?? null,
        parameters: {
          name,
          records: counted,
          from_generation: from,
          to_generation: target,
          migrated_from_schema: migratedFrom,
          safety_backup: safety.name,
        },
        status: "ok",
      }, this.#clock.now());
      await commitTx(store, tx);
      if (!await maintenance.confirm()) {
        throw new DatabaseError(
          "Cannot switch to the restored data: the maintenance lease was lost",
          {
            code: "MAINTENANCE_LOST",
          },
        );
      }
      await switchGeneration(store, from, target);
      log.info("Restored {name}: {records} records into generation {target} (was {from})", {
        name,
        records: counted,
        target,
        from,
      });
      return {
        name,
        records: counted,
        from_generation: from,
        to_generation: target,
        migrated_from_schema: migratedFrom,
        safety_backup: safety.name,
      };
    } finally {
      await maintenance.release();
    }
  }

  /** Streams the records into generation `target` in batched atomics, a few commits in flight. */
  async #write(
    name: string,
    header: BackupHeader,
    target: number,
    onProgress?: OnProgress,
  ): Promise<number> {
    const store = this.#store;
    const families = new Set<string>(DATA_FAMILIES);
    const hash = sha256();
    let batch: [Deno.KvKey, unknown][] = [];
    let bytes = 0;
    let written = 0;
    let staged = 0;
    /** Keys of the open batch: a key twice in one atomic would pass both absence checks. */
    let seen = new Set<string>();
    const inFlight: Promise<void>[] = [];
    const commit = async (entries: [Deno.KvKey, unknown][]): Promise<void> => {
      const done = (async () => {
        // Every key must be absent: N successful sets are N distinct new keys.
        const result = await atomicCommit(store, (op) => {
          for (const [key, value] of entries) op.check({ key, versionstamp: null }).set(key, value);
          return op;
        });
        if (!result.ok) throw backupInvalid(name, "a record's key is repeated");
        const before = written;
        written += entries.length;
        if (
          onProgress &&
          Math.floor(before / PROGRESS_EVERY) !== Math.floor(written / PROGRESS_EVERY)
        ) {
          await onProgress({ phase: "write", done: written, total: header.record_count });
        }
      })();
      // Handled here so a failure while later batches are parsed is not "unhandled"; it is
      // rethrown where the commit is awaited.
      done.catch(() => {});
      inFlight.push(done);
      if (inFlight.length >= RESTORE_IN_FLIGHT) await inFlight.shift();
    };
    const gz = await this.#open(name);
    await scan(name, gz, {
      header: (h) => {
        if (h.body_sha256 !== header.body_sha256) {
          throw backupInvalid(name, "the file changed since it was verified");
        }
      },
      body: (b) => hash.update(b),
      line: async (text) => {
        let record;
        try {
          record = parseRecordLine(text);
        } catch (err) {
          throw backupInvalid(name, `record ${staged + 1}: ${(err as Error).message}`, err);
        }
        const [family, ...rest] = record.key;
        if (typeof family !== "string" || !families.has(family)) {
          throw backupInvalid(name, `record ${staged + 1} is of unknown family ${String(family)}`);
        }
        const key = dataKey(target, family as DataFamily, ...rest as (string | number | bigint)[]);
        const id = JSON.stringify(encodeKey(record.key));
        if (seen.has(id)) throw backupInvalid(name, `record ${staged + 1} repeats a key`);
        seen.add(id);
        batch.push([key, record.value]);
        staged++;
        // KV's serialized size stays below two bytes per JSON character (base64 included).
        bytes += estimateBytes(key) + 2 * text.length;
        if (batch.length >= RESTORE_BATCH.records || bytes >= RESTORE_BATCH.bytes) {
          const entries = batch;
          batch = [];
          bytes = 0;
          seen = new Set();
          await commit(entries);
        }
      },
    }).catch(async (err) => {
      await Promise.allSettled(inFlight);
      throw err;
    });
    if (batch.length > 0) await commit(batch);
    while (inFlight.length > 0) await inFlight.shift();
    await onProgress?.({ phase: "write", done: written, total: header.record_count });
    if (hash.hex() !== header.body_sha256) {
      throw backupInvalid(name, "the file changed since it was verified");
    }
    return written;
  }

  async #audit(
    action: string,
    actor: BackupActor | undefined,
    parameters: Record<string, unknown>,
  ): Promise<void> {
    const tx = this.#store.tx();
    audit.record(tx, {
      action,
      command: actor?.via ?? null,
      user_id: actor?.userId ?? null,
      ip_address: actor?.ip ?? null,
      parameters,
      status: "ok",
    }, this.#clock.now());
    await commitTx(this.#store, tx);
  }
}

/** The body of a backup: every record of `generation`'s durable families as lines. */
function exportBody(
  store: Store,
  generation: number,
  hooks: { onBytes(bytes: Uint8Array): void; onRecords(n: number): Promise<void> },
): ReadableStream<Bytes> {
  const families = [...DATA_FAMILIES];
  let iter: Deno.KvListIterator<unknown> | null = null;
  return new ReadableStream<Bytes>({
    async pull(controller) {
      let text = "";
      let n = 0;
      while (text.length < 256 * 1024) {
        if (!iter) {
          const family = families.shift();
          if (family === undefined) break;
          iter = store.kv.list({ prefix: dataPrefix(generation, family) }, { batchSize: 1000 });
        }
        const next = await iter.next();
        if (next.done) {
          iter = null;
          continue;
        }
        text += recordLine(next.value.key.slice(2), next.value.value);
        n++;
      }
      if (n > 0) {
        const bytes = encoder.encode(text);
        hooks.onBytes(bytes);
        await hooks.onRecords(n);
        controller.enqueue(bytes);
      }
      if (!iter && families.length === 0) controller.close();
    },
  }, { highWaterMark: 0 });
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
