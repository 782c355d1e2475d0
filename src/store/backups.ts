/**
 * Backups and restore (docs/OPERATIONS.md, "Backups"). A backup streams every durable family of
 * the live generation into `rvx-backup-YYYYMMDD-HHMMSS.jsonl.gz` (format: `backup_format.ts`),
 * signed with this installation's key (`backup_signing.ts`), in `BACKUP_DIR` or, with no
 * filesystem, in KV (`backup_storage.ts`). A restore verifies the file (`backup_verify.ts`:
 * signature, gzip, format, schema, record count, SHA-256, every record's shape) before anything
 * changes, takes a safety backup, writes a fresh generation in batched atomics (each key checked
 * absent, so the writes that succeed count the keys exactly) and compares that count with the
 * header, migrates it when the backup's schema is older, replays the security ledger's changes
 * made since the backup onto it (`backup_reapply.ts`), stages its audit row there, and switches
 * the generation pointer in one commit. A crash at any point leaves the old generation live; the
 * next restore drops the half-written one first.
 *
 * Both hold the `maintenance` lease (`maintenance.ts`): turns pause while it is live, so the
 * export is a consistent snapshot and no turn commits across a switch.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Clock } from "../core/clock.ts";
import { AppError, DatabaseError } from "../core/errors.ts";
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
  parseRecordLine,
  recordLine,
  signedText,
} from "./backup_format.ts";
import {
  forAudit,
  type Reapplied,
  reapplyChanges,
  type RolledBack,
  summarizeRollback,
} from "./backup_reapply.ts";
import { type BackupKey, ensureBackupKey, readBackupKey, sign } from "./backup_signing.ts";
import {
  type BackupInfo,
  type BackupStorage,
  type Bytes,
  fileBackupStorage,
  kvBackupStorage,
} from "./backup_storage.ts";
import {
  backupInvalid,
  type OnProgress,
  PROGRESS_EVERY,
  scan,
  sha256,
  type VerifiedBackup,
  verifyBackup,
} from "./backup_verify.ts";
import { DATA_FAMILIES, type DataFamily, dataKey, dataPrefix, metaKeys } from "./keys.ts";
import { atomicCommit, commitTx, type Store } from "./kv.ts";
import { dropAbove, dropGeneration, nextGeneration, switchGeneration } from "./generations.ts";
import { holdMaintenance, type Maintenance } from "./maintenance.ts";
import { migrateGeneration, SCHEMA_VERSION } from "./migrations.ts";
import { changesSince, ledgerSince, pruneLedger } from "./security_ledger.ts";
import { sessionKeepUntil, type SessionRecord } from "./sessions.ts";

export { type BackupInfo } from "./backup_storage.ts";

export { MAINTENANCE_LEASE } from "./leases.ts";
export {
  BACKUP_REFUSALS,
  backupInvalid,
  type BackupPhase,
  type BackupProgress,
  type OnProgress,
} from "./backup_verify.ts";
export { type Reapplied, type RolledBack } from "./backup_reapply.ts";

/** The job kind of a backup asked for in the bot (`/backup`). */
export const BACKUP_JOB = "backup";

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
  /**
   * The key the backup was signed with when it is not this installation's (a backup from another
   * installation, or restoring onto a fresh one: `deno task restore <name> --key …`).
   */
  key?: BackupKey;
  /** Accept a backup made before signing (format 1); the restore's audit row says so. */
  allowUnsigned?: boolean;
}

/** Options of {@linkcode BackupService.verify}. */
export type VerifyBackupOptions = Pick<
  RestoreBackupOptions,
  "key" | "allowUnsigned" | "onProgress"
>;

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
  /** The id of the key the backup was signed with; null when an unsigned one was allowed. */
  signed_by: string | null;
  /** What the switch rolled back (all of it is in the safety backup). */
  rolled_back: RolledBack;
  /** Security and privacy changes made since the backup, re-applied on top of it. */
  reapplied: Reapplied;
  /**
   * Set when the security ledger was pruned after the backup was made: changes older than this
   * time (ISO 8601) could not be re-applied.
   */
  ledger_incomplete_before: string | null;
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
/** How far before a backup's time the ledger is replayed from (clocks of processes differ). */
const LEDGER_OVERLAP_MS = 5_000;

/** What {@linkcode BackupService.restore} learnt from the ledger. */
interface Replay {
  reapplied: Reapplied;
  incompleteBefore: string | null;
  /** Ledger entries replayed. */
  count: number;
  /** Where the ledger was read from, and the last entry read: later ones are applied late. */
  readFrom: number;
  lastId: string;
}

const encoder = new TextEncoder();
const DAY_MS = 86_400_000;
/**
 * Records per restore batch (one absence check each: KV allows 100 checks per atomic), and
 * bytes (estimated, with room below KV's 800 KiB).
 */
const RESTORE_BATCH = { records: KV_LIMITS.maxChecks, bytes: 640 * 1024 };
/** How many backups are kept when they live in KV (Deno Deploy, where no disk outlives an instance). */
export const KV_BACKUPS_KEPT = 3;

/** Restore commits in flight at once (KV serializes them; this keeps its queue fed). */
const RESTORE_IN_FLIGHT = 4;

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
      const key = await ensureBackupKey(store);
      // The schema the records are in: older than this code's for the backup taken before a
      // migration, so a restore migrates them.
      const stored = (await store.kv.get<number>(metaKeys.schemaVersion)).value;
      const unsigned = {
        format_version: FORMAT_VERSION,
        schema_version: stored || SCHEMA_VERSION,
        generation,
        created_at: createdAt,
        record_count: count,
        body_sha256: hash.hex(),
        key_id: key.id,
      };
      const header: BackupHeader = { ...unsigned, signature: sign(key, signedText(unsigned)) };
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
   * Deletes backups older than `BACKUP_RETENTION_DAYS` (by the time in their name), and those kept
   * in KV beyond the newest {@linkcode KV_BACKUPS_KEPT}, never the newest, and the security ledger's entries older than both that and every backup kept.
   *
   * @returns the names deleted.
   */
  async prune(now = this.#clock.now()): Promise<string[]> {
    const names = (await this.storage.names()).sort();
    const cutoff = now - this.#retentionDays * DAY_MS;
    // Copies kept in the KV they protect guard against mistakes, not against losing that KV:
    // a few are enough, and off-site copies are the operator's (docs/OPERATIONS.md).
    const beyondCount = this.storage.location === "kv" ? names.length - KV_BACKUPS_KEPT : 0;
    const doomed = names.slice(0, -1).filter((name, i) =>
      i < beyondCount || (backupTime(name) ?? now) < cutoff
    );
    for (const name of doomed) await this.storage.remove(name);
    if (doomed.length > 0) {
      log.info("Deleted {count} backups older than {days} days", {
        count: doomed.length,
        days: this.#retentionDays,
      });
    }
    // The ledger is kept as long as a backup it may have to be replayed onto (docs/SECURITY.md).
    const oldest = names.filter((name) => !doomed.includes(name)).map(backupTime)[0] ?? now;
    await pruneLedger(this.#store, Math.min(cutoff, oldest) - LEDGER_OVERLAP_MS);
    return doomed;
  }

  /**
   * Verifies a backup without changing anything: signature, checksum, record count, schema and
   * every record's shape.
   *
   * @throws {ValidationError} one of `BACKUP_REFUSALS`, naming what is wrong.
   * @throws {BackupNotFoundError} when there is no such backup.
   */
  async verify(name: string, options: VerifyBackupOptions = {}): Promise<VerifiedBackup> {
    const gz = await this.#open(name);
    const own = await readBackupKey(this.#store);
    const keys = [options.key, own].filter((k): k is BackupKey => k !== undefined && k !== null);
    return await verifyBackup(name, gz, {
      keys,
      ownKeyId: own?.id ?? null,
      allowUnsigned: options.allowUnsigned,
      onProgress: options.onProgress,
    });
  }

  /**
   * A complete backup exactly as stored (the file `deno task backup` writes, from `BACKUP_DIR` or
   * from KV), to copy it off-site; recorded in the audit log (`backup_download`) with who asked.
   *
   * @throws {BackupNotFoundError} when there is no such backup.
   * @example
   * ```ts
   * const { info, body } = await backups.download(name, { actor: { via: "api" } });
   * await body.pipeTo((await Deno.create(info.name)).writable);
   * ```
   */
  async download(
    name: string,
    options: { actor?: BackupActor } = {},
  ): Promise<{ info: BackupInfo; body: ReadableStream<Bytes> }> {
    const info = backupTime(name) === null ? null : await this.storage.info(name);
    if (!info) throw new BackupNotFoundError(name);
    const body = await this.#open(name);
    await this.#audit("backup_download", options.actor, { name, size_bytes: info.size_bytes });
    return { info, body };
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
    const { header, signedBy } = await this.verify(name, options);
    if (signedBy === null) {
      log.warn("Restoring {name}, a backup made before signing, as the operator allowed", {
        name,
      });
    }
    const maintenance = await this.#beginMaintenance("restore");
    try {
      const from = await store.refreshGeneration();
      const dropped = await dropAbove(store, from);
      if (dropped > 0) {
        log.info("Dropped {count} keys of an unfinished restore", { count: dropped });
      }

      // Summed up before the safety backup adds its own audit row to what the switch undoes.
      const rolledBack = await summarizeRollback(store, from, Date.parse(header.created_at));
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
      let migratedFrom: number | null = null;
      let replay: Replay;
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
        migratedFrom = header.schema_version < SCHEMA_VERSION ? header.schema_version : null;
        if (migratedFrom !== null) await migrateGeneration(store, target, migratedFrom);
        replay = await this.#replay(target, Date.parse(header.created_at));
        await onProgress?.({ phase: "reapply", done: replay.count, total: replay.count });
      } catch (err) {
        // Best effort: a restore that cannot drop it leaves it to the next one.
        await dropGeneration(store, target).catch(() => {});
        throw err;
      }

      const result: RestoreResult = {
        name,
        records: counted,
        from_generation: from,
        to_generation: target,
        migrated_from_schema: migratedFrom,
        safety_backup: safety.name,
        signed_by: signedBy,
        rolled_back: rolledBack,
        reapplied: replay.reapplied,
        ledger_incomplete_before: replay.incompleteBefore,
      };
      // The audit row is written into the new generation: it exists exactly when the switch does.
      const tx = new Tx({ generation: target });
      audit.record(tx, {
        action: "backup_restore",
        command: options.actor?.via ?? null,
        user_id: options.actor?.userId ?? null,
        ip_address: options.actor?.ip ?? null,
        parameters: {
          ...result,
          reapplied: forAudit(result.reapplied),
          unsigned: signedBy === null,
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
      // Changes committed to the old generation while this restore ran (API key revocations do
      // not wait for the maintenance lease) are in the ledger: apply them to the new one too.
      const late = await changesSince(store, replay.readFrom, replay.lastId || undefined);
      if (late.length > 0) {
        await reapplyChanges(store, target, late);
        log.info("Re-applied {count} security changes made while restoring", {
          count: late.length,
        });
      }
      log.info("Restored {name}: {records} records into generation {target} (was {from})", {
        name,
        records: counted,
        target,
        from,
      });
      return result;
    } finally {
      await maintenance.release();
    }
  }

  /** Re-applies the ledger's changes made since the backup (`since`, epoch ms) onto `target`. */
  async #replay(target: number, since: number): Promise<Replay> {
    const store = this.#store;
    const readFrom = since - LEDGER_OVERLAP_MS;
    // A little before the backup's time: clocks of processes differ, and replaying a change the
    // backup already holds changes nothing.
    const changes = await changesSince(store, readFrom);
    const reapplied = await reapplyChanges(store, target, changes);
    const pruned = await ledgerSince(store);
    return {
      reapplied,
      count: changes.length,
      incompleteBefore: pruned !== null && pruned > readFrom
        ? new Date(pruned).toISOString()
        : null,
      readFrom,
      lastId: changes.at(-1)?.id ?? "",
    };
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
    const now = this.#clock.now();
    let batch: [Deno.KvKey, unknown, number?][] = [];
    let bytes = 0;
    let written = 0;
    let staged = 0;
    /** Keys of the open batch: a key twice in one atomic would pass both absence checks. */
    let seen = new Set<string>();
    const inFlight: Promise<void>[] = [];
    const commit = async (entries: [Deno.KvKey, unknown, number?][]): Promise<void> => {
      const done = (async () => {
        // Every key must be absent: N successful sets are N distinct new keys.
        const result = await atomicCommit(store, (op) => {
          for (const [key, value, expireIn] of entries) {
            op.check({ key, versionstamp: null }).set(key, value, expireIn ? { expireIn } : {});
          }
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
        // Sessions expire in KV as when written (a husk has no index entry for the sweep).
        const expireIn = family === "session"
          ? Math.max(1, sessionKeepUntil(record.value as SessionRecord<unknown>) - now)
          : undefined;
        batch.push([key, record.value, expireIn]);
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
