import assert from "node:assert/strict";
import { runApiKeyCli } from "../../src/cli/apikey.ts";
import { runBackupCli } from "../../src/cli/backup.ts";
import { formatAge, runBackupsCli } from "../../src/cli/backups.ts";
import { createProgress } from "../../src/cli/progress.ts";
import { runRestoreCli } from "../../src/cli/restore.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { BackupService } from "../../src/store/backups.ts";
import { dataKey } from "../../src/store/keys.ts";
import { atomicCommit, type Store } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { readBackupFile, writeBackupFile } from "../support/backup_files.ts";
import { memoryStore } from "../support/store.ts";
import { collector } from "../support/cli_io.ts";

const T0 = Date.UTC(2026, 3, 1, 3, 20);

async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "rvx-cli-backup-" });
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

async function seed(store: Store, n: number): Promise<void> {
  for (let start = 0; start < n; start += 500) {
    await atomicCommit(store, (op) => {
      for (let i = start; i < Math.min(n, start + 500); i++) {
        op.set(dataKey(1, "profile", i), { id: i, name: `user ${i}`, language: "en" });
      }
      return op;
    });
  }
}

Deno.test("backup cli: backup, backups and restore, with plain progress lines off a terminal", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  await seed(store, 12_000);

  const written: string[] = [];
  const progress = createProgress({ terminal: false, write: (t) => written.push(t) });
  const made = collector();
  assert.equal(await runBackupCli([], { backups, io: made.io, progress }), 0);
  assert.match(
    made.out[0],
    /^Backup rvx-backup-20260401-032000\.jsonl\.gz: 12 000 records, [\d.]+ KiB, schema \d+, generation 1\.$/,
  );
  assert.ok(written.every((line) => line.endsWith("\n") && !line.includes("\r")));
  assert.ok(written.includes("Exporting: 0 records\n") || written[0].startsWith("Exporting:"));
  assert.ok(written.some((line) => /^Compressing: 100% \(12 000\/12 000 records\)\n$/.test(line)));

  await clock.advance(2 * 3_600_000 + 5 * 60_000);
  const listed = collector();
  assert.equal(await runBackupsCli([], { backups, io: listed.io, clock, dir: dir.path }), 0);
  assert.match(listed.out[0], /^name\s+size\s+created \(UTC\)\s+age\s+records\s+signed by$/);
  assert.match(
    listed.out[1],
    /^rvx-backup-20260401-032000\.jsonl\.gz\s+[\d.]+ KiB\s+2026-04-01 03:20:00\s+2 h 5 m\s+12 000 {2}[0-9a-f]{16}$/,
  );
  assert.equal(listed.out.at(-1), `1 backup in ${dir.path}.`);

  written.length = 0;
  const restored = collector();
  assert.equal(
    await runRestoreCli(["rvx-backup-20260401-032000.jsonl.gz"], {
      backups,
      io: restored.io,
      progress,
    }),
    0,
  );
  assert.equal(
    restored.out[0],
    "Restored rvx-backup-20260401-032000.jsonl.gz: 12 000 records into generation 2 (was 1).",
  );
  assert.equal(
    restored.out.at(-1),
    "The data it replaced is in rvx-backup-20260401-052500.jsonl.gz.",
  );
  assert.ok(
    restored.out.some((l) =>
      /^Rolled back everything written since \S+: \d[\d ]* audit rows?\b/.test(l)
    ),
    restored.out.join("\n"),
  );
  assert.ok(written.some((line) => line.startsWith("Verifying: 100%")));
  assert.ok(written.some((line) => line.startsWith("Writing: 100% (12 000/12 000 records)")));

  const after = collector();
  await runBackupsCli([], { backups, io: after.io, clock, dir: dir.path });
  assert.equal(after.out.length, 4, "newest first: the safety backup, then the first");
  assert.match(after.out[1], /^rvx-backup-20260401-052500/);
  assert.match(after.out[2], /^rvx-backup-20260401-032000/);
});

Deno.test("backup cli: unknown or damaged backups and usage errors exit non-zero with a reason", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  const none = collector();
  assert.equal(await runBackupsCli([], { backups, io: none.io, clock, dir: dir.path }), 0);
  assert.deepEqual(none.out, [`No backups in ${dir.path}. Take one: deno task backup`]);

  const missing = collector();
  assert.equal(
    await runRestoreCli([`${dir.path}/rvx-backup-20200101-000000.jsonl.gz`], {
      backups,
      io: missing.io,
    }),
    1,
  );
  assert.match(missing.err[0], /^No backup named/);
  assert.match(missing.err[1], /name only/);

  const { name } = await backups.create();
  await Deno.writeTextFile(`${dir.path}/${name}`, "garbage");
  const damaged = collector();
  assert.equal(await runRestoreCli([name], { backups, io: damaged.io }), 1);
  assert.match(damaged.err[0], /not valid gzip.*nothing was changed$/);

  for (
    const [run, args] of [
      [runRestoreCli, []],
      [runRestoreCli, ["a", "b"]],
      [runRestoreCli, [name, "--key"]],
      [runRestoreCli, [name, "--key", "rvx_bk_short"]],
      [runRestoreCli, [name, "--force"]],
      [runBackupCli, ["now"]],
    ] as const
  ) {
    const usage = collector();
    assert.equal(await run([...args], { backups, io: usage.io }), 2, args.join(" "));
    assert.ok(usage.err.some((line) => /^Usage: deno task/.test(line)), args.join(" "));
  }
});

Deno.test("backup cli: on a terminal progress is one redrawn bar per phase", () => {
  const written: string[] = [];
  let now = 0;
  const progress = createProgress({
    terminal: true,
    write: (t) => written.push(t),
    now: () => now,
    width: 10,
  });
  progress.update({ phase: "write", done: 0, total: 100 });
  now += 10;
  progress.update({ phase: "write", done: 30, total: 100 }); // throttled
  now += 200;
  progress.update({ phase: "write", done: 50, total: 100 });
  progress.update({ phase: "write", done: 100, total: 100 });
  progress.update({ phase: "export", done: 5000, total: null });
  progress.finish();
  assert.deepEqual(written, [
    "\r\x1b[2KWriting: [----------]   0% (0/100 records)",
    "\r\x1b[2KWriting: [#####-----]  50% (50/100 records)",
    "\r\x1b[2KWriting: [##########] 100% (100/100 records)",
    "\n\x1b[2KExporting: 5 000 records",
    "\n",
  ]);
  assert.equal(formatAge(3 * 86_400_000 + 4 * 3_600_000), "3 d 4 h");
  assert.equal(formatAge(30_000), "30 s");
});

Deno.test("backup cli: a backup restores onto a fresh installation only with the key `apikey backup-key` showed", async () => {
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  using first = await memoryStore();
  await seed(first, 10);
  const made = await new BackupService({
    store: first,
    clock,
    backupDir: dir.path,
    retentionDays: 30,
  }).create();
  const shown = collector();
  assert.equal(await runApiKeyCli(["backup-key"], { store: first, clock, io: shown.io }), 0);
  const [secret] = shown.out;
  assert.match(secret, /^rvx_bk_[A-Za-z0-9_-]{43}$/);
  assert.match(
    shown.err[0],
    new RegExp(`^Backups are signed with key ${made.key_id}, kept in KV at`),
  );
  assert.ok(shown.err[0].includes('["meta","backup_key"]'), "says where the key is");

  // The fresh installation has a key of its own (or none yet): the backup's is unknown to it.
  using fresh = await memoryStore();
  const backups = new BackupService({
    store: fresh,
    clock,
    backupDir: dir.path,
    retentionDays: 30,
  });
  const refused = collector();
  assert.equal(await runRestoreCli([made.name], { backups, io: refused.io }), 1);
  assert.match(
    refused.err[0],
    new RegExp(`^BACKUP_KEY_UNKNOWN: .*signed with key ${made.key_id}.*--key`),
  );
  assert.equal(await profiles.get(fresh, 3), null);

  const restored = collector();
  assert.equal(await runRestoreCli([made.name, "--key", secret], { backups, io: restored.io }), 0);
  assert.ok(
    restored.out.includes(`Signature checked: key ${made.key_id}.`),
    restored.out.join("\n"),
  );
  assert.ok(
    restored.out.some((l) => l.startsWith("Re-applied changes made since: revoked keys none")),
  );
  assert.deepEqual(
    await fresh.kv.get(dataKey(fresh.generation, "profile", 3)).then((e) => e.value),
    {
      id: 3,
      name: "user 3",
      language: "en",
    },
  );

  // A backup made before signing: refused, then restored when allowed, and the output says so.
  const { header, lines } = await readBackupFile(`${dir.path}/${made.name}`);
  const { key_id: _k, signature: _s, ...rest } = header;
  await writeBackupFile(`${dir.path}/${made.name}`, { ...rest, format_version: 1 }, lines);
  const unsigned = collector();
  assert.equal(await runRestoreCli([made.name], { backups, io: unsigned.io }), 1);
  assert.match(unsigned.err[0], /^BACKUP_UNSIGNED: .*--allow-unsigned/);
  const allowed = collector();
  assert.equal(
    await runRestoreCli([made.name, "--allow-unsigned"], { backups, io: allowed.io }),
    0,
  );
  assert.ok(allowed.out.includes("The backup was not signed (allowed with --allow-unsigned)."));
});

Deno.test("backup cli: rotate-backup-key retires a leaked key: its backups then restore only with it given", async () => {
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  using store = await memoryStore();
  await seed(store, 5);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  const before = await backups.create();

  const rotated = collector();
  assert.equal(await runApiKeyCli(["rotate-backup-key"], { store, clock, io: rotated.io }), 0);
  const [oldLine, newLine] = rotated.out;
  assert.match(oldLine, /^old rvx_bk_[A-Za-z0-9_-]{43}$/);
  assert.match(newLine, /^new rvx_bk_[A-Za-z0-9_-]{43}$/);
  assert.match(rotated.err[0], new RegExp(`^Retired backup signing key ${before.key_id}`));
  await clock.advance(1000);
  const after = await backups.create();
  assert.notEqual(after.key_id, before.key_id);

  const refused = collector();
  assert.equal(await runRestoreCli([before.name], { backups, io: refused.io }), 1);
  assert.match(refused.err[0], /^BACKUP_KEY_UNKNOWN/);
  const given = collector();
  const old = oldLine.slice("old ".length);
  assert.equal(await runRestoreCli([before.name, `--key=${old}`], { backups, io: given.io }), 0);
  const current = collector();
  assert.equal(await runRestoreCli([after.name], { backups, io: current.io }), 0);
});
