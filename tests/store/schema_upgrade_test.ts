import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { DatabaseError } from "../../src/core/errors.ts";
import { configureLogging } from "../../src/log.ts";
import { BackupService } from "../../src/store/backups.ts";
import { GroupCommitter } from "../../src/store/committer.ts";
import { dataKey, metaKeys } from "../../src/store/keys.ts";
import { openStore, type Store } from "../../src/store/kv.ts";
import { LeaseKeeper } from "../../src/store/lease_keeper.ts";
import { isLeaseLive } from "../../src/store/leases.ts";
import { type Migration, MIGRATIONS, SCHEMA_VERSION } from "../../src/store/migrations.ts";
import * as profiles from "../../src/store/profiles.ts";
import { MIGRATION_LEASE, SchemaFence, SchemaFenceError } from "../../src/store/schema_fence.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";
import { tempDir } from "../support/backup_files.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

const NEXT = SCHEMA_VERSION + 1;
const T0 = Date.UTC(2026, 2, 1, 3, 20);

/** A KV at this code's schema holding one user, as the version before an upgrade left it. */
async function seeded(store: Store): Promise<void> {
  await runMigrations(store);
  await store.kv.set(dataKey(1, "profile", 7), profiles.newProfile({ id: 7, language: "en" }, 0));
}

/** The next version's migration, for these tests: it renames user 7's language. */
function nextVersion(up?: (store: Store) => Promise<void>): readonly Migration[] {
  return [...MIGRATIONS, {
    version: NEXT,
    name: "test: profiles change",
    async up(store, generation) {
      await up?.(store);
      const key = dataKey(generation, "profile", 7);
      const entry = await store.kv.get<Record<string, unknown>>(key);
      await store.kv.set(key, { ...entry.value, language: "ru" });
    },
  }];
}

/** The KV of {@linkcode seeded} on a file, and an old process's fenced handle on it. */
async function upgradeScene(path: string): Promise<{ store: Store; old: Store; clock: FakeClock }> {
  const store = await fileStore(path);
  await seeded(store);
  const clock = new FakeClock(T0);
  const old = await fileStore(path);
  old.fence = await SchemaFence.open(old, clock);
  return { store, old, clock };
}

async function languageOf(store: Store): Promise<unknown> {
  return (await profiles.get(store, 7))?.language;
}

Deno.test("runMigrations: existing data is backed up before it is migrated, and that backup restores it", async () => {
  await using dir = await tempDir();
  using store = await memoryStore();
  await seeded(store);
  const clock = new FakeClock(T0);
  const lines: string[] = [];
  await configureLogging({ level: "info", format: "json", write: (l) => lines.push(l) });
  let run;
  try {
    run = await runMigrations(store, {
      migrations: nextVersion(),
      backupDir: dir.path,
      backupSettleMs: 0,
      clock,
    });
  } finally {
    await configureLogging({ level: "info", format: "json", write: () => {} });
  }
  assert.deepEqual(run.applied, [NEXT]);
  assert.equal(run.backup, "rvx-backup-20260301-032000.jsonl.gz");
  assert.equal(await languageOf(store), "ru");
  const logged = lines.map((l) => JSON.parse(l)).find((l) => l.code === "MIGRATION_BACKUP");
  assert.equal(logged?.name, run.backup);

  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  const [info] = await backups.list();
  assert.equal(info.name, run.backup);
  assert.equal(
    info.schema_version,
    SCHEMA_VERSION,
    "the backup says which schema its records are in",
  );
  await backups.restore(run.backup!);
  assert.equal(await languageOf(store), "en", "restored as it was before the migration");
});

Deno.test("runMigrations: with no BACKUP_DIR (Deno Deploy) the backup is kept in KV", async () => {
  using store = await memoryStore();
  await seeded(store);
  const clock = new FakeClock(T0);
  const run = await runMigrations(store, { migrations: nextVersion(), backupSettleMs: 0, clock });
  const kept = new BackupService({ store, clock, retentionDays: 30 });
  assert.equal(kept.location, "kv");
  assert.deepEqual((await kept.list()).map((b) => b.name), [run.backup]);
});

Deno.test("runMigrations: a fresh KV needs no backup", async () => {
  const store = await openStore(":memory:");
  const run = await runMigrations(store, {
    backup: () => Promise.reject(new Error("must not be called")),
  });
  assert.equal(run.backup, null);
  assert.equal(run.applied.length, SCHEMA_VERSION);
  store.close();
});

Deno.test("runMigrations: a failing backup stops the migration with nothing changed, and old processes keep serving", async () => {
  await using tmp = await tempKvPath();
  const { store, old, clock } = await upgradeScene(tmp.path);
  const before = await store.kv.get(metaKeys.schemaVersion);
  await assert.rejects(
    runMigrations(store, {
      migrations: nextVersion(),
      clock,
      backup: () => Promise.reject(new Error("No space left on device")),
    }),
    (e) =>
      e instanceof DatabaseError && e.code === "MIGRATION_BACKUP_FAILED" &&
      /No space left on device.*nothing was changed/.test(e.message),
  );
  const after = await store.kv.get(metaKeys.schemaVersion);
  assert.deepEqual(after, before, "schema record untouched (value and versionstamp)");
  assert.equal(await languageOf(store), "en");
  assert.equal(await isLeaseLive(store, MIGRATION_LEASE, clock.now()), false, "lease let go");
  assert.ok((await new GroupCommitter(old).submit(old.tx().set(["probe"], 1))).ok);
  assert.equal(old.fence?.status, "current");
  store.close();
  old.close();
});

Deno.test("runMigrations: from its first step on, an old process's commits are refused", async () => {
  await using tmp = await tempKvPath();
  const { store, old, clock } = await upgradeScene(tmp.path);
  const committer = new GroupCommitter(old);
  let refused: unknown = null;
  await runMigrations(store, {
    clock,
    backup: () => Promise.resolve("test-backup"),
    migrations: nextVersion(async () => {
      // Mid-migration: the old layout must not get this write.
      refused = await committer.submit(old.tx().set(["written-by-old"], 1)).catch((e) => e);
    }),
  });
  assert.ok(refused instanceof SchemaFenceError && refused.code === "SCHEMA_CHANGED");
  assert.equal((await store.kv.get(["written-by-old"])).value, null);
  assert.equal(old.fence?.status, "stopped");
  store.close();
  old.close();
});

Deno.test("runMigrations: a process starting while another migrates waits for it, then serves the result", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  await seeded(store);
  await store.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION - 1);
  const clock = new FakeClock(T0);
  const migrator = await LeaseKeeper.take(MIGRATION_LEASE, "other", {
    store,
    clock,
    ttlMs: 30_000,
  });
  assert.ok(migrator);
  const newer = await openStore(tmp.path);
  const fence = await SchemaFence.open(newer, clock);
  assert.equal(fence.status, "waiting", "never serves a half-migrated layout");
  let done = false;
  const waiting = runMigrations(newer, {
    clock,
    backup: () => Promise.reject(new Error("the waiting process must not back up")),
  }).then((run) => {
    done = true;
    return run;
  });
  await clock.advance(3000);
  assert.equal(done, false);
  // The other process finishes.
  await store.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION);
  await migrator.release();
  await clock.advance(1000);
  assert.deepEqual(await waiting, { applied: [], backup: null });
  assert.equal(await fence.ready(), true, "the waiting fence opens on its next look");
  migrator.stop();
  store.close();
  newer.close();
});

Deno.test("runMigrations: the backup before migrating names the schema its records are in, so a restore migrates them", async () => {
  await using dir = await tempDir();
  using store = await memoryStore();
  await seeded(store);
  await store.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION - 1);
  const clock = new FakeClock(T0);
  const run = await runMigrations(store, { backupDir: dir.path, backupSettleMs: 0, clock });
  assert.deepEqual(run.applied, [SCHEMA_VERSION]);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  assert.equal((await backups.list())[0].schema_version, SCHEMA_VERSION - 1);
  assert.equal((await backups.restore(run.backup!)).migrated_from_schema, SCHEMA_VERSION - 1);
});
