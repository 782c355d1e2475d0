import assert from "node:assert/strict";
import { Composer } from "grammy";
import { createBot, turnHandler } from "../../../src/bot/bot.ts";
import { LOCAL_BOT_INFO } from "../../../src/compose.ts";
import { FakeClock } from "../../../src/core/clock.ts";
import { type BotContext } from "../../../src/bot/context.ts";
import { LocalApi, LocalClient, type LocalEvent } from "../../../src/bot/transport/local.ts";
import { memoryStore } from "../../support/store.ts";
import { createRuntime } from "../../support/runtime.ts";

const BOT_INFO = LOCAL_BOT_INFO;

/** A small feature standing in for the real ones: a reply with a button, and an edit on press. */
function echoFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("start", (ctx) =>
    ctx.reply(`<b>Hi</b> ${ctx.turn.actor}`, {
      parse_mode: "HTML",
      reply_markup: { inline_keyboard: [[{ text: "Press", callback_data: "press" }]] },
    }));
  feature.callbackQuery("press", async (ctx) => {
    await ctx.answerCallbackQuery({ text: "pressed" });
    await ctx.editMessageText("Pressed");
  });
  return feature;
}

Deno.test("local: the real bot answers through ingest and the supervisor, in-process", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const local = new LocalApi({ botInfo: BOT_INFO, clock, exclusive: true });
  const bot = createBot({
    token: "0:local",
    botInfo: BOT_INFO,
    features: [echoFeature()],
    transformers: [local.transformer],
  });
  const { inbox, supervisor } = createRuntime({ store, clock, handle: turnHandler(bot, store) });
  const client = new LocalClient({ store, inbox, api: local, clock });
  const user = await client.newUser("Ann", "en");
  const events: LocalEvent[] = [];
  local.subscribe(user.id, (event) => events.push(event));

  const sent = await client.sendText(user, "/start");
  assert.equal(sent.status, "queued");
  assert.ok(sent.status === "queued" && sent.actor === "local:1");
  await supervisor.whenIdle();
  const [mine, reply] = local.messages(user.id);
  assert.equal(mine.text, "/start");
  assert.equal(reply.text, "<b>Hi</b> local:1");
  assert.equal(reply.parse_mode, "HTML");
  assert.equal(reply.reply_markup?.inline_keyboard[0][0].text, "Press");

  await client.press(user, reply.message_id, "press");
  await supervisor.whenIdle();
  const edited = local.messages(user.id).find((m) => m.message_id === reply.message_id)!;
  assert.equal(edited.text, "Pressed");
  assert.equal(edited.edited, true);
  assert.deepEqual(events.map((e) => e.kind), ["message", "callback_answer", "edit"]);
  assert.equal(local.messages(user.id).length, 2, "an edit changes the message in place");
  await supervisor.stop();
});

Deno.test("local: local users get their own numbers and update ids across clients on one KV", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(0);
  const local = new LocalApi({ botInfo: BOT_INFO, clock, exclusive: true });
  const { inbox, supervisor } = createRuntime({ store, clock, handle: () => Promise.resolve() });
  const one = new LocalClient({ store, inbox, api: local, clock });
  const two = new LocalClient({ store, inbox, api: local, clock });
  const [a, b] = [await one.newUser(), await two.newUser()];
  assert.notEqual(a.id, b.id);
  const results = await Promise.all([one.sendText(a, "hi"), two.sendText(b, "hi")]);
  assert.ok(results.every((r) => r.status === "queued"));
  await supervisor.whenIdle();
  await supervisor.stop();
});

Deno.test("local: transcripts kept in KV take every message once when many arrive at once, for one chat and for many", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const local = new LocalApi({ botInfo: BOT_INFO, clock, exclusive: true, store });
  const chats = [8_000_000_000_000_001, 8_000_000_000_000_002, 8_000_000_000_000_003];
  // Sends and replies at once: their writes share group commits, and those to one chat conflict.
  await Promise.all(
    chats.flatMap((chat) =>
      Array.from(
        { length: 12 },
        (_, n) =>
          n % 2 === 0 ? local.addUserMessage(chat, `user ${n}`) : local.transformer(
            () => Promise.reject(new Error("no Telegram in local mode")),
            "sendMessage",
            { chat_id: chat, text: `bot ${n}` },
          ),
      )
    ),
  );
  for (const chat of chats) {
    const { messages } = await local.transcript(chat);
    assert.equal(messages.length, 12, `chat ${chat}: every message once`);
    const ids = messages.map((message) => message.message_id);
    assert.deepEqual(ids, [...new Set(ids)].sort((a, b) => a - b), "unique ids, in order");
    assert.deepEqual(
      messages.map((message) => message.text).sort(),
      Array.from({ length: 12 }, (_, n) => `${n % 2 === 0 ? "user" : "bot"} ${n}`).sort(),
    );
  }
});

Deno.test("local: a process changes the transcript it wrote last without reading it, and a change another process made meanwhile is kept", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const here = new LocalApi({ botInfo: BOT_INFO, clock, exclusive: true, store });
  const there = new LocalApi({ botInfo: BOT_INFO, clock, exclusive: true, store });
  const chat = 8_000_000_000_000_001;
  let reads = 0;
  const get = store.kv.get.bind(store.kv);
  store.kv.get = ((key, options) => (reads++, get(key, options))) as Deno.Kv["get"];

  await here.addUserMessage(chat, "one");
  reads = 0;
  await here.addUserMessage(chat, "two");
  assert.equal(reads, 0, "its own last write is what KV holds");
  await there.addUserMessage(chat, "three");
  reads = 0;
  await here.addUserMessage(chat, "four");
  assert.equal(reads, 1, "the other process's write failed the check: read, then written");
  const { messages } = await here.transcript(chat);
  assert.deepEqual(messages.map((m) => [m.message_id, m.text]), [
    [1, "one"],
    [2, "two"],
    [3, "three"],
    [4, "four"],
  ]);
});
