import assert from "node:assert/strict";
import { Api, Bot, GrammyError, HttpError, InputFile } from "grammy";
import { type Update } from "grammy/types";
import { Hono } from "hono";
import { startFakeBotApi } from "./fake_bot_api.ts";
import { TcpGate } from "./tcp_gate.ts";

function botFor(fake: { token: string; url: string }, token = fake.token): Bot {
  return new Bot(token, { client: { apiRoot: fake.url } });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected the promise to reject");
}

Deno.test("fake bot api: bot.init() gets the bot from getMe over HTTP", async () => {
  await using fake = startFakeBotApi({ username: "rvx_e2e_bot" });
  const bot = botFor(fake);
  await bot.init();
  assert.equal(bot.botInfo.id, 123456789);
  assert.equal(bot.botInfo.is_bot, true);
  assert.equal(bot.botInfo.username, "rvx_e2e_bot");
  assert.equal(bot.botInfo.can_join_groups, true);
  assert.equal(fake.calls("getMe").length, 1);
});

Deno.test("fake bot api: a wrong token is refused with 401 Unauthorized", async () => {
  await using fake = startFakeBotApi();
  const error = await rejection(botFor(fake, "1:wrong").init());
  assert.ok(error instanceof GrammyError);
  assert.equal(error.error_code, 401);
  assert.equal(error.description, "Unauthorized");
});

Deno.test("fake bot api: sendMessage then editMessageText shows the edit in place", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  const keyboard = { inline_keyboard: [[{ text: "More", callback_data: "more" }]] };
  const first = await bot.api.sendMessage(42, "Analysing…", { reply_markup: keyboard });
  const second = await bot.api.sendMessage(42, "Second");
  assert.equal(first.message_id, 1);
  assert.equal(second.message_id, 2);
  assert.equal(first.from?.id, fake.me.id);
  assert.equal(first.chat.type, "private");
  assert.deepEqual(first.reply_markup, keyboard);

  const edited = await bot.api.editMessageText(42, first.message_id, "Bullish", {
    reply_markup: keyboard,
  });
  assert.ok(edited !== true && "text" in edited && edited.text === "Bullish");
  const [now, other] = fake.messages(42);
  assert.equal(now.message_id, 1);
  assert.equal(now.text, "Bullish");
  assert.equal(typeof now.edit_date, "number");
  assert.deepEqual(now.reply_markup, keyboard);
  assert.equal(other.text, "Second");
  assert.deepEqual(fake.sentTexts(42), ["Analysing…", "Second"]);
  // Message ids count per chat.
  assert.equal((await bot.api.sendMessage(7, "Other chat")).message_id, 1);
});

Deno.test("fake bot api: an identical edit is a 400 message is not modified", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  const sent = await bot.api.sendMessage(42, "Same");
  const error = await rejection(bot.api.editMessageText(42, sent.message_id, "Same"));
  assert.ok(error instanceof GrammyError);
  assert.equal(error.error_code, 400);
  assert.match(error.description, /^Bad Request: message is not modified/);
});

Deno.test("fake bot api: editing or deleting an unknown message is a 400", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  const edit = await rejection(bot.api.editMessageText(42, 99, "x"));
  assert.ok(edit instanceof GrammyError);
  assert.equal(edit.description, "Bad Request: message to edit not found");
  const del = await rejection(bot.api.deleteMessage(42, 99));
  assert.ok(del instanceof GrammyError);
  assert.equal(del.description, "Bad Request: message to delete not found");
});

Deno.test("fake bot api: editMessageReplyMarkup and deleteMessage change the transcript", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  const keyboard = { inline_keyboard: [[{ text: "A", callback_data: "a" }]] };
  const sent = await bot.api.sendMessage(42, "Pick", { reply_markup: keyboard });
  await bot.api.editMessageReplyMarkup(42, sent.message_id);
  assert.equal(fake.messages(42)[0].reply_markup, undefined);
  const again = await rejection(bot.api.editMessageReplyMarkup(42, sent.message_id));
  assert.ok(again instanceof GrammyError && again.error_code === 400);
  assert.equal(await bot.api.deleteMessage(42, sent.message_id), true);
  assert.deepEqual(fake.messages(42), []);
});

Deno.test("fake bot api: long polling returns pushed updates and confirms them by offset", async () => {
  await using fake = startFakeBotApi({ maxPollWaitMs: 5000 });
  const bot = botFor(fake);
  const poll = bot.api.getUpdates({ offset: 0, timeout: 30 });
  await fake.waitFor("getUpdates", { includePast: true });
  const pushed = fake.pushUpdate(fake.textUpdate({ userId: 42, text: "hello" }));
  const [update] = await poll;
  assert.equal(update.update_id, pushed.update_id);
  assert.equal(update.message?.text, "hello");
  assert.equal(update.message?.from?.language_code, "en");

  // Unconfirmed updates come again; an offset above them confirms them.
  assert.equal((await bot.api.getUpdates({ offset: 0 })).length, 1);
  assert.deepEqual(await bot.api.getUpdates({ offset: update.update_id + 1 }), []);
  assert.deepEqual(await bot.api.getUpdates({ offset: 0 }), []);
});

Deno.test("fake bot api: a long poll ends empty after maxPollWaitMs", async () => {
  await using fake = startFakeBotApi({ maxPollWaitMs: 30 });
  const started = performance.now();
  assert.deepEqual(await botFor(fake).api.getUpdates({ timeout: 50 }), []);
  assert.ok(performance.now() - started < 5000);
});

Deno.test("fake bot api: getUpdates respects limit and allowed_updates", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  fake.pushUpdate(fake.textUpdate({ userId: 1, text: "one" }));
  fake.pushUpdate(fake.callbackUpdate({ userId: 1, data: "x", messageId: 1 }));
  fake.pushUpdate(fake.textUpdate({ userId: 1, text: "two" }));
  assert.equal((await bot.api.getUpdates({ limit: 1 })).length, 1);
  const messages = await bot.api.getUpdates({ allowed_updates: ["message"] });
  assert.deepEqual(messages.map((u) => u.message?.text), ["one", "two"]);
});

Deno.test("fake bot api: a redelivered update_id is delivered again past the offset", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  const original = fake.pushUpdate(fake.textUpdate({ userId: 1, text: "once", updateId: 500 }));
  await bot.api.getUpdates({ offset: 501 });
  fake.pushUpdate(original);
  const [again] = await bot.api.getUpdates({ offset: 501 });
  assert.equal(again.update_id, 500);
  assert.deepEqual(await bot.api.getUpdates({ offset: 501 }), []);
  assert.equal(fake.textUpdate({ userId: 1, text: "next" }).update_id, 501);
});

Deno.test("fake bot api: a second long poll ends the first with 409 Conflict", async () => {
  await using fake = startFakeBotApi({ maxPollWaitMs: 5000 });
  const bot = botFor(fake);
  const first = rejection(bot.api.getUpdates({ timeout: 30 }));
  await fake.waitFor("getUpdates", { includePast: true });
  assert.deepEqual(await bot.api.getUpdates({ timeout: 0 }), []);
  const error = await first;
  assert.ok(error instanceof GrammyError);
  assert.equal(error.error_code, 409);
  assert.match(error.description, /terminated by other getUpdates request/);
});

Deno.test("fake bot api: a running bot answers a command over long polling", async () => {
  await using fake = startFakeBotApi({ maxPollWaitMs: 200 });
  const bot = botFor(fake);
  bot.command("start", (ctx) => ctx.reply(`Hi, ${ctx.match || "friend"}`));
  const running = bot.start({ drop_pending_updates: true });
  // Pushed any earlier, the update would be dropped by start's deleteWebhook, as on Telegram.
  await fake.waitFor("getUpdates", { includePast: true });
  fake.pushUpdate(fake.commandUpdate({ userId: 42, command: "start", args: "ref_7" }));
  const call = await fake.waitFor((c) => c.method === "sendMessage" && c.params.chat_id === 42);
  assert.equal(call.params.text, "Hi, ref_7");
  await bot.stop();
  await running;
  assert.deepEqual(fake.messages(42).map((m) => [m.from?.is_bot, m.text]), [
    [false, "/start ref_7"],
    [true, "Hi, ref_7"],
  ]);
});

Deno.test("fake bot api: a callback update carries the current message", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  const sent = await bot.api.sendMessage(42, "Pick", {
    reply_markup: { inline_keyboard: [[{ text: "RU", callback_data: "lang:ru" }]] },
  });
  const update = fake.callbackUpdate({ userId: 42, data: "lang:ru", messageId: sent.message_id });
  const message = update.callback_query?.message;
  assert.equal(message?.message_id, sent.message_id);
  assert.equal(message && "text" in message ? message.text : undefined, "Pick");
  await bot.api.answerCallbackQuery(update.callback_query?.id ?? "", { text: "Done" });
  assert.equal(fake.calls("answerCallbackQuery")[0].params.text, "Done");
});

Deno.test("fake bot api: a channel post names the channel and bot posts carry it", async () => {
  await using fake = startFakeBotApi();
  const post = fake.channelPostUpdate({ chatId: -1001234, text: "News", username: "rvx_news" });
  assert.equal(post.channel_post?.chat.type, "channel");
  const sent = await botFor(fake).api.sendMessage("@rvx_news", "Summary");
  assert.equal(sent.chat.id, -1001234);
  assert.equal(sent.sender_chat?.id, -1001234);
  assert.equal(sent.from, undefined);
});

Deno.test("fake bot api: 429 carries retry_after and affects only the next N calls", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  fake.faults.rateLimit({ method: "sendMessage", times: 1, retryAfter: 3 });
  const error = await rejection(bot.api.sendMessage(42, "x"));
  assert.ok(error instanceof GrammyError);
  assert.equal(error.error_code, 429);
  assert.equal(error.description, "Too Many Requests: retry after 3");
  assert.equal(error.parameters.retry_after, 3);
  assert.equal((await bot.api.sendMessage(42, "x")).text, "x");
  assert.deepEqual(fake.sentTexts(42), ["x"]);
});

Deno.test("fake bot api: a disconnect is a network error and the call has no effect", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  fake.faults.disconnect({ method: "sendMessage", times: 1 });
  assert.ok(await rejection(bot.api.sendMessage(42, "lost")) instanceof HttpError);
  assert.equal((await bot.api.sendMessage(42, "x")).text, "x");
  assert.deepEqual(fake.sentTexts(42), ["x"]);
  assert.equal(fake.calls("sendMessage")[0].response, undefined, "never answered");
});

Deno.test("tcp gate: refused connections are network errors; once open again calls go through", async () => {
  await using fake = startFakeBotApi();
  await using gate = TcpGate.start(fake.url);
  const bot = botFor({ token: fake.token, url: gate.url });
  assert.equal((await bot.api.sendMessage(42, "before")).text, "before");
  gate.refuse();
  assert.ok(await rejection(bot.api.sendMessage(42, "refused")) instanceof HttpError);
  gate.open();
  assert.equal((await bot.api.sendMessage(42, "after")).text, "after");
  assert.deepEqual(fake.sentTexts(42), ["before", "after"]);
});

Deno.test("fake bot api: share-based faults repeat with the same seed", async () => {
  async function outcomes(seed: number): Promise<number[]> {
    await using fake = startFakeBotApi({ seed });
    fake.faults.serverError({ share: 0.5 });
    const bot = botFor(fake);
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      codes.push(await bot.api.sendChatAction(1, "typing").then(() => 200, (e) => e.error_code));
    }
    return codes;
  }
  const first = await outcomes(7);
  assert.deepEqual(await outcomes(7), first);
  assert.ok(first.includes(500) && first.includes(200));
});

Deno.test("fake bot api: a blocked chat answers 403 until unblocked", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  fake.faults.block(42);
  const error = await rejection(bot.api.sendMessage(42, "x"));
  assert.ok(error instanceof GrammyError);
  assert.equal(error.error_code, 403);
  assert.equal(error.description, "Forbidden: bot was blocked by the user");
  assert.equal((await bot.api.sendMessage(43, "y")).text, "y");
  fake.faults.clear();
  assert.equal((await bot.api.sendMessage(42, "x")).text, "x");
});

Deno.test("fake bot api: while a webhook is set getUpdates is a 409 Conflict", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  await bot.api.setWebhook("https://example.test/hook", {
    secret_token: "s3cret",
    allowed_updates: ["message"],
  });
  assert.deepEqual(fake.webhook, {
    url: "https://example.test/hook",
    secretToken: "s3cret",
    allowedUpdates: ["message"],
  });
  const info = await bot.api.getWebhookInfo();
  assert.equal(info.url, "https://example.test/hook");
  const error = await rejection(bot.api.getUpdates());
  assert.ok(error instanceof GrammyError);
  assert.equal(error.error_code, 409);
  assert.match(error.description, /webhook is active/);
  await bot.api.deleteWebhook();
  assert.deepEqual(await bot.api.getUpdates(), []);
});

Deno.test("fake bot api: waitFor resolves on a matching call and times out otherwise", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  const waiting = fake.waitFor((c) => c.method === "sendMessage" && c.params.text === "two");
  await bot.api.sendMessage(1, "one");
  await bot.api.sendMessage(1, "two");
  const call = await waiting;
  assert.equal(call.params.chat_id, 1);
  assert.equal(call.response?.ok, true);
  const error = await rejection(fake.waitFor("logOut", { timeoutMs: 20 }));
  assert.ok(error instanceof Error);
  assert.match(error.message, /Timed out after 20 ms/);
});

Deno.test("fake bot api: setMyCommands is kept per scope and language", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  await bot.api.setMyCommands([{ command: "start", description: "Start" }]);
  await bot.api.setMyCommands([{ command: "start", description: "Начать" }], {
    language_code: "ru",
  });
  assert.equal((await bot.api.getMyCommands({ language_code: "ru" }))[0].description, "Начать");
  assert.equal((await bot.api.getMyCommands())[0].description, "Start");
  assert.deepEqual(fake.commands({ scope: { type: "all_private_chats" } }), []);
});

Deno.test("fake bot api: a multipart upload becomes a photo message", async () => {
  await using fake = startFakeBotApi();
  const bot = botFor(fake);
  const bytes = new Uint8Array([137, 80, 78, 71]);
  const sent = await bot.api.sendPhoto(42, new InputFile(bytes, "chart.png"), { caption: "Chart" });
  assert.equal(sent.caption, "Chart");
  assert.equal(sent.photo?.length, 1);
  const { params } = fake.calls("sendPhoto")[0];
  assert.deepEqual(params.photo, {
    file_name: "chart.png",
    mime_type: "application/octet-stream",
    file_size: 4,
  });
  assert.equal(params.chat_id, 42);
});

Deno.test("fake bot api: unknown methods succeed and are recorded", async () => {
  await using fake = startFakeBotApi();
  assert.equal(await botFor(fake).api.setChatMenuButton({ chat_id: 1 }), true);
  assert.equal(fake.calls("setChatMenuButton").length, 1);
  fake.reset();
  assert.deepEqual(fake.calls(), []);
});

Deno.test("fake bot api: deliverWebhook posts an update with the secret header", async () => {
  await using fake = startFakeBotApi();
  const received: { secret: string | null; update: Update }[] = [];
  const app = new Hono();
  app.post("/hook", async (c) => {
    const secret = c.req.header("x-telegram-bot-api-secret-token") ?? null;
    received.push({ secret, update: await c.req.json() });
    return c.body(null, secret === "s3cret" ? 200 : 401);
  });
  await using server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const url = `http://127.0.0.1:${server.addr.port}/hook`;
  const update = fake.textUpdate({ userId: 5, text: "hi" });
  assert.equal(await fake.deliverWebhook(url, update, "s3cret"), 200);
  assert.equal(await fake.deliverWebhook(url, update, null), 401);
  assert.deepEqual(received.map((r) => r.secret), ["s3cret", null]);
  assert.deepEqual(received[0].update, update);
});

Deno.test("fake bot api: close releases a hanging long poll and a hung call", async () => {
  const fake = startFakeBotApi({ maxPollWaitMs: 60_000 });
  const bot = botFor(fake);
  fake.faults.hang({ method: "sendMessage" });
  const poll = rejection(bot.api.getUpdates({ timeout: 50 }));
  const hung = rejection(bot.api.sendMessage(1, "never"));
  await fake.waitFor("getUpdates", { includePast: true });
  await fake.waitFor("sendMessage", { includePast: true });
  const waiting = rejection(fake.waitFor("never"));
  await fake.close();
  assert.ok(await poll instanceof HttpError);
  assert.ok(await hung instanceof HttpError);
  assert.match((await waiting as Error).message, /closed/);
  await fake.close();
});

Deno.test("fake Bot API: malformed HTML is refused as Telegram refuses it", async () => {
  await using fake = startFakeBotApi();
  const api = new Api(fake.token, { apiRoot: fake.url });
  for (const text of ["<b>unclosed", "a < b", "Q&A", "<script>x</script>", "<b><i>x</b></i>"]) {
    await assert.rejects(
      api.sendMessage(1, text, { parse_mode: "HTML" }),
      (e: unknown) => e instanceof GrammyError && /can't parse entities/.test(e.description),
      text,
    );
  }
  const ok = await api.sendMessage(
    1,
    '<b>bold</b> &lt;tag&gt; &amp; <a href="https://x.test">link</a>',
    {
      parse_mode: "HTML",
    },
  );
  assert.equal(ok.message_id > 0, true);
  await api.sendMessage(1, "plain < & text");
});
