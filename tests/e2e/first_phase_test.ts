import assert from "node:assert/strict";
import { composeApp } from "../../src/compose.ts";
import { startFirstPhase } from "../../src/first_phase.ts";
import { callTo, WEBHOOK_TEST_SECRET as SECRET, webhookConfig } from "../support/app.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { tempKvPath } from "../support/store.ts";

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
