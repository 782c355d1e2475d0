import assert from "node:assert/strict";
import { composeApp } from "../../src/compose.ts";
import { startFirstPhase } from "../../src/first_phase.ts";
import { callTo, WEBHOOK_TEST_SECRET as SECRET, webhookConfig } from "../support/app.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { tempKvPath } from "../support/store.ts";
import { configureLogging } from "../../src/log.ts";
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

Deno.test("start: on Deno Deploy a cold start that has to migrate says the pre-deploy step was skipped", async () => {
  await using kv = await tempKvPath();
  const lines: string[] = [];
  await configureLogging({ level: "info", format: "json", write: (l) => lines.push(l) });
  try {
    const config = createConfig({
      DENO_DEPLOY: "true",
      KV_PATH: kv.path,
      DEPLOY_ALLOW_FILE_KV: "true",
    });
    for (let start = 0; start < 2; start++) (await startFirstPhase(config)).store.close();
  } finally {
    await configureLogging({ level: "info", format: "json", write: () => {} });
  }
  const warned = lines.map((l) => JSON.parse(l)).filter((l) => l.code === "MIGRATION_AT_START");
  assert.equal(warned.length, 1, "the first cold start migrated; the second found it done");
  assert.equal(warned[0].level, "ERROR");
  assert.equal(warned[0].version, SCHEMA_VERSION);
  assert.match(warned[0].message, /deno task setup/);
});
