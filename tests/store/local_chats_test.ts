import assert from "node:assert/strict";
import { changeLocalChat, readLocalChat } from "../../src/store/local_chats.ts";
import { memoryStore } from "../support/store.ts";

Deno.test("local chats: a long chat of cards with emoji keeps its newest messages within KV's value limit", async () => {
  using store = await memoryStore();
  const chatId = 8_000_000_000_000_001;
  // A card: mostly ASCII with one emoji, which makes V8 store the whole string two bytes a
  // character; its UTF-8 size is half of what KV is asked to hold.
  const card = (n: number) => `📰 card ${n} ` + "Bitcoin rose after the ETF news. ".repeat(28);
  for (let n = 1; n <= 120; n++) {
    await changeLocalChat(store, chatId, (chat) => {
      chat.messages.push({
        message_id: chat.next_id++,
        chat_id: chatId,
        from_bot: true,
        text: card(n),
        parse_mode: "HTML",
        reply_markup: null,
        date: 1_767_225_600,
        edited: false,
        rev: ++chat.rev,
      });
    });
  }
  const chat = await readLocalChat(store, chatId);
  assert.equal(chat.messages.at(-1)?.text, card(120), "the newest card is kept");
  assert.ok(chat.messages.length < 120, "older cards made room");
});
