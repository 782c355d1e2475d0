import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { BackupService } from "../../src/store/backups.ts";
import { dataKey, metaKeys, runtimeKeys } from "../../src/store/keys.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import { acquireLease } from "../../src/store/leases.ts";
import * as profiles from "../../src/store/profiles.ts";
import { memoryStore } from "../support/store.ts";
import { apiHarness, envelope } from "./support.ts";

const T0 = Date.UTC(2026, 3, 1, 3, 20);

/** Admin requests to the API with a backup service (in KV, as on Deno Deploy, unless a directory is given). */
async function backupsApi(store: Store, clock: FakeClock, backups?: BackupService) {
  return (await apiHarness({ store, clock, backups })).admin;
}

Deno.test("backups api: take, list and restore a backup kept in KV", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, retentionDays: 30 });
  const admin = await backupsApi(store, clock, backups);
  const tx = store.tx();
  profiles.save(tx, profiles.newProfile({ id: 7, language: "en", first_name: "Before" }, T0));
  await commitTx(store, tx);

  const empty = await envelope(await admin("/api/v1/backups"));
  assert.deepEqual(empty.data, { backups: [], location: "kv" });

  const created = await admin("/api/v1/backups", { method: "POST" });
  assert.equal(created.status, 201);
  const made = (await envelope(created)).data;
  assert.equal(made.name, "rvx-backup-20260401-032000.jsonl.gz");
  assert.equal(made.location, "kv");
  assert.equal(made.record_count, 1);

  await store.kv.set(dataKey(1, "profile", 7), { changed: true });
  await clock.advance(60_000);
  const restored = await admin(`/api/v1/backups/${made.name}/restore`, { method: "POST" });
  assert.equal(restored.status, 200);
  const result = (await envelope(restored)).data;
  assert.equal(result.records, 1);
  assert.equal(result.to_generation, 2);
  assert.equal(result.safety_backup, "rvx-backup-20260401-032100.jsonl.gz");
  assert.equal((await profiles.get(store, 7))?.first_name, "Before");
  assert.equal((await store.kv.get(metaKeys.generation)).value, 2);

  const list = (await envelope(await admin("/api/v1/backups"))).data.backups;
  assert.deepEqual(list.map((b: { name: string }) => b.name), [result.safety_backup, made.name]);
  const audit = (await envelope(await admin("/api/v1/audit?action=backup_restore"))).data.rows;
  assert.equal(audit.length, 1);
  assert.equal(audit[0].command, "api");
});

Deno.test("backups api: unknown, malformed and damaged names; admin only; 503 without a service", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, retentionDays: 30 });
  const admin = await backupsApi(store, clock, backups);

  const missing = await admin("/api/v1/backups/rvx-backup-20200101-000000.jsonl.gz/restore", {
    method: "POST",
  });
  assert.equal(missing.status, 404);
  assert.equal((await envelope(missing)).error_code, "NOT_FOUND");

  const bad = await admin("/api/v1/backups/passwd/restore", { method: "POST" });
  assert.equal(bad.status, 400);
  assert.equal((await envelope(bad)).error_code, "VALIDATION_ERROR_NAME");

  // A KV backup whose parts were damaged.
  const made = (await envelope(await admin("/api/v1/backups", { method: "POST" }))).data;
  await store.kv.set(runtimeKeys.backupChunk(made.name, 0), new Uint8Array([1, 2, 3]));
  const damaged = await admin(`/api/v1/backups/${made.name}/restore`, { method: "POST" });
  assert.equal(damaged.status, 400);
  const body = await envelope(damaged);
  assert.equal(body.error_code, "BACKUP_INVALID");
  assert.match(body.error, /not valid gzip.*nothing was changed/);
  assert.equal(store.generation, 1);

  const { app } = await apiHarness({ store, clock, backups });
  const anonymous = await app.request("/api/v1/backups", {
    headers: { Authorization: "Bearer wrong-token-wrong-token" },
  });
  assert.equal(anonymous.status, 401);

  const without = await (await backupsApi(store, clock))("/api/v1/backups");
  assert.equal(without.status, 503);
  assert.equal((await envelope(without)).error_code, "UNAVAILABLE");
});

Deno.test("backups api: a backup while another runs answers 503 MAINTENANCE_BUSY", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, retentionDays: 30 });
  await acquireLease(store, "maintenance", "elsewhere", 30_000, T0);
  const res = await (await backupsApi(store, clock, backups))("/api/v1/backups", {
    method: "POST",
  });
  assert.equal(res.status, 503);
  assert.equal((await envelope(res)).error_code, "MAINTENANCE_BUSY");
});
