import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { BackupService } from "../../src/store/backups.ts";
import { dataKey, metaKeys, runtimeKeys } from "../../src/store/keys.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import { acquireLease } from "../../src/store/leases.ts";
import * as profiles from "../../src/store/profiles.ts";
import { memoryStore } from "../support/store.ts";
import { hashApiKey } from "../../src/store/api_keys.ts";
import { recordLine } from "../../src/store/backup_format.ts";
import { readBackupFile, tempDir, writeBackupFile } from "../support/backup_files.ts";
import { apiHarness, bearer, envelope, json } from "./support.ts";

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

/** `POST /api/v1/analyze` with an API key. */
function analyzeWith(
  app: { request: (p: string, i: RequestInit) => Response | Promise<Response> },
) {
  return async (key: string): Promise<number> => {
    const res = await app.request(
      "/api/v1/analyze",
      json({ text: "Solana had a five-hour outage." }, { headers: bearer(key) }),
    );
    await res.body?.cancel();
    return res.status;
  };
}

Deno.test("backups api: a key revoked after the backup stays revoked through a restore; one created after it is kept", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, retentionDays: 30 });
  await using api = await apiHarness({ store, clock, backups });
  const analyze = analyzeWith(api.app);
  const revoked = await api.createKey("revoked later");
  assert.equal(await analyze(revoked.key), 200);
  await clock.advance(1000);
  const made = (await envelope(await api.admin("/api/v1/backups", { method: "POST" }))).data;

  await clock.advance(60_000);
  assert.equal((await api.admin(`/api/v1/keys/${revoked.id}`, { method: "DELETE" })).status, 200);
  assert.equal(await analyze(revoked.key), 401);
  const kept = await api.createKey("created later");
  await clock.advance(60_000);

  const res = await api.admin(`/api/v1/backups/${made.name}/restore`, { method: "POST" });
  assert.equal(res.status, 200);
  assert.equal(await analyze(revoked.key), 401, "the revoked key came back to life");
  assert.equal(await analyze(kept.key), 200, "the key created after the backup was lost");
  const keys = (await envelope(await api.admin("/api/v1/keys"))).data.keys;
  const status = Object.fromEntries(
    keys.map((k: { id: string; status: string }) => [k.id, k.status]),
  );
  assert.deepEqual(status, { [revoked.id]: "revoked", [kept.id]: "active" });

  const result = (await envelope(res)).data;
  assert.deepEqual(result.reapplied, {
    revoked_keys: [revoked.id],
    kept_keys: [kept.id],
    bans: [],
    unbans: [],
    tier_changes: [],
    erasures: 0,
  });
  assert.equal(result.signed_by, made.key_id);
  assert.equal(result.rolled_back.since, made.created_at);
  assert.equal(result.rolled_back.actions.api_key_revoke, 1);
  assert.equal(result.rolled_back.actions.api_key_create, 1);
  // The backup's own row (written once its export was done) is rolled back; the safety backup's
  // row is not counted as something the switch undid.
  assert.equal(result.rolled_back.actions.backup_create, 1);
  assert.equal(result.rolled_back.audit_rows, 3);
  assert.equal(result.ledger_incomplete_before, null);
  const rows = (await envelope(await api.admin("/api/v1/audit?action=backup_restore"))).data.rows;
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0].parameters.reapplied.revoked_keys, [revoked.id]);
  assert.equal(rows[0].parameters.rolled_back.audit_rows, 3);
  assert.equal(rows[0].parameters.unsigned, false);
});

Deno.test("backups api: a forged backup carrying an api_key record is refused and its key stays unknown", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  await using api = await apiHarness({ store, clock, backups });
  const analyze = analyzeWith(api.app);
  const made = (await envelope(await api.admin("/api/v1/backups", { method: "POST" }))).data;
  const path = `${dir.path}/${made.name}`;
  const { header, lines } = await readBackupFile(path);

  // The forger knows the key they add, and fixes the record count and checksum.
  const key = `rvx_${"F".repeat(43)}`;
  const hash = await hashApiKey(key);
  const record = {
    id: "forged",
    name: "forged",
    owner: "forger",
    hash,
    created_at: new Date(T0).toISOString(),
    revoked_at: null,
  };
  const forged = [
    ...lines,
    recordLine(["api_key", "rec", "forged"], record).trimEnd(),
    recordLine(["api_key", "hash", hash], record).trimEnd(),
  ];
  await writeBackupFile(path, header, forged);
  const restore = (query = "") =>
    api.admin(`/api/v1/backups/${made.name}/restore${query}`, { method: "POST" });
  const refused = await restore();
  assert.equal(refused.status, 400);
  const body = await envelope(refused);
  assert.equal(body.error_code, "BACKUP_SIGNATURE_INVALID");
  assert.match(body.error, /signature does not match.*nothing was changed$/);
  assert.equal(await analyze(key), 401);
  assert.equal(store.generation, 1);
  assert.deepEqual((await backups.list()).map((b) => b.name), [made.name], "no safety backup");

  // Without a signature (the format before signing): refused unless allowed.
  const { key_id: _k, signature: _s, ...unsignedHeader } = header;
  await writeBackupFile(path, { ...unsignedHeader, format_version: 1 }, forged);
  const unsigned = await restore();
  assert.equal(unsigned.status, 400);
  assert.equal((await envelope(unsigned)).error_code, "BACKUP_UNSIGNED");
  assert.equal(await analyze(key), 401);

  // Allowed, a record that does not fit its family is still refused before anything changes.
  const mismatched = [...lines, recordLine(["api_key", "hash", "0".repeat(64)], record).trimEnd()];
  await writeBackupFile(path, { ...unsignedHeader, format_version: 1 }, mismatched);
  const misfit = await restore("?allow_unsigned=true");
  assert.equal(misfit.status, 400);
  const misfitBody = await envelope(misfit);
  assert.equal(misfitBody.error_code, "BACKUP_INVALID");
  assert.match(misfitBody.error, /record \d+: api_key: the hash index does not match/);
  for (const strange of [["session_cache", "x"], ["meta", "admin_token"]]) {
    await writeBackupFile(path, { ...unsignedHeader, format_version: 1 }, [
      ...lines,
      recordLine(strange, "x").trimEnd(),
    ]);
    const unknown = await envelope(await restore("?allow_unsigned=true"));
    assert.match(unknown.error, /unknown family/);
  }
  assert.equal(store.generation, 1);
  assert.deepEqual((await backups.list()).map((b) => b.name), [made.name], "no safety backup");

  // An honest backup from before signing restores when allowed, and the audit row says so.
  await writeBackupFile(path, { ...unsignedHeader, format_version: 1 }, lines);
  const allowed = await restore("?allow_unsigned=true");
  assert.equal(allowed.status, 200, JSON.stringify(await envelope(allowed.clone())));
  assert.equal((await envelope(allowed)).data.signed_by, null);
  const rows = (await envelope(await api.admin("/api/v1/audit?action=backup_restore"))).data.rows;
  assert.equal(rows.length, 1);
  assert.equal(rows[0].parameters.unsigned, true);
});
