import assert from "node:assert/strict";
import { DatabaseError } from "../../src/core/errors.ts";
import { dataKey, metaKeys } from "../../src/store/keys.ts";
import { openStore } from "../../src/store/kv.ts";
import { runMigrations, SCHEMA_VERSION } from "../../src/store/migrations.ts";
import * as profiles from "../../src/store/profiles.ts";
import { tempKvPath } from "../support/store.ts";

Deno.test("migrations: an empty store reaches the latest schema; a second run changes nothing", async () => {
  const store = await openStore(":memory:");
  assert.deepEqual(
    await runMigrations(store),
    Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1),
  );
  assert.equal((await store.kv.get(metaKeys.schemaVersion)).value, SCHEMA_VERSION);
  assert.equal((await store.kv.get(metaKeys.generation)).value, 1);
  assert.deepEqual(await runMigrations(store), []);
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
