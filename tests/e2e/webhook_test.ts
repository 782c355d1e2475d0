import assert from "node:assert/strict";
import { composeApp } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { callTo } from "../support/app.ts";

const SECRET = "webhook_secret_for_tests_123";

async function startWebhookApp(fake: ReturnType<typeof startFakeBotApi>) {
  const dir = await Deno.makeTempDir({ prefix: "rvx-webhook-" });
  const app = await composeApp(createConfig({
    BOT_TOKEN: fake.token,
    BOT_API_ROOT: fake.url,
    BOT_MODE: "webhook",
    WEBHOOK_URL: "https://bot.example.test/telegram/webhook",
    WEBHOOK_SECRET: SECRET,
    KV_PATH: `${dir}/rvx.kv`,
    ADMIN_API_TOKEN: "admin-token-for-tests-0001",
  }));
  await app.start();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.api.fetch);
  const url = `http://127.0.0.1:${server.addr.port}/telegram/webhook`;
  return {
    app,
    url,
    async [Symbol.asyncDispose]() {
      await server.shutdown();
      await app.stop();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("webhook: a delivered update is acknowledged once durable and answered", async () => {
  await using fake = startFakeBotApi();
  await using running = await startWebhookApp(fake);
  const update = fake.commandUpdate({ userId: 90, command: "help" });
  assert.equal(await fake.deliverWebhook(running.url, update, SECRET), 200);
  await fake.waitFor(callTo("sendMessage", 90), { timeoutMs: 5000, includePast: true });
  assert.equal(await fake.deliverWebhook(running.url, update, SECRET), 200, "redelivery is fine");
  await running.app.supervisor.whenIdle();
  assert.equal(fake.calls("sendMessage").filter((c) => Number(c.params.chat_id) === 90).length, 1);
});

Deno.test("webhook: wrong secret 401, non-JSON 400, not an update 400, too large 413", async () => {
  await using fake = startFakeBotApi();
  await using running = await startWebhookApp(fake);
  const update = fake.commandUpdate({ userId: 91, command: "help" });
  assert.equal(await fake.deliverWebhook(running.url, update, "wrong-secret-0000000"), 401);
  assert.equal(await fake.deliverWebhook(running.url, update, null), 401);
  const post = (body: string) =>
    fetch(running.url, {
      method: "POST",
      headers: { "X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json" },
      body,
    });
  const notJson = await post("{nope");
  assert.equal(notJson.status, 400);
  assert.equal((await notJson.json()).error_code, "VALIDATION_ERROR_BODY");
  const notUpdate = await post(JSON.stringify({ update_id: -4 }));
  assert.equal(notUpdate.status, 400);
  assert.equal((await notUpdate.json()).error_code, "VALIDATION_ERROR_UPDATE_ID");
  const huge = await post(JSON.stringify({ update_id: 5, pad: "x".repeat(110_000) }));
  assert.equal(huge.status, 413);
  assert.equal((await huge.json()).error_code, "PAYLOAD_TOO_LARGE");
});

Deno.test("webhook: 503 while KV is down, nothing acknowledged is lost, served after recovery", async () => {
  await using fake = startFakeBotApi();
  await using running = await startWebhookApp(fake);
  const update = fake.commandUpdate({ userId: 92, command: "help" });
  running.app.store.injectFault("throwing");
  assert.equal(await fake.deliverWebhook(running.url, update, SECRET), 503);
  await running.app.store.reopen();
  assert.equal(await fake.deliverWebhook(running.url, update, SECRET), 200);
  await fake.waitFor(callTo("sendMessage", 92), { timeoutMs: 5000, includePast: true });
});
