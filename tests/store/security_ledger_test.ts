import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import * as apiKeys from "../../src/store/api_keys.ts";
import * as audit from "../../src/store/audit.ts";
import { BackupService } from "../../src/store/backups.ts";
import * as counters from "../../src/store/counters.ts";
import { dataKey } from "../../src/store/keys.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { changesSince, ledgerSince } from "../../src/store/security_ledger.ts";
import { tempDir } from "../support/backup_files.ts";
import { memoryStore } from "../support/store.ts";

const T0 = Date.UTC(2026, 4, 1, 3, 20);
const DAY = 86_400_000;

/** A store with one API key, created at T0, and a backup of it a second later. */
async function keyAndBackup(store: Store, dir: string) {
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, backupDir: dir, retentionDays: 30 });
  const { key, view } = await apiKeys.create(store, { name: "ci", owner: "ops" }, T0, {
    via: "cli",
  });
  await clock.advance(1000);
  return { clock, backups, key, view, made: await backups.create() };
}

Deno.test("security ledger: key and flag changes are recorded with their resulting state", async () => {
  using store = await memoryStore();
  const { view } = await apiKeys.create(store, { name: "ci", owner: "ops" }, T0, { via: "cli" });
  await apiKeys.revoke(store, view.id, T0 + 1000, { via: "cli" });
  const tx = store.tx();
  profiles.setAdminFlags(tx, 42, { tier: "pro", banned: true, ban_reason: "spam" }, T0 + 2000);
  await commitTx(store, tx);

  const changes = await changesSince(store, T0);
  assert.deepEqual(changes.map((c) => [c.kind, c.at]), [
    ["api_key", T0],
    ["api_key", T0 + 1000],
    ["admin_flags", T0 + 2000],
  ]);
  const [created, revoked, flags] = changes;
  assert.equal(created.kind === "api_key" && created.record.revoked_at, null);
  assert.equal(
    revoked.kind === "api_key" && revoked.record.revoked_at,
    new Date(T0 + 1000).toISOString(),
  );
  assert.ok(!JSON.stringify(changes).includes("rvx_"), "the ledger holds no key");
  assert.deepEqual(flags.kind === "admin_flags" && flags.flags, {
    tier: "pro",
    banned: true,
    ban_reason: "spam",
  });
  assert.deepEqual(await changesSince(store, T0 + 1500), [flags]);
  // What a restore reads again after its switch: only the entries after the last it replayed.
  assert.deepEqual(await changesSince(store, T0, created.id), [revoked, flags]);
  assert.deepEqual(await changesSince(store, T0, flags.id), []);
});

Deno.test("security ledger: pruned with the backups it may be replayed onto; a restore of older data says what it could not re-apply", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  await using aside = await tempDir();
  const { clock, backups, key, view, made: first } = await keyAndBackup(store, dir.path);
  await Deno.copyFile(`${dir.path}/${first.name}`, `${aside.path}/${first.name}`);
  await apiKeys.revoke(store, view.id, T0 + DAY, { via: "cli" });

  // Day 20: the first backup is within retention; the revocation is kept for it.
  await clock.set(T0 + 20 * DAY);
  await backups.create();
  assert.deepEqual(await backups.prune(), []);
  assert.equal((await changesSince(store, 0)).length, 2);
  assert.equal(await ledgerSince(store), null);

  // Day 45: the first backup is gone, and with it what only it needed.
  await clock.set(T0 + 45 * DAY);
  assert.deepEqual(await backups.prune(), [first.name]);
  assert.deepEqual(await changesSince(store, 0), []);
  const since = await ledgerSince(store);
  assert.ok(since !== null && since > T0 + DAY && since <= T0 + 20 * DAY);

  // An operator copies the old backup back: the restore does what it can and says what it cannot.
  await Deno.copyFile(`${aside.path}/${first.name}`, `${dir.path}/${first.name}`);
  const result = await backups.restore(first.name);
  assert.equal(result.ledger_incomplete_before, new Date(since!).toISOString());
  assert.deepEqual(result.reapplied.revoked_keys, []);
  assert.ok(await apiKeys.verify(store, key), "documented: a pruned revocation is not re-applied");
});

Deno.test("security ledger: a key revoked while a restore runs (after its replay, before the switch) stays revoked", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const { clock, backups, key, view, made } = await keyAndBackup(store, dir.path);
  await clock.advance(60_000);

  let revokedDuringRestore = false;
  const result = await backups.restore(made.name, {
    // API key revocations do not wait for the maintenance lease: one lands in the old data now.
    async onProgress(p) {
      if (p.phase !== "reapply" || revokedDuringRestore) return;
      revokedDuringRestore = true;
      assert.ok(await apiKeys.revoke(store, view.id, clock.now(), { via: "api" }));
    },
  });
  assert.ok(revokedDuringRestore);
  assert.deepEqual(result.reapplied.revoked_keys, [], "the replay ran before the revocation");
  assert.equal(store.generation, result.to_generation);
  assert.equal(await apiKeys.verify(store, key), null, "the revocation was lost in the switch");
  assert.equal((await apiKeys.list(store))[0].status, "revoked");
});

Deno.test("security ledger: a restore re-applying many changes says so in full, and its audit row stays within its size", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const { clock, backups, made } = await keyAndBackup(store, dir.path);
  await clock.advance(60_000);
  const users = Array.from({ length: 60 }, (_, i) => 1000 + i);
  const tx = store.tx();
  for (const id of users) {
    profiles.setAdminFlags(tx, id, { tier: "free", banned: true, ban_reason: "spam" }, clock.now());
  }
  await commitTx(store, tx);

  const result = await backups.restore(made.name);
  assert.deepEqual(result.reapplied.bans, users);
  for (const id of users) {
    const flags = await store.kv.get<{ banned: boolean }>(
      dataKey(store.generation, "profile_admin", id),
    );
    assert.equal(flags.value?.banned, true, `user ${id}`);
  }
  assert.equal(await counters.get(store, profiles.BANNED_COUNTER), 60);
  const [row] = await audit.query(store, { action: "backup_restore" });
  const reapplied = row.parameters?.reapplied as Record<string, unknown>;
  assert.deepEqual(reapplied.bans, users.slice(0, 20));
  assert.equal(reapplied.bans_count, 60);
  assert.equal(row.parameters?.signed_by, made.key_id);
});
