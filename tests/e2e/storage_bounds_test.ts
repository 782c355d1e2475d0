import assert from "node:assert/strict";
import { MAX_LOCAL_USERS } from "../../src/bot/middleware/profile.ts";
import * as bookmarks from "../../src/store/bookmarks.ts";
import * as counters from "../../src/store/counters.ts";
import * as feedback from "../../src/store/feedback.ts";
import { commitTx } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { buttonData, callTo, messageIdOf, startLocalApp, startTestApp } from "../support/app.ts";
import { type FakeBotApi, type RecordedCall, startFakeBotApi } from "../support/fake_bot_api.ts";

const NEWS_EN =
  "The SEC approved a spot Bitcoin ETF on Wednesday; BTC rose 6% as inflows reached $1 billion.";

async function card(fake: FakeBotApi, userId: number): Promise<RecordedCall> {
  fake.pushUpdate(fake.textUpdate({ userId, text: NEWS_EN }));
  return await fake.waitFor(callTo("editMessageText", userId), {
    timeoutMs: 5000,
    includePast: true,
  });
}

/** Presses a button and waits for the press to be answered; returns the answer's toast text. */
async function press(fake: FakeBotApi, userId: number, data: string, messageId: number) {
  const before = fake.calls("answerCallbackQuery").length;
  fake.pushUpdate(fake.callbackUpdate({ userId, data, messageId }));
  const answer = await fake.waitFor(
    (c) =>
      c.method === "answerCallbackQuery" && fake.calls("answerCallbackQuery").indexOf(c) >= before,
    { timeoutMs: 5000, includePast: true },
  );
  return answer.params.text === undefined ? null : String(answer.params.text);
}

Deno.test("e2e storage bounds: 👎 pressed 20 times on one card stores 7 feedback rows and answers every press", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  const shown = await card(fake, 50);
  const toasts: (string | null)[] = [];
  for (let i = 0; i < 20; i++) {
    toasts.push(await press(fake, 50, buttonData(shown, "👎"), messageIdOf(shown)));
  }
  await running.app.supervisor.whenIdle();
  const rows = await feedback.list(running.app.store, 50);
  assert.equal(rows.length, 7, "five styles, the sixth, the limit: then nothing more is stored");
  assert.deepEqual(toasts.slice(0, 7), Array(7).fill(null));
  for (const toast of toasts.slice(7)) assert.match(String(toast), /seen every explanation/);
});

Deno.test("e2e storage bounds: the 101st bookmark is refused politely; a saved one still comes off", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  const { store } = running.app;
  const tx = store.tx();
  for (let i = 0; i < bookmarks.MAX_BOOKMARKS_PER_USER; i++) {
    bookmarks.add(tx, { user_id: 60, analysis_id: `seed${i}`, title: `Saved ${i}` }, Date.now());
  }
  await commitTx(store, tx);
  const shown = await card(fake, 60);
  const pin = buttonData(shown, "📌");
  const refused = await press(fake, 60, pin, messageIdOf(shown));
  assert.match(String(refused), /bookmarks are full \(100\)/);
  assert.equal((await bookmarks.list(store, 60, 500)).length, bookmarks.MAX_BOOKMARKS_PER_USER);

  const old = store.tx();
  bookmarks.remove(old, 60, "seed0");
  await commitTx(store, old);
  assert.match(String(await press(fake, 60, pin, messageIdOf(shown))), /Saved to \/bookmarks/);
  assert.match(String(await press(fake, 60, pin, messageIdOf(shown))), /Removed/);
});

Deno.test("e2e storage bounds: past 1000 local users a new one is refused politely and nothing is stored", async () => {
  await using running = await startLocalApp("storage-bounds-admin-token");
  const { store, localClient, local, supervisor } = running.app;
  const tx = store.tx();
  counters.add(tx, "local_users_total", MAX_LOCAL_USERS - 1);
  await commitTx(store, tx);
  const last = await localClient.newUser("Last", "en");
  await localClient.sendText(last, "/start");
  await supervisor.whenIdle();
  assert.ok(await profiles.get(store, last.id), "the 1000th is served");
  const extra = await localClient.newUser("Extra", "en");
  await localClient.sendText(extra, "/start");
  await supervisor.whenIdle();
  const replies = local.messages(extra.id).filter((m) => m.from_bot);
  assert.equal(replies.length, 1);
  assert.match(replies[0].text, /already 1000 local test users/);
  assert.equal(await profiles.get(store, extra.id), null);
  assert.equal(await counters.get(store, "local_users_total"), MAX_LOCAL_USERS);
});
