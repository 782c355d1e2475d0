import assert from "node:assert/strict";
import { composeApp } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { startFirstPhase } from "../../src/first_phase.ts";
import { callTo } from "../support/app.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { tempKvPath } from "../support/store.ts";

const SECRET = "first_phase_secret_0123456789";

Deno.test("start: updates the first phase acknowledged before the app was built are answered once", async () => {
  await using fake = startFakeBotApi();
  await using kv = await tempKvPath();
  const config = createConfig({
    BOT_TOKEN: fake.token,
    BOT_API_ROOT: fake.url,
    BOT_MODE: "webhook",
    WEBHOOK_URL: "https://bot.test/telegram/webhook",
    WEBHOOK_SECRET: SECRET,
    KV_PATH: kv.path,
    FLOOD_COOLDOWN_SECONDS: "0",
  });
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
