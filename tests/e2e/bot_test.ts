import assert from "node:assert/strict";
import { type RecordedCall, startFakeBotApi } from "../support/fake_bot_api.ts";
import { listDeadLetters } from "../../src/store/dead_letters.ts";
import { buttonData, callTo, messageIdOf, startTestApp } from "../support/app.ts";

const NEWS_EN =
  "The SEC approved a spot Bitcoin ETF on Wednesday; BTC rose 6% as inflows reached $1 billion.";

Deno.test("e2e: /start welcomes in the user's language", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  void running;
  fake.pushUpdate(fake.commandUpdate({ userId: 10, command: "start", languageCode: "ru" }));
  fake.pushUpdate(fake.commandUpdate({ userId: 11, command: "start", languageCode: "de" }));
  const ru = await fake.waitFor(callTo("sendMessage", 10), { timeoutMs: 5000, includePast: true });
  const en = await fake.waitFor(callTo("sendMessage", 11), { timeoutMs: 5000, includePast: true });
  assert.match(String(ru.params.text), /Привет/);
  assert.match(String(en.params.text), /Hi/);
});

Deno.test("e2e: while it works the bot says it reads the news, or thinks about the question", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  void running;
  const waits = async (userId: number) => {
    await fake.waitFor(callTo("editMessageText", userId), { timeoutMs: 5000, includePast: true });
    return fake.sentTexts(userId);
  };
  fake.pushUpdate(fake.textUpdate({ userId: 12, text: NEWS_EN }));
  assert.deepEqual(await waits(12), ["🤔 Reading the news…"]);
  fake.pushUpdate(fake.textUpdate({ userId: 13, text: "What is staking and is it safe?" }));
  assert.deepEqual(await waits(13), ["🤔 Thinking about your question…"]);
  fake.pushUpdate(fake.commandUpdate({ userId: 14, command: "ask", args: "why did BTC fall" }));
  assert.deepEqual(await waits(14), ["🤔 Thinking about your question…"]);
  fake.pushUpdate(
    fake.textUpdate({ userId: 15, text: "Что такое стейкинг?", languageCode: "ru" }),
  );
  assert.deepEqual(await waits(15), ["🤔 Думаю над вашим вопросом…"]);
});

Deno.test("e2e: news → card → 👎 seven times walks the five styles, the sixth, then the limit", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  void running;
  fake.pushUpdate(fake.textUpdate({ userId: 20, text: NEWS_EN }));
  const card = await fake.waitFor(callTo("editMessageText", 20), {
    timeoutMs: 5000,
    includePast: true,
  });
  assert.match(String(card.params.text), /What happened/);
  assert.match(String(card.params.text), /BTC/);
  const down = buttonData(card, "👎");
  const headers = [
    /simpler words/,
    /With examples/,
    /Step by step/,
    /analogy/,
    /think it through with questions/,
    /One more angle/,
    /tried every way/,
  ];
  const texts: string[] = [];
  for (const [i, header] of headers.entries()) {
    const before = fake.calls("sendMessage").length;
    fake.pushUpdate(fake.callbackUpdate({ userId: 20, data: down, messageId: messageIdOf(card) }));
    const reply = await fake.waitFor(
      (c) =>
        c.method === "sendMessage" && Number(c.params.chat_id) === 20 &&
        fake.calls("sendMessage").indexOf(c) >= before,
      { timeoutMs: 5000, includePast: true },
    );
    assert.match(String(reply.params.text), header, `press ${i + 1}`);
    texts.push(String(reply.params.text));
  }
  assert.equal(new Set(texts.slice(0, 5)).size, 5, "five different explanations");
});

Deno.test("e2e: user HTML is escaped, and a redelivered update gets one reply", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  void running;
  const update = fake.textUpdate({
    userId: 30,
    text: "<b>Is</b> <script>alert(1)</script> ETH a good idea?",
  });
  fake.pushUpdate(update);
  const card = await fake.waitFor(callTo("editMessageText", 30), {
    timeoutMs: 5000,
    includePast: true,
  });
  assert.ok(!String(card.params.text).includes("<script>"));
  fake.pushUpdate(update);
  fake.pushUpdate(fake.commandUpdate({ userId: 30, command: "help" }));
  await fake.waitFor(
    (c) => callTo("sendMessage", 30)(c) && /How to use/.test(String(c.params.text)),
    {
      timeoutMs: 5000,
    },
  );
  assert.equal(
    fake.calls("editMessageText").filter((c) => Number(c.params.chat_id) === 30).length,
    1,
  );
});

Deno.test("e2e: flood cooldown and daily quota answer clearly", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake, {
    FLOOD_COOLDOWN_SECONDS: "60",
    MAX_REQUESTS_PER_DAY: "1",
  });
  void running;
  fake.pushUpdate(fake.textUpdate({ userId: 40, text: NEWS_EN }));
  await fake.waitFor(callTo("editMessageText", 40), { timeoutMs: 5000, includePast: true });
  fake.pushUpdate(fake.textUpdate({ userId: 40, text: NEWS_EN }));
  const refused = await fake.waitFor(
    (c) => callTo("sendMessage", 40)(c) && /for today/.test(String(c.params.text)),
    { timeoutMs: 5000, includePast: true },
  );
  assert.match(String(refused.params.text), /You've used your 1 analysis for today/);
});

Deno.test("e2e: malformed updates are skipped and the next one is served", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  void running;
  fake.pushUpdate({ message: "not a message" } as never);
  fake.pushUpdate(fake.commandUpdate({ userId: 50, command: "help" }));
  await fake.waitFor(callTo("sendMessage", 50), { timeoutMs: 5000, includePast: true });
});

Deno.test("e2e: a private message without a valid sender, or only invisible text, harms no one", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  // Telegram always names the sender in a private chat; a forged update may not.
  for (const from of [null, "900001", { id: "900001" }, { id: 900001.5 }]) {
    const update = fake.textUpdate({ userId: 900001, text: NEWS_EN });
    fake.pushUpdate({ ...update, message: { ...update.message!, from } } as never);
  }
  fake.pushUpdate(fake.textUpdate({ userId: 52, text: "\u200b".repeat(20) }));
  fake.pushUpdate(fake.textUpdate({ userId: 51, text: NEWS_EN }));
  await fake.waitFor(callTo("editMessageText", 51), { timeoutMs: 10_000, includePast: true });
  const tooShort = await fake.waitFor(callTo("sendMessage", 52), {
    timeoutMs: 5000,
    includePast: true,
  });
  assert.match(String(tooShort.params.text), /at least 10 characters/);
  await running.app.supervisor.whenIdle();
  assert.deepEqual(fake.calls().filter((c) => Number(c.params.chat_id) === 900001), []);
  assert.deepEqual(await listDeadLetters(running.app.store), []);
  assert.equal((await running.app.supervisor.getStats()).inbox_depth, 0);
});

Deno.test("e2e: 429s and 500s on sends still deliver every reply", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  void running;
  fake.faults.rateLimit({ method: "sendMessage", times: 2, retryAfter: 1 });
  fake.faults.serverError({ method: "sendMessage", times: 1 });
  for (const userId of [60, 61, 62]) {
    fake.pushUpdate(fake.commandUpdate({ userId, command: "help" }));
  }
  for (const userId of [60, 61, 62]) {
    await fake.waitFor(
      (c) => callTo("sendMessage", userId)(c) && c.response?.ok === true,
      { timeoutMs: 15_000, includePast: true },
    );
  }
});

Deno.test("e2e: /forget erases the user's data and says so", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  fake.pushUpdate(fake.textUpdate({ userId: 70, text: NEWS_EN }));
  fake.pushUpdate(fake.textUpdate({ userId: 71, text: NEWS_EN }));
  await fake.waitFor(callTo("editMessageText", 70), { timeoutMs: 5000, includePast: true });
  await fake.waitFor(callTo("editMessageText", 71), { timeoutMs: 5000, includePast: true });
  await running.app.supervisor.whenIdle();
  const counters = await import("../../src/store/counters.ts");
  assert.equal(await counters.get(running.app.store, "users_total"), 2);
  fake.pushUpdate(fake.commandUpdate({ userId: 70, command: "forget" }));
  const ask = await fake.waitFor(
    (c) => callTo("sendMessage", 70)(c) && /cannot be undone/.test(String(c.params.text)),
    { timeoutMs: 5000, includePast: true },
  );
  fake.pushUpdate(
    fake.callbackUpdate({
      userId: 70,
      data: buttonData(ask, "Yes, erase"),
      messageId: messageIdOf(ask),
    }),
  );
  await fake.waitFor(
    (c) => callTo("sendMessage", 70)(c) && /has been erased/.test(String(c.params.text)),
    { timeoutMs: 10_000, includePast: true },
  );
  const { store } = running.app;
  const { get } = await import("../../src/store/profiles.ts");
  const { list } = await import("../../src/store/history.ts");
  assert.equal(await get(store, 70), null);
  assert.deepEqual(await list(store, 70), []);
  assert.equal(await counters.get(store, "users_total"), 1, "the erased user is no longer counted");
  assert.ok(await get(store, 71), "the other user is untouched");
});

Deno.test("e2e: the bot stopped and restarted mid-conversation continues it", async () => {
  await using fake = startFakeBotApi();
  const dir = await Deno.makeTempDir();
  const kvPath = `${dir}/rvx.kv`;
  const first = await startTestApp(fake, {}, kvPath);
  fake.pushUpdate(fake.textUpdate({ userId: 80, text: NEWS_EN }));
  const card = await fake.waitFor(callTo("editMessageText", 80), {
    timeoutMs: 5000,
    includePast: true,
  });
  await first.stop();
  const second = await startTestApp(fake, {}, kvPath);
  fake.pushUpdate(
    fake.callbackUpdate({ userId: 80, data: buttonData(card, "👎"), messageId: messageIdOf(card) }),
  );
  const reply = await fake.waitFor(
    (c) => callTo("sendMessage", 80)(c) && /simpler words/.test(String(c.params.text)),
    { timeoutMs: 5000, includePast: true },
  );
  assert.ok(reply);
  await second.stop();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("e2e: history, bookmarks, export, stats, limits and language", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  void running;
  const user = 100;
  const sent = (re: RegExp) => (c: RecordedCall) =>
    callTo("sendMessage", user)(c) && re.test(String(c.params.text));
  fake.pushUpdate(fake.textUpdate({ userId: user, text: NEWS_EN }));
  const card = await fake.waitFor(callTo("editMessageText", user), {
    timeoutMs: 5000,
    includePast: true,
  });
  fake.pushUpdate(
    fake.callbackUpdate({
      userId: user,
      data: buttonData(card, "📌"),
      messageId: messageIdOf(card),
    }),
  );
  await fake.waitFor(
    (c) => c.method === "answerCallbackQuery" && /Saved/.test(String(c.params.text)),
    {
      timeoutMs: 5000,
      includePast: true,
    },
  );
  fake.pushUpdate(fake.commandUpdate({ userId: user, command: "bookmarks" }));
  await fake.waitFor(sent(/Your bookmarks/), { timeoutMs: 5000, includePast: true });
  fake.pushUpdate(fake.commandUpdate({ userId: user, command: "history" }));
  const history = await fake.waitFor(sent(/Your last analyses/), {
    timeoutMs: 5000,
    includePast: true,
  });
  assert.match(String(history.params.text), /SEC approved/);
  fake.pushUpdate(fake.commandUpdate({ userId: user, command: "export" }));
  await fake.waitFor((c) => c.method === "sendDocument" && Number(c.params.chat_id) === user, {
    timeoutMs: 5000,
    includePast: true,
  });
  fake.pushUpdate(fake.commandUpdate({ userId: user, command: "stats" }));
  const stats = await fake.waitFor(sent(/Your stats/), { timeoutMs: 5000, includePast: true });
  assert.match(String(stats.params.text), /Analyses: 1/);
  fake.pushUpdate(fake.commandUpdate({ userId: user, command: "limits" }));
  const limits = await fake.waitFor(sent(/Your limits/), { timeoutMs: 5000, includePast: true });
  assert.match(String(limits.params.text), /1 of 50 used, 49 left/);
  fake.pushUpdate(fake.commandUpdate({ userId: user, command: "language" }));
  const choose = await fake.waitFor(sent(/Choose your language/), {
    timeoutMs: 5000,
    includePast: true,
  });
  fake.pushUpdate(
    fake.callbackUpdate({
      userId: user,
      data: buttonData(choose, "🇷🇺 Русский"),
      messageId: messageIdOf(choose),
    }),
  );
  await fake.waitFor(sent(/Язык: русский/), { timeoutMs: 5000, includePast: true });
  fake.pushUpdate(fake.commandUpdate({ userId: user, command: "help" }));
  await fake.waitFor(sent(/Как пользоваться/), { timeoutMs: 5000, includePast: true });
});

Deno.test("e2e: a user who blocked the bot is marked inactive, not retried", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  fake.pushUpdate(fake.commandUpdate({ userId: 110, command: "start" }));
  await fake.waitFor(callTo("sendMessage", 110), { timeoutMs: 5000, includePast: true });
  fake.faults.block(110);
  fake.pushUpdate(fake.commandUpdate({ userId: 110, command: "help" }));
  await fake.waitFor((c) => callTo("sendMessage", 110)(c) && c.response?.ok === false, {
    timeoutMs: 5000,
    includePast: true,
  });
  await running.app.supervisor.whenIdle();
  const { get } = await import("../../src/store/profiles.ts");
  const user = await get(running.app.store, 110);
  assert.equal(user?.blocked, true);
  assert.equal(user?.active, false);
  assert.equal((await running.app.supervisor.getStats()).dead_letters, 0);
});
