/**
 * Bringing the KV's schema up to this code's (docs/OPERATIONS.md, "Upgrading"). Before a
 * migration changes data that exists, it takes the migration lease (a newer process starting
 * meanwhile waits for it), takes a backup through the backup machinery (refusing to migrate
 * when that fails, with nothing changed), and rewrites the schema version record, which fences
 * every process of the older version from the first step on (`schema_fence.ts`). Then each
 * migration runs and is recorded as it completes.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Clock, systemClock } from "../core/clock.ts";
import { AppError, DatabaseError } from "../core/errors.ts";
import { randomId } from "../core/ids.ts";
import { BackupService } from "./backups.ts";
import { metaKeys } from "./keys.ts";
import { atomicCommit, type Store } from "./kv.ts";
import { LeaseKeeper } from "./lease_keeper.ts";
import { type Migration, MIGRATIONS } from "./migrations.ts";
import { MIGRATION_LEASE } from "./schema_fence.ts";

/** How long the migration lease lasts unless renewed (it is renewed while migrating). */
const MIGRATION_LEASE_TTL_MS = 30_000;
/** How often a process waiting for another's migration looks again. */
const MIGRATION_WAIT_MS = 1000;
/**
 * How long the backup before a migration lets turns settle after taking the maintenance lease:
 * older processes still running check that lease between turns (once a second), so the export
 * starts once the turns they had begun are committed.
 */
const BACKUP_SETTLE_MS = 1500;

/** Options of {@linkcode runMigrations}. */
export interface RunMigrationsOptions {
  /** @default MIGRATIONS */
  migrations?: readonly Migration[];
  /**
   * Takes the backup before existing data is migrated and returns its name. @default a backup
   * through `BackupService` into `backupDir` (kept in KV when that is undefined)
   */
  backup?: (reason: string) => Promise<string>;
  /** `BACKUP_DIR`, for the default backup; undefined keeps it in KV (as on Deno Deploy). */
  backupDir?: string;
  /**
   * How long the default backup waits for turns of running processes to settle (none run in a
   * test). @default 1500
   */
  backupSettleMs?: number;
  /** @default systemClock */
  clock?: Clock;
}

/** What {@linkcode runMigrations} did. */
export interface MigrationRun {
  /** The versions applied, in order (empty when the schema was current). */
  applied: number[];
  /** The backup taken before migrating existing data, or null (nothing to migrate, or no data). */
  backup: string | null;
}

const log = getLogger(["rvx", "store", "migrations"]);

/**
 * Runs the migrations newer than the stored schema version (see the module doc). Safe to run
 * twice and from two processes at once: one migrates, the other waits for it.
 *
 * @throws {DatabaseError} `SCHEMA_TOO_NEW` when the KV is newer than this code;
 *   `MIGRATION_BACKUP_FAILED` when the backup before migrating failed (nothing changed).
 * @example
 * ```ts
 * const { applied, backup } = await runMigrations(store, { backupDir: config.backupDir });
 * ```
 */
export async function runMigrations(
  store: Store,
  options: RunMigrationsOptions = {},
): Promise<MigrationRun> {
  const migrations = options.migrations ?? MIGRATIONS;
  const clock = options.clock ?? systemClock;
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const owner = `migrate-${randomId(9)}`;
  let waitLogged = false;
  while (true) {
    const current = await storedSchema(store, latest);
    if (current === latest) {
      await store.refreshGeneration();
      return { applied: [], backup: null };
    }
    const keeper = await LeaseKeeper.take(MIGRATION_LEASE, owner, {
      store,
      clock,
      ttlMs: MIGRATION_LEASE_TTL_MS,
    });
    if (!keeper) {
      if (!waitLogged) {
        log.info("Another process is migrating the KV (schema {current}); waiting for it", {
          current,
        });
      }
      waitLogged = true;
      await clock.sleep(MIGRATION_WAIT_MS);
      continue;
    }
    try {
      const run = await migrateHeld(store, migrations, latest, options);
      if (run) return run;
    } finally {
      await keeper.release();
    }
  }
}

/** The stored schema version; throws when it is newer than `latest`. */
async function storedSchema(store: Store, latest: number): Promise<number> {
  const current = (await store.kv.get<number>(metaKeys.schemaVersion)).value ?? 0;
  if (current > latest) {
    throw new DatabaseError(
      `Cannot start: the data has schema ${current}, newer than this code's ${latest}; deploy the newer code`,
      { code: "SCHEMA_TOO_NEW", level: "critical" },
    );
  }
  return current;
}

/** Migrates under the migration lease; null when the schema record moved meanwhile (look again). */
async function migrateHeld(
  store: Store,
  migrations: readonly Migration[],
  latest: number,
  options: RunMigrationsOptions,
): Promise<MigrationRun | null> {
  const record = await store.kv.get<number>(metaKeys.schemaVersion);
  const current = record.value ?? 0;
  if (current >= latest) return null;
  let backup: string | null = null;
  if (current > 0) {
    backup = await backupFirst(store, current, latest, options);
    // The same value, a new versionstamp: every older process's commits fail from here on.
    const fenced = await atomicCommit(store, (op) => op.check(record).set(record.key, current));
    if (!fenced.ok) return null;
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    log.info("Migrating to schema {version}: {name}", { ...migration });
    await migration.up(store, await store.refreshGeneration());
    await atomicCommit(store, (op) => op.set(metaKeys.schemaVersion, migration.version));
    applied.push(migration.version);
  }
  await store.refreshGeneration();
  return { applied, backup };
}

async function backupFirst(
  store: Store,
  current: number,
  latest: number,
  options: RunMigrationsOptions,
): Promise<string> {
  const reason = `before migrating from schema ${current} to ${latest}`;
  const backup = options.backup ?? ((why: string) =>
    new BackupService({
      store,
      clock: options.clock ?? systemClock,
      backupDir: options.backupDir,
      retentionDays: Number.POSITIVE_INFINITY,
      settleMs: options.backupSettleMs ?? BACKUP_SETTLE_MS,
    }).create({ reason: why, actor: { via: "migration" } }).then((info) => info.name));
  let name: string;
  try {
    name = await backup(reason);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new DatabaseError(
      `Cannot migrate the KV from schema ${current} to ${latest}: the backup before it failed (${why}); nothing was changed`,
      {
        code: "MIGRATION_BACKUP_FAILED",
        level: "critical",
        cause: err,
        details: { code: err instanceof AppError ? err.code : null },
      },
    );
  }
  log.info("Backup {name} taken {reason} (restore it with `deno task restore {name}`)", {
    code: "MIGRATION_BACKUP",
    name,
    reason,
  });
  return name;
}
