import assert from "node:assert/strict";
import { composeApp } from "../../src/compose.ts";
import { type FirstPhase, startFirstPhase } from "../../src/first_phase.ts";
import { readInbox } from "../../src/actors/inbox.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { dataKey, metaKeys } from "../../src/store/keys.ts";
import { openStore } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { SCHEMA_RECHECK_MS } from "../../src/store/schema_fence.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";
import { tempDir } from "../support/backup_files.ts";
import { callTo, WEBHOOK_TEST_SECRET as SECRET, webhookConfig } from "../support/app.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { collectLogs } from "../support/logs.ts";
import { tempKvPath } from "../support/store.ts";
import { SCHEMA_VERSION } from "../../src/store/migrations.ts";
import { createConfig } from "../../src/config.ts";

Deno.test("start: updates the first phase acknowledged before the app was built are answered once", async () => {
  await using fake = startFakeBotApi();
  await using kv = await tempKvPath();
  const config = webhookConfig(fake, kv.path);
  const first = await startFirstPhase(config);
  for (const userId of [301, 302]) {
    const update = fake.commandUpdate({ userId, command: "help" });
    const res = await first.api.request("/telegram/webhook", {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
      body: JSON.stringify(update),
    });
    assert.equal(res.status, 200);
  }
  const app = await composeApp(config, { firstPhase: first });
  try {
    // The webhook the full API serves is the first phase's, on the same inbox.
    assert.equal(app.inbox, first.inbox);
    await app.start();
    for (const userId of [301, 302]) {
      await fake.waitFor(callTo("sendMessage", userId), { timeoutMs: 10_000, includePast: true });
    }
    await app.supervisor.whenIdle();
    for (const userId of [301, 302]) {
      assert.equal(fake.calls("sendMessage").filter(callTo("sendMessage", userId)).length, 1);
    }
  } finally {
    await app.stop();
  }
});

/** A KV file with one user's data, left by the previous version (schema one behind). */
async function previousVersionKv(path: string): Promise<void> {
  const store = await openStore(path);
  await runMigrations(store);
  await store.kv.set(dataKey(1, "profile", 7), profiles.newProfile({ id: 7, language: "en" }, 0));
  await store.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION - 1);
  store.close();
}

function deliver(first: FirstPhase, update: unknown): Promise<Response> {
  return Promise.resolve(first.api.request("/telegram/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
    body: JSON.stringify(update),
  }));
}

Deno.test("start: on Deno Deploy an empty KV is set up on a cold start, saying the pre-deploy step was skipped", async () => {
  await using kv = await tempKvPath();
  const config = createConfig({
    DENO_DEPLOY: "true",
    KV_PATH: kv.path,
    DEPLOY_ALLOW_FILE_KV: "true",
  });
  const logs = await collectLogs(async () => {
    for (let start = 0; start < 2; start++) (await startFirstPhase(config)).store.close();
  });
  const warned = logs.filter((l) => l.code === "MIGRATION_AT_START");
  assert.equal(warned.length, 1, "the first cold start set it up; the second found it done");
  assert.equal(warned[0].version, SCHEMA_VERSION);
  assert.match(String(warned[0].message), /deno task setup/);
});

Deno.test("start: on Deno Deploy a KV behind the code is not migrated: updates get 503 SCHEMA_BEHIND until `deno task setup` ran, then are served without a restart", async () => {
  await using fake = startFakeBotApi();
  await using kv = await tempKvPath();
  await previousVersionKv(kv.path);
  const config = webhookConfig(fake, kv.path, {
    DENO_DEPLOY: "true",
    DEPLOY_ALLOW_FILE_KV: "true",
    WEBHOOK_TURNS_IN_REQUEST: "false",
  });
  const clock = new FakeClock(Date.UTC(2026, 2, 1));
  let first: FirstPhase | undefined;
  let refused: Response | undefined;
  let health: Response | undefined;
  const logs = await collectLogs(async () => {
    first = await startFirstPhase(config, { clock });
    refused = await deliver(first, fake.commandUpdate({ userId: 7, command: "help" }));
    health = await first.api.request("/health");
  });
  assert.equal(refused!.status, 503);
  assert.equal((await refused!.json()).error_code, "SCHEMA_BEHIND");
  assert.equal(health!.status, 503);
  assert.equal((await health!.json()).data.schema.status, "waiting");
  const behind = logs.filter((l) => l.code === "SCHEMA_BEHIND");
  assert.equal(behind.length, 1);
  assert.match(String(behind[0].message), /deno task setup/);
  const store = first!.store;
  assert.equal(
    (await store.kv.get(metaKeys.schemaVersion)).value,
    SCHEMA_VERSION - 1,
    "not migrated",
  );
  assert.deepEqual(await readInbox(store, "u:7", 10), [], "the refused update was not queued");

  // `deno task setup` (the pre-deploy step) migrates, from another process.
  const setup = await openStore(kv.path);
  const run = await runMigrations(setup);
  setup.close();
  assert.deepEqual(run.applied, [SCHEMA_VERSION]);
  assert.ok(run.backup, "kept in KV on Deploy");

  await clock.advance(SCHEMA_RECHECK_MS);
  const accepted = await deliver(first!, fake.commandUpdate({ userId: 7, command: "help" }));
  assert.equal(accepted.status, 200);
  assert.equal((await first!.api.request("/health")).status, 200);
  assert.equal((await readInbox(store, "u:7", 10)).length, 1);
  store.close();
});

Deno.test("start: locally a KV behind the code is migrated at start, after a backup into BACKUP_DIR", async () => {
  await using kv = await tempKvPath();
  await using dir = await tempDir();
  await previousVersionKv(kv.path);
  const config = createConfig({ KV_PATH: kv.path, BACKUP_DIR: dir.path });
  const first = await startFirstPhase(config);
  try {
    assert.equal((await first.store.kv.get(metaKeys.schemaVersion)).value, SCHEMA_VERSION);
    assert.equal(first.store.fence?.status, "current");
    const files = [];
    for await (const entry of Deno.readDir(dir.path)) files.push(entry.name);
    assert.equal(files.length, 1);
    assert.match(files[0], /^rvx-backup-\d{8}-\d{6}\.jsonl\.gz$/);
  } finally {
    first.store.close();
  }
});
