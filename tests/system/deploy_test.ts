/**
 * A Deploy-like start: `main.ts` as a child process under Deno 2.5 (from npm) with no write
 * permission, `DENO_DEPLOYMENT_ID` and `ADMIN_API_TOKEN` set and `KV_PATH=:memory:` (allowed by
 * the test-only `DEPLOY_ALLOW_FILE_KV`), against the fake Bot API in webhook mode. Real time: the
 * child is polled until `/health` answers.
 *
 * @module
 */
import assert from "node:assert/strict";
import { callTo } from "../support/app.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { ADMIN_TOKEN, deno25, SECRET, spawnBot } from "./support.ts";

const START_TIMEOUT_MS = 180_000;

Deno.test({
  name:
    "deploy: main.ts under Deno 2.5 without write permission serves health, webhook and KV backups, and never touches the webhook",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await using fake = startFakeBotApi();
  const bot = await spawnBot({
    fake,
    kvPath: ":memory:",
    denoPath: await deno25(),
    permissions: ["--allow-net", "--allow-env", "--allow-read"],
    env: {
      DENO_DEPLOYMENT_ID: "test",
      DEPLOY_ALLOW_FILE_KV: "true",
      // Set after the deploy (setup would have refused it): logged, ignored, and the rest serves.
      BACKUP_DIR: "/nonexistent/backups",
      LOG_LEVEL: "info",
    },
    startTimeoutMs: START_TIMEOUT_MS,
  });
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  try {
    const health = await fetch(`${bot.base}/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).success, true);

    // The webhook is `deno task setup`'s: the instance only checks it, and says how to fix it.
    await fake.waitFor("getWebhookInfo", { includePast: true, timeoutMs: 10_000 });
    const update = fake.commandUpdate({ userId: 4242, command: "help" });
    assert.equal(await fake.deliverWebhook(bot.hook, update, SECRET), 200);
    await fake.waitFor(callTo("sendMessage", 4242), { timeoutMs: 15_000, includePast: true });

    // A fresh KV has no backup, so the instance takes one as it starts; a backup asked for
    // meanwhile is refused with MAINTENANCE_BUSY ("try again"), as any second backup is.
    let made = await fetch(`${bot.base}/api/v1/backups`, { method: "POST", headers: admin });
    let body = await made.json();
    for (let tries = 0; made.status === 503 && body.error_code === "MAINTENANCE_BUSY"; tries++) {
      assert.ok(tries < 40, "the start's backup ends within 10 s");
      await new Promise((resolve) => setTimeout(resolve, 250));
      made = await fetch(`${bot.base}/api/v1/backups`, { method: "POST", headers: admin });
      body = await made.json();
    }
    assert.equal(made.status, 201, JSON.stringify(body));
    assert.equal(body.data.location, "kv");
    const listed = await fetch(`${bot.base}/api/v1/backups`, { headers: admin });
    const list = await listed.json();
    assert.equal(list.data.location, "kv");
    assert.ok(list.data.backups.some((b: { name: string }) => b.name === body.data.name));
    // Off-site: the KV-kept backup downloads as its file.
    const file = await fetch(`${bot.base}/api/v1/backups/${body.data.name}/download`, {
      headers: admin,
    });
    assert.equal(file.status, 200);
    assert.equal((await file.arrayBuffer()).byteLength, body.data.size_bytes);
  } catch (err) {
    throw new Error(
      `${err instanceof Error ? err.message : err}\n--- main.ts output ---\n${bot.output.join("")}`,
    );
  } finally {
    await bot.kill();
  }
  const text = bot.output.join("");
  assert.doesNotMatch(text, /PermissionDenied|NotCapable|Requires write access/i, text);
  assert.deepEqual(fake.calls("setWebhook"), [], "an instance on Deploy set the webhook");
  assert.deepEqual(fake.calls("deleteWebhook"), []);
  assert.deepEqual(fake.calls("setMyCommands"), []);
  assert.deepEqual(fake.calls("getUpdates"), []);
  assert.match(text, /WEBHOOK_MISSING/);
  assert.match(text, /BACKUP_DIR cannot be used on Deno Deploy[^\n]*DEPLOY_CONFIG/);
  assert.match(text, /deno task setup/);
});
