import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { BackupService } from "../../src/store/backups.ts";
import { commitTx } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { readBackupFile, tempDir } from "../support/backup_files.ts";
import { memoryStore } from "../support/store.ts";
import { apiHarness, envelope } from "./support.ts";

const T0 = Date.UTC(2026, 3, 1, 3, 20);

async function withProfile(store: Awaited<ReturnType<typeof memoryStore>>) {
  const tx = store.tx();
  profiles.save(tx, profiles.newProfile({ id: 7, language: "en", first_name: "Kept" }, T0));
  await commitTx(store, tx);
}

Deno.test("backups api: a backup kept in KV downloads as the file deno task backup writes, and that file verifies and lists", async () => {
  using store = await memoryStore();
  await withProfile(store);
  const clock = new FakeClock(T0);
  const inKv = new BackupService({ store, clock, retentionDays: 30 });
  await using api = await apiHarness({ store, clock, backups: inKv });
  const made = (await envelope(await api.admin("/api/v1/backups", { method: "POST" }))).data;

  const res = await api.admin(`/api/v1/backups/${made.name}/download`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("Content-Type"), "application/gzip");
  assert.equal(res.headers.get("Content-Disposition"), `attachment; filename="${made.name}"`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.equal(Number(res.headers.get("Content-Length")), bytes.length);
  assert.equal(bytes.length, made.size_bytes);

  // Off-site: the downloaded file, put in a backup directory, is an ordinary backup there.
  await using dir = await tempDir();
  await Deno.writeFile(`${dir.path}/${made.name}`, bytes);
  const { header, lines } = await readBackupFile(`${dir.path}/${made.name}`);
  assert.equal(header.record_count, 1);
  assert.match(lines[0], /Kept/);
  const onDisk = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  const [listed] = await onDisk.list();
  assert.equal(listed.name, made.name);
  assert.equal(listed.body_sha256, made.body_sha256);
  assert.equal((await onDisk.verify(made.name)).header.record_count, 1);

  const audit = (await envelope(await api.admin("/api/v1/audit?action=backup_download"))).data
    .rows;
  assert.equal(audit.length, 1);
  assert.equal(audit[0].command, "api");
  assert.equal(audit[0].parameters.name, made.name);
});

Deno.test("backups api: a backup file in BACKUP_DIR downloads byte for byte", async () => {
  using store = await memoryStore();
  await withProfile(store);
  const clock = new FakeClock(T0);
  await using dir = await tempDir();
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  await using api = await apiHarness({ store, clock, backups });
  const made = (await envelope(await api.admin("/api/v1/backups", { method: "POST" }))).data;
  const res = await api.admin(`/api/v1/backups/${made.name}/download`);
  assert.equal(res.status, 200);
  assert.deepEqual(
    new Uint8Array(await res.arrayBuffer()),
    await Deno.readFile(`${dir.path}/${made.name}`),
  );
});

Deno.test("backups api: downloading an unknown backup is 404, a malformed name 400, without the admin token 401", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, retentionDays: 30 });
  await using api = await apiHarness({ store, clock, backups });
  const missing = await api.admin("/api/v1/backups/rvx-backup-20260101-000000.jsonl.gz/download");
  assert.equal(missing.status, 404);
  assert.equal((await envelope(missing)).error_code, "NOT_FOUND");
  const malformed = await api.admin("/api/v1/backups/..%2F..%2Fetc%2Fpasswd/download");
  assert.equal(malformed.status, 400);
  await malformed.body?.cancel();
  const anonymous = await api.app.request(
    "/api/v1/backups/rvx-backup-20260101-000000.jsonl.gz/download",
  );
  assert.equal(anonymous.status, 401);
  await anonymous.body?.cancel();
  // Nothing was downloaded, so nothing was audited.
  const audit = (await envelope(await api.admin("/api/v1/audit?action=backup_download"))).data
    .rows;
  assert.equal(audit.length, 0);
});
