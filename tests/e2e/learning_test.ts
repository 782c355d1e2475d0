import assert from "node:assert/strict";
import { type Message, type Update } from "grammy/types";
import { htmlToPlain } from "../../src/bot/html.ts";
import { OPTION_LETTERS } from "../../src/bot/features/learning/buttons.ts";
import { startPolling } from "../../src/bot/transport/polling.ts";
import { type App, composeApp } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { type Clock, systemClock, type TimerHandle } from "../../src/core/clock.ts";
import { loadCatalog } from "../../src/learning/catalog.ts";
import * as profiles from "../../src/store/profiles.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake_bot_api.ts";
import { startTestApp } from "../support/app.ts";
import { fakeAnalysis, FakeLlmServer } from "../support/fake_llm_server.ts";

const catalog = await loadCatalog();

/**
 * Wall time moved to a chosen date: timers are real (the runtime keeps working), and `jumpTo`
 * moves the date forward while the app is idle, so periods change without waiting.
 */
class ShiftedClock implements Clock {
  #offset: number;

  constructor(start: number) {
    this.#offset = start - Date.now();
  }

  now(): number {
    return Date.now() + this.#offset;
  }

  jumpTo(at: number): void {
    this.#offset = Math.max(this.#offset, at - Date.now());
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    return systemClock.setTimeout(fn, ms);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }
}

/** The app as `startTestApp` runs it, with an injected clock. */
async function startClockedApp(
  fake: FakeBotApi,
  clock: Clock,
): Promise<{ app: App } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "rvx-e2e-" });
  const config = createConfig({
    BOT_TOKEN: fake.token,
    BOT_API_ROOT: fake.url,
    KV_PATH: `${dir}/rvx.kv`,
    FLOOD_COOLDOWN_SECONDS: "0",
  });
  const app = await composeApp(config, { clock });
  await app.start();
  const polling = startPolling({ api: app.bot.api, inbox: app.inbox, clock, timeoutSeconds: 1 });
  return {
    app,
    async [Symbol.asyncDispose]() {
      await polling.stop();
      await app.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** One user talking to the bot through the fake Bot API. */
class Chat {
  constructor(
    readonly fake: FakeBotApi,
    readonly app: App,
    readonly userId: number,
    readonly lang: "en" | "ru" = "en",
    readonly firstName = `User ${userId}`,
  ) {}

  /** Waits until the bot took the update in and finished its turn. */
  async #settle(update: Update): Promise<void> {
    await this.fake.waitFor(
      (c) => c.method === "getUpdates" && Number(c.params.offset) > update.update_id,
      { timeoutMs: 5000, includePast: true },
    );
    await this.app.supervisor.whenIdle();
  }

  async send(command: string): Promise<Message.TextMessage> {
    const update = this.fake.pushUpdate(this.fake.commandUpdate({
      userId: this.userId,
      command,
      languageCode: this.lang,
      firstName: this.firstName,
    }));
    await this.#settle(update);
    return this.lastFromBot();
  }

  /** Presses a button; returns the toast (answerCallbackQuery text) it got. */
  async press(message: Message, text: string | RegExp): Promise<string | undefined> {
    return await this.pressData(message, this.data(message, text));
  }

  async pressData(message: Message, data: string): Promise<string | undefined> {
    const update = this.fake.pushUpdate(this.fake.callbackUpdate({
      userId: this.userId,
      data,
      messageId: message.message_id,
      languageCode: this.lang,
      firstName: this.firstName,
    }));
    await this.#settle(update);
    const answer = this.fake.calls("answerCallbackQuery").find((c) =>
      c.params.callback_query_id === update.callback_query!.id
    );
    assert.ok(answer, "the press was answered");
    return answer.params.text as string | undefined;
  }

  data(message: Message, text: string | RegExp): string {
    const markup = (message as Message.TextMessage).reply_markup;
    for (const b of markup?.inline_keyboard.flat() ?? []) {
      const hit = typeof text === "string" ? b.text === text : text.test(b.text);
      if (hit && "callback_data" in b) return b.callback_data!;
    }
    throw new Error(`No button ${text} in ${JSON.stringify(markup)}`);
  }

  botMessages(): Message.TextMessage[] {
    return this.fake.messages(this.userId).filter((m) => m.from?.is_bot) as Message.TextMessage[];
  }

  lastFromBot(): Message.TextMessage {
    return this.botMessages().at(-1)!;
  }

  /** The message as it stands now (edits applied). */
  now(message: Message): Message.TextMessage {
    return this.botMessages().find((m) => m.message_id === message.message_id)!;
  }

  /** Opens a lesson: /learn → its course → the lesson. */
  async openLesson(lessonId: string): Promise<Message.TextMessage> {
    const course = catalog.courseOf(lessonId)!;
    const lesson = catalog.lesson(lessonId)!;
    const list = await this.send("learn");
    await this.press(list, new RegExp(escapeRe(course.title[this.lang])));
    await this.press(this.now(list), new RegExp(`\\d\\. ${escapeRe(lesson.title[this.lang])}$`));
    return this.now(list);
  }

  /** Takes the quiz of the lesson shown in `lessonMessage`; `right` picks right or wrong answers. */
  async takeQuiz(
    lessonMessage: Message,
    lessonId: string,
    right: (i: number) => boolean = () => true,
  ): Promise<Message.TextMessage> {
    await this.press(lessonMessage, /📝/);
    const quiz = this.botMessages().findLast((m) => /Question 1 of|Вопрос 1 из/.test(m.text))!;
    const total = catalog.lesson(lessonId)!.quiz.length;
    for (let i = 0; i < total; i++) {
      const q = catalog.quizQuestion(lessonId, i, this.lang)!;
      const option = right(i) ? q.answer : (q.answer + 1) % q.options.length;
      await this.press(this.now(quiz), OPTION_LETTERS[option]);
    }
    return this.now(quiz);
  }
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

Deno.test("e2e learning: a course path to XP, a level and badges visible in /profile", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  const ann = new Chat(fake, running.app, 501, "en", "Ann");
  const course = catalog.course("beginner")!;
  let lessonMessage = await ann.openLesson(course.lessons[0].id);
  for (const [i, lesson] of course.lessons.entries()) {
    if (i > 0) {
      await ann.press(lessonMessage, "Next ➡️");
      lessonMessage = ann.now(lessonMessage);
    }
    assert.match(htmlToPlain(lessonMessage.text), new RegExp(escapeRe(lesson.title.en)));
    const result = await ann.takeQuiz(lessonMessage, lesson.id);
    assert.match(htmlToPlain(result.text), new RegExp(`${lesson.quiz.length} of \\d right`));
    assert.match(result.text, /\+30 XP/);
  }
  const texts = ann.botMessages().map((m) => htmlToPlain(m.text)).join("\n");
  assert.match(texts, /Course completed: Crypto basics/);
  assert.match(texts, /Level 2!/);
  const profile = htmlToPlain((await ann.send("profile")).text);
  assert.match(profile, /Ann\nLevel 2 · 150 XP\nTo level 3: 50 of 200 XP/);
  assert.match(profile, /🎓 Course completed/);
  assert.match(profile, /✅ Crypto basics: 5 of 5 lessons/);
  assert.equal((await profiles.get(running.app.store, 501))?.xp, 150);
});

Deno.test("e2e learning: a stale button and a retake give no XP", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake);
  const bob = new Chat(fake, running.app, 502, "ru", "Боб");
  const lessonMessage = await bob.openLesson("beginner-1");
  await bob.press(lessonMessage, "📝 Пройти квиз");
  const firstQuiz = bob.lastFromBot();
  const q = catalog.quizQuestion("beginner-1", 0, "ru")!;
  const firstAttemptButton = bob.data(firstQuiz, OPTION_LETTERS[q.answer]);
  for (let i = 0; i < 4; i++) {
    const question = catalog.quizQuestion("beginner-1", i, "ru")!;
    await bob.press(bob.now(firstQuiz), OPTION_LETTERS[question.answer]);
  }
  const result = bob.now(firstQuiz);
  assert.match(result.text, /\+30 XP/);
  assert.equal((await profiles.get(running.app.store, 502))!.xp, 30);

  // A button of the finished quiz is stale: a polite answer, no second effect.
  const sentBefore = fake.calls("sendMessage").length + fake.calls("editMessageText").length;
  assert.match(String(await bob.pressData(result, firstAttemptButton)), /уже есть ответ/);
  assert.equal(
    fake.calls("sendMessage").length + fake.calls("editMessageText").length,
    sentBefore,
    "nothing sent or edited",
  );

  // A retake with the same score: the score is shown, XP stays.
  await bob.press(result, "🔁 Пройти снова");
  const quiz = bob.lastFromBot();
  const firstButton = bob.data(quiz, OPTION_LETTERS[q.answer]);
  assert.notEqual(firstButton, firstAttemptButton, "each attempt has buttons of its own");
  for (let i = 0; i < 4; i++) {
    const question = catalog.quizQuestion("beginner-1", i, "ru")!;
    await bob.press(bob.now(quiz), OPTION_LETTERS[question.answer]);
    if (i === 0) {
      // The same button pressed twice: the second press is answered and changes nothing.
      assert.match(String(await bob.pressData(bob.now(quiz), firstButton)), /уже есть ответ/);
      assert.match(htmlToPlain(bob.now(quiz).text), /Вопрос 2 из 4/);
    }
  }
  const retake = htmlToPlain(bob.now(quiz).text);
  assert.match(retake, /Верно 4 из 4 \(100%\)/);
  assert.match(retake, /Новых XP нет/);
  assert.equal((await profiles.get(running.app.store, 502))!.xp, 30);
});

Deno.test("e2e learning: the leaderboard after three users earned XP in different periods", async () => {
  await using fake = startFakeBotApi();
  const clock = new ShiftedClock(Date.UTC(2026, 0, 5, 10)); // Monday, 5 January 2026
  await using running = await startClockedApp(fake, clock);
  const ann = new Chat(fake, running.app, 601, "en", "Ann");
  const bob = new Chat(fake, running.app, 602, "en", "Bob");
  const cat = new Chat(fake, running.app, 603, "ru", "Кот");

  // Ann: 30 XP in the week of 5 January.
  await ann.takeQuiz(await ann.openLesson("beginner-1"), "beginner-1");
  // Bob: 60 XP in the week of 12 January (same month).
  clock.jumpTo(Date.UTC(2026, 0, 13, 10));
  await bob.takeQuiz(await bob.openLesson("beginner-1"), "beginner-1");
  await bob.takeQuiz(await bob.openLesson("beginner-2"), "beginner-2");
  // Cat: 20 XP in February (a pass, not perfect).
  clock.jumpTo(Date.UTC(2026, 1, 3, 10));
  await cat.takeQuiz(await cat.openLesson("beginner-3"), "beginner-3", (i) => i !== 0);

  const board = await ann.send("leaderboard");
  assert.equal(
    htmlToPlain(board.text),
    "🏆 Top learners this week\n\n🥇 Кот: 20 XP\n\nYou: 0 XP in this period",
  );
  await ann.press(board, "Month");
  assert.equal(
    htmlToPlain(ann.now(board).text),
    "🏆 Top learners this month\n\n🥇 Кот: 20 XP\n\nYou: 0 XP in this period",
  );
  await ann.press(ann.now(board), "All time");
  assert.equal(
    htmlToPlain(ann.now(board).text),
    "🏆 Top learners of all time\n\n🥇 Bob: 60 XP\n🥈 Ann: 30 XP\n🥉 Кот: 20 XP\n\nYou: #2 with 30 XP",
  );
  // Pressing the period already shown is answered and changes nothing (no "not modified" error).
  assert.equal(await ann.press(ann.now(board), /All time/), undefined);
  assert.match(htmlToPlain(ann.now(board).text), /of all time/);

  const ru = await cat.send("leaderboard");
  assert.equal(
    htmlToPlain(ru.text),
    "🏆 Лучшие ученики недели\n\n🥇 Кот: 20 XP\n\nВы: #1, 20 XP",
  );
});

Deno.test("e2e learning: 📚 opens the lesson of the topic the provider named, not one read again from the text", async () => {
  await using fake = startFakeBotApi();
  await using llm = await FakeLlmServer.start();
  // The text reads as an ETF story; the provider says it is about a hack.
  llm.setDefault({ type: "ok", analysis: fakeAnalysis({ topic: "hack" }) });
  await using running = await startTestApp(fake, {
    AI_PROVIDER_1_URL: llm.url,
    AI_PROVIDER_1_MODEL: "fake-model",
  });
  const dan = new Chat(fake, running.app, 511);
  const update = fake.pushUpdate(
    fake.textUpdate({ userId: 511, text: "SEC approves spot ETH ETFs" }),
  );
  await fake.waitFor(
    (c) => c.method === "getUpdates" && Number(c.params.offset) > update.update_id,
    { timeoutMs: 5000, includePast: true },
  );
  await running.app.supervisor.whenIdle();
  const card = dan.lastFromBot();
  assert.equal(dan.data(card, /^📚/), "lt:hack");
  await dan.press(card, /^📚/);
  const shown = dan.botMessages().slice(-2).map((m) => htmlToPlain(m.text)).join("\n");
  const lesson = catalog.lessons().find((l) => shown.includes(`📖 ${l.title.en}`));
  assert.ok(lesson?.topics.includes("hack"), `${lesson?.id} in ${shown.slice(0, 200)}`);
});
