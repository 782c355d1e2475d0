import assert from "node:assert/strict";
import { DatabaseError } from "../../src/core/errors.ts";
import { dataKey, metaKeys } from "../../src/store/keys.ts";
import { openStore } from "../../src/store/kv.ts";
import { SCHEMA_VERSION } from "../../src/store/migrations.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";
import * as profiles from "../../src/store/profiles.ts";
import { tempKvPath } from "../support/store.ts";

Deno.test("migrations: an empty store reaches the latest schema; a second run changes nothing", async () => {
  const store = await openStore(":memory:");
  assert.deepEqual(
    (await runMigrations(store)).applied,
    Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
  );
  assert.equal((await store.kv.get(metaKeys.schemaVersion)).value, SCHEMA_VERSION);
  assert.equal((await store.kv.get(metaKeys.generation)).value, 1);
  assert.deepEqual(await runMigrations(store), { applied: [], backup: null });
  store.close();
});

Deno.test("migrations: schema-1 profiles with inline tier and ban are split, twice safely", async () => {
  await using tmp = await tempKvPath();
  const old = await openStore(tmp.path);
  await old.kv.set(metaKeys.schemaVersion, 1);
  await old.kv.set(metaKeys.generation, 1);
  await old.kv.set(dataKey(1, "profile", 7), {
    ...profiles.newProfile({ id: 7, language: "en" }, 0),
    tier: "pro",
    banned: true,
    ban_reason: "spam",
  });
  await old.kv.set(dataKey(1, "profile", 8), profiles.newProfile({ id: 8, language: "ru" }, 0));
  old.close();

  for (let run = 0; run < 2; run++) {
    const store = await openStore(tmp.path);
    await runMigrations(store);
    // A partial second run must not undo the first: re-run step 2 explicitly.
    await store.kv.set(metaKeys.schemaVersion, 1);
    await runMigrations(store);
    const seven = await profiles.get(store, 7);
    assert.equal(seven?.tier, "pro");
    assert.equal(seven?.banned, true);
    assert.equal(seven?.ban_reason, "spam");
    const raw = (await store.kv.get<Record<string, unknown>>(dataKey(1, "profile", 7))).value!;
    assert.equal("tier" in raw, false);
    const eight = await profiles.get(store, 8);
    assert.equal(eight?.tier, "free");
    assert.equal(eight?.banned, false);
    store.close();
  }
});

Deno.test("migrations: data newer than the code stops the start", async () => {
  const store = await openStore(":memory:");
  await store.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION + 1);
  await assert.rejects(
    runMigrations(store),
    (e) => e instanceof DatabaseError && e.code === "SCHEMA_TOO_NEW",
  );
  store.close();
});

/**
 * Another process holding the KV file's write lock, as a second `main.ts` starting at the same
 * moment does: a child opens the file with SQLite, takes the write lock (`BEGIN IMMEDIATE`),
 * says so, and commits after `holdMs`.
 */
async function lockHolder(path: string, holdMs: number): Promise<{ released: Promise<unknown> }> {
  const code = `
    import { DatabaseSync } from "node:sqlite";
    const db = new DatabaseSync(Deno.env.get("KV_FILE"));
    db.exec("BEGIN IMMEDIATE");
    console.log("locked");
    setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${holdMs});
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", code],
    env: { KV_FILE: path },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let said = "";
  while (!said.includes("locked")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the lock holder exited: ${said}`);
    said += value;
  }
  const released = Promise.all([child.status, reader.read().then(() => reader.cancel())]);
  return { released };
}

Deno.test("migrations: a fresh KV file whose write lock another process holds is migrated once it is free", async () => {
  // Two processes starting at once on a new file: one migrates while the other's migration
  // commits find the file locked. Those commits wait for the lock instead of failing the start
  // with "database is locked".
  await using tmp = await tempKvPath();
  const store = await openStore(tmp.path);
  try {
    const holder = await lockHolder(tmp.path, 300);
    assert.deepEqual(
      (await runMigrations(store)).applied,
      Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
    );
    await holder.released;
    assert.equal((await store.kv.get(metaKeys.schemaVersion)).value, SCHEMA_VERSION);
  } finally {
    store.close();
  }
});
