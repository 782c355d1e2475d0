import assert from "node:assert/strict";
import { type Message, type Update } from "grammy/types";
import { GLOSSARY_PAGE_SIZE, GLOSSARY_TERMS } from "../../src/bot/features/glossary.ts";
import { htmlToPlain } from "../../src/bot/html.ts";
import { t } from "../../src/i18n/mod.ts";
import { sessionKey } from "../../src/store/sessions.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake_bot_api.ts";
import { startTestApp, type TestApp } from "../support/app.ts";

/** One user in a chat with the bot over the fake Bot API. */
function chat(fake: FakeBotApi, running: TestApp, userId: number, lang: "en" | "ru" = "en") {
  async function settle(update: Update): Promise<void> {
    await fake.waitFor(
      (c) => c.method === "getUpdates" && Number(c.params.offset) > update.update_id,
      { timeoutMs: 5000, includePast: true },
    );
    await running.app.supervisor.whenIdle();
  }
  const fromBot = () =>
    fake.messages(userId).filter((m) => m.from?.is_bot) as Message.TextMessage[];
  const buttons = (m: Message.TextMessage) =>
    (m.reply_markup?.inline_keyboard.flat() ?? []) as { text: string; callback_data: string }[];
  return {
    fromBot,
    buttons,
    last: () => fromBot().at(-1)!,
    /** The message as it stands now (edits applied). */
    now: (m: Message) => fromBot().find((b) => b.message_id === m.message_id)!,
    async send(command: string, args?: string): Promise<Message.TextMessage> {
      const update = fake.pushUpdate(
        fake.commandUpdate({ userId, command, args, languageCode: lang }),
      );
      await settle(update);
      return fromBot().at(-1)!;
    },
    /** Presses the button whose label matches; returns its toast. */
    async press(m: Message.TextMessage, label: string | RegExp): Promise<string | undefined> {
      const hit = buttons(m).find((b) =>
        typeof label === "string" ? b.text === label : label.test(b.text)
      );
      assert.ok(hit, `no button ${label} in ${JSON.stringify(buttons(m).map((b) => b.text))}`);
      const update = fake.pushUpdate(
        fake.callbackUpdate({
          userId,
          data: hit.callback_data,
          messageId: m.message_id,
          languageCode: lang,
        }),
      );
      await settle(update);
      const answer = fake.calls("answerCallbackQuery").find((c) =>
        c.params.callback_query_id === update.callback_query!.id
      );
      assert.ok(answer, "the press was answered");
      return answer.params.text as string | undefined;
    },
  };
}

const escapeRe = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const term = (id: string) => GLOSSARY_TERMS.find((x) => x.id === id)!;
const PAGES = Math.ceil(GLOSSARY_TERMS.length / GLOSSARY_PAGE_SIZE);

Deno.test("e2e glossary: /glossary lists the terms a page at a time, and a term opens from the list", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  const ann = chat(fake, running, 701);
  const list = await ann.send("glossary");
  assert.match(
    htmlToPlain(list.text),
    new RegExp(`${GLOSSARY_TERMS.length} terms, page 1 of ${PAGES}`),
  );
  const firstPage = ann.buttons(list).map((b) => b.text);
  assert.deepEqual(
    firstPage.slice(0, GLOSSARY_PAGE_SIZE),
    GLOSSARY_TERMS.slice(0, GLOSSARY_PAGE_SIZE).map((x) => x.en.term),
  );
  assert.ok(!firstPage.includes("⬅️"), "no way back from the first page");

  await ann.press(list, "➡️");
  const second = ann.now(list);
  assert.match(
    htmlToPlain(second.text),
    new RegExp(`page 2 of ${PAGES}`),
    "the list is edited in place",
  );
  const onSecond = GLOSSARY_TERMS[GLOSSARY_PAGE_SIZE];
  await ann.press(second, onSecond.en.term);
  assert.match(htmlToPlain(ann.now(list).text), new RegExp(`^📖 ${escapeRe(onSecond.en.term)}`));
});

Deno.test("e2e glossary: a term found by a Russian alias is explained, with next and its lesson", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  const ann = chat(fake, running, 702);
  const seed = term("seed_phrase");
  const card = await ann.send("glossary", "Сид фраза");
  const plain = htmlToPlain(card.text);
  assert.match(
    plain,
    /^📖 seed phrase \(сид-фраза\)/,
    "found across languages, shown in the user's",
  );
  assert.ok(plain.includes(seed.en.text));
  assert.match(plain, /Also called: recovery phrase, mnemonic, seed/);

  const next = GLOSSARY_TERMS[GLOSSARY_TERMS.indexOf(seed) + 1];
  const labels = ann.buttons(card).map((b) => b.text);
  assert.ok(labels.includes(`Next: ${next.en.term} ➡️`), JSON.stringify(labels));
  assert.ok(labels.includes("📚 Lesson: Wallets, keys and seed phrases"), JSON.stringify(labels));

  // The related lesson comes as a new message; the term stays.
  const before = ann.fromBot().length;
  await ann.press(card, /^📚 Lesson/);
  const lesson = ann.fromBot()[before];
  assert.match(htmlToPlain(lesson.text), /Wallets, keys and seed phrases/);
  assert.match(htmlToPlain(ann.now(card).text), /^📖 seed phrase/);

  await ann.press(card, /^Next:/);
  assert.match(htmlToPlain(ann.now(card).text), new RegExp(`^📖 ${escapeRe(next.en.term)}`));

  // Aliases that are not spellings of the term, in either language, find it too.
  for (const alias of ["mnemonic", "Мнемоника", "фраза восстановления", "recovery phrase"]) {
    const found = await ann.send("glossary", alias);
    assert.match(htmlToPlain(found.text), /^📖 seed phrase \(сид-фраза\)/, alias);
  }
});

Deno.test("e2e glossary: no match offers the closest terms as buttons; nothing close says so", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  const kira = chat(fake, running, 703, "ru");
  const miss = await kira.send("glossary", "стейкинк");
  assert.match(htmlToPlain(miss.text), /Термина «стейкинк» в словаре нет/);
  assert.ok(
    kira.buttons(miss).some((b) => b.text === "стейкинг"),
    JSON.stringify(kira.buttons(miss)),
  );
  await kira.press(miss, "стейкинг");
  assert.match(htmlToPlain(kira.now(miss).text), /^📖 стейкинг \(staking\)/);

  const none = await kira.send("glossary", "zzzzqqqq");
  assert.equal(htmlToPlain(none.text), t("ru", "glossary_none", { query: "zzzzqqqq" }));
  assert.equal(kira.buttons(none).length, 0);
});

Deno.test("e2e glossary: the last term is remembered, and next still works after the session expired", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  const ann = chat(fake, running, 704);
  const late = GLOSSARY_TERMS[GLOSSARY_PAGE_SIZE * 2 + 1];
  const card = await ann.send("glossary", late.en.term);
  const list = await ann.send("glossary");
  assert.match(
    htmlToPlain(list.text),
    new RegExp(`page 3 of ${PAGES}`),
    "opens on the last term's page",
  );

  // The session is gone (as after SESSION_TTL_SECONDS idle): the button carries its term.
  const { store } = running.app;
  await store.kv.delete(sessionKey(store.generation, "u:704"));
  const toast = await ann.press(card, /^Next:/);
  assert.equal(toast, undefined, "answered without a stale notice");
  const next = GLOSSARY_TERMS[GLOSSARY_TERMS.indexOf(late) + 1];
  assert.match(htmlToPlain(ann.now(card).text), new RegExp(`^📖 ${escapeRe(next.en.term)}`));
  assert.equal(await ann.press(card, /^Next:/).then(() => "ok"), "ok");

  // A forged term is answered as stale.
  assert.equal(
    await (async () => {
      const update = fake.pushUpdate(
        fake.callbackUpdate({ userId: 704, data: "gt:no_such_term", messageId: card.message_id }),
      );
      await fake.waitFor(
        (c) =>
          c.method === "answerCallbackQuery" &&
          c.params.callback_query_id === update.callback_query!.id,
        { timeoutMs: 5000, includePast: true },
      );
      return fake.calls("answerCallbackQuery").find((c) =>
        c.params.callback_query_id === update.callback_query!.id
      )!.params.text;
    })(),
    t("en", "stale_button"),
  );
});
