import assert from "node:assert/strict";
import { type App, composeApp } from "../../src/compose.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { WEBHOOK_TEST_SECRET, webhookConfig } from "../support/app.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake_bot_api.ts";
import { tempKvPath } from "../support/store.ts";

const USER = 20;

/**
 * The read calls on the app's KV from `recording = true` until the next reply leaves for the Bot
 * API (what the user waits for; the process's own passes when idle come after): the keys each
 * asked for, or a list's prefix.
 */
function recordReads(app: App): { calls: string[][]; recording: boolean } {
  const record = { calls: [] as string[][], recording: false };
  app.bot.api.config.use((prev, method, payload, signal) => {
    if (method === "sendMessage") record.recording = false;
    return prev(method, payload, signal);
  });
  const kv = app.store.kv;
  const show = (key: Deno.KvKey) => key.map(String).join("/");
  const get = kv.get.bind(kv);
  const getMany = kv.getMany.bind(kv);
  const list = kv.list.bind(kv);
  kv.get = (key, options) => {
    if (record.recording) record.calls.push([show(key)]);
    return get(key, options);
  };
  kv.getMany = ((keys, options) => {
    if (record.recording) record.calls.push(keys.map(show));
    return getMany(keys, options);
  }) as Deno.Kv["getMany"];
  kv.list = (selector, options) => {
    if (record.recording) {
      record.calls.push([`list ${show("prefix" in selector ? selector.prefix : [])}`]);
    }
    return list(selector, options);
  };
  return record;
}

async function help(app: App, fake: FakeBotApi): Promise<void> {
  const replies = fake.sentTexts(USER).length;
  const response = await app.api.request("/telegram/webhook", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_TEST_SECRET,
    },
    body: JSON.stringify(fake.commandUpdate({ userId: USER, command: "help" })),
  });
  assert.equal(response.status, 200);
  await app.supervisor.whenIdle();
  assert.equal(fake.sentTexts(USER).length, replies + 1, "answered once");
}

Deno.test("kv reads: before its reply, a returning user's update reads once, the account with the take-over; its next update, the actor still in memory, reads once too, the account with the inbox mark; neither reads XP or totals", async () => {
  await using fake = startFakeBotApi();
  await using kv = await tempKvPath();
  // The clock stands still: no background pass reads while the updates are measured, and the
  // actor stays in memory after its turn (whose commit ends the lease).
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const first = await composeApp(webhookConfig(fake, kv.path), { clock });
  await first.start();
  await help(first, fake);
  await first.stop();

  const app = await composeApp(webhookConfig(fake, kv.path), { clock });
  try {
    await app.start();
    const reads = recordReads(app);
    reads.recording = true;
    await help(app, fake);
    assert.equal(reads.calls.length, 1, `one read: ${JSON.stringify(reads.calls)}`);
    assert.ok(
      reads.calls[0].some((key) => key.includes("profile_admin")),
      "the take-over's read brings the admin flags with the profile",
    );

    reads.calls.length = 0;
    reads.recording = true;
    await help(app, fake);
    assert.deepEqual(reads.calls, [
      [`inbox_mark/u:${USER}`, `g/1/profile/${USER}`, `g/1/profile_admin/${USER}`],
    ], "taking the lease back, the runtime reads the inbox mark and the account in one call");
  } finally {
    await app.stop();
  }
});
