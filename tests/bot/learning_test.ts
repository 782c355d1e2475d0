import assert from "node:assert/strict";
import { type InlineKeyboardMarkup, type Update } from "grammy/types";
import { analysisEngineOptions, createAnalysisEngine } from "../../src/analysis/engine.ts";
import { LOCAL_ID_BASE } from "../../src/actors/actor_ref.ts";
import { botFeatures, createBot, turnHandler } from "../../src/bot/bot.ts";
import {
  answerButton,
  courseButton,
  coursesButton,
  lessonButton,
  OPTION_LETTERS,
  quizButton,
  topicButton,
} from "../../src/bot/features/learning/buttons.ts";
import { escapeHtml as escape, htmlToPlain } from "../../src/bot/html.ts";
import { MESSAGE_LIMIT } from "../../src/bot/render.ts";
import { LocalApi, type LocalMessage } from "../../src/bot/transport/local.ts";
import { LOCAL_BOT_INFO } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { withFeatures } from "../support/features.ts";
import { type Lang, LANGUAGES, t } from "../../src/i18n/mod.ts";
import { type Catalog, loadCatalog } from "../../src/learning/catalog.ts";
import { KvMetricsSink } from "../../src/store/counters.ts";
import * as counters from "../../src/store/counters.ts";
import { type Store } from "../../src/store/kv.ts";
import * as learning from "../../src/store/learning.ts";
import * as profiles from "../../src/store/profiles.ts";
import { createRuntime } from "../support/runtime.ts";
import { memoryStore } from "../support/store.ts";

const DAY = 86_400_000;
/** Monday, 5 January 2026, 10:00 UTC. */
const T0 = Date.UTC(2026, 0, 5, 10);

const catalog: Catalog = await loadCatalog();

// === A bot with the learning features on the real runtime, answering Bot API calls in-process

interface Harness extends AsyncDisposable {
  store: Store;
  clock: FakeClock;
  local: LocalApi;
  user(id: number, lang?: Lang, firstName?: string): TestUser;
}

interface TestUser {
  id: number;
  /** Sends a text (a command when it starts with `/`) and waits until the bot is idle. */
  send(text: string): Promise<void>;
  /** Presses a button of a message and waits; returns the toast the bot answered with. */
  press(message: LocalMessage, data: string): Promise<string | null>;
  /** The bot's messages, oldest first, edits applied. */
  messages(): LocalMessage[];
  last(): LocalMessage;
}

async function harness(clock = new FakeClock(T0)): Promise<Harness> {
  const store = await memoryStore();
  const config = createConfig({ FLOOD_COOLDOWN_SECONDS: "0" });
  const metrics = new KvMetricsSink(store, { clock });
  const engine = createAnalysisEngine({ ...analysisEngineOptions(config), store, metrics, clock });
  const { services, registry } = await withFeatures({
    config,
    store,
    engine,
    clock,
    kickJobs: () => {},
  });
  const local = new LocalApi({ botInfo: LOCAL_BOT_INFO, clock, exclusive: true });
  const bot = createBot({
    token: "0:local",
    botInfo: LOCAL_BOT_INFO,
    features: botFeatures(registry, services),
    transformers: [local.transformer],
  });
  const runtime = createRuntime({ store, clock, handle: turnHandler(bot, store) });
  const toasts = new Map<number, (string | null)[]>();
  let updateId = 0;

  async function deliver(update: Update, userId: number): Promise<void> {
    const source = userId >= LOCAL_ID_BASE ? "local" : "tg";
    const [result] = await runtime.inbox.ingest([update], source);
    assert.equal(result.status, "queued");
    await runtime.supervisor.whenIdle();
  }

  function user(id: number, lang: Lang = "en", firstName = `User${id}`): TestUser {
    const from = { id, is_bot: false as const, first_name: firstName, language_code: lang };
    const chat = { id, type: "private" as const, first_name: firstName };
    const answered: (string | null)[] = [];
    toasts.set(id, answered);
    local.subscribe(id, (event) => {
      if (event.kind === "callback_answer") answered.push(event.text);
    });
    const messages = () => local.messages(id).filter((m) => m.from_bot);
    return {
      id,
      async send(text) {
        const command = /^\/\w+/.exec(text);
        const messageId = local.nextMessageId(id);
        await deliver({
          update_id: ++updateId,
          message: {
            message_id: messageId,
            date: Math.floor(clock.now() / 1000),
            chat,
            from,
            text,
            ...(command
              ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] }
              : {}),
          },
        } as Update, id);
      },
      async press(message, data) {
        const before = answered.length;
        await deliver({
          update_id: ++updateId,
          callback_query: {
            id: `local-${id}-${updateId}`,
            from,
            chat_instance: `chat-${id}`,
            data,
            message: {
              message_id: message.message_id,
              date: message.date,
              chat,
              text: htmlToPlain(message.text),
              ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
            },
          },
        } as Update, id);
        assert.equal(answered.length, before + 1, "every press is answered once");
        return answered[before];
      },
      messages,
      last: () => messages().at(-1)!,
    };
  }

  return {
    store,
    clock,
    local,
    user,
    async [Symbol.asyncDispose]() {
      await runtime.supervisor.stop();
      await metrics.flush();
      store.close();
    },
  };
}

function buttons(message: LocalMessage): { text: string; data: string }[] {
  const markup = message.reply_markup as InlineKeyboardMarkup | null;
  return (markup?.inline_keyboard ?? []).flat().map((b) => ({
    text: b.text,
    data: "callback_data" in b ? b.callback_data! : "",
  }));
}

function button(message: LocalMessage, text: string | RegExp): string {
  const found = buttons(message).find((b) =>
    typeof text === "string" ? b.text === text : text.test(b.text)
  );
  assert.ok(found, `no button ${text} in ${JSON.stringify(buttons(message))}`);
  return found.data;
}

/** The message with this id as it stands now. */
function current(u: TestUser, message: LocalMessage): LocalMessage {
  return u.messages().find((m) => m.message_id === message.message_id)!;
}

/** Answers the quiz shown in `message`, right or wrong per question, and returns the result. */
async function answerQuiz(
  u: TestUser,
  message: LocalMessage,
  lessonId: string,
  lang: Lang,
  right: (index: number) => boolean = () => true,
  from = 0,
): Promise<LocalMessage> {
  const total = catalog.lesson(lessonId)!.quiz.length;
  for (let i = from; i < total; i++) {
    const shown = current(u, message);
    const q = catalog.quizQuestion(lessonId, i, lang)!;
    assert.ok(shown.text.includes(escape(q.question)), `question ${i + 1} of ${lessonId} shown`);
    const option = right(i) ? q.answer : (q.answer + 1) % q.options.length;
    const toast = await u.press(shown, button(shown, OPTION_LETTERS[option]));
    assert.equal(toast, t(lang, right(i) ? "quiz_right" : "quiz_wrong"));
  }
  return current(u, message);
}

/** Opens a lesson through /learn → course → lesson and returns the lesson message. */
async function openThroughMenu(u: TestUser, lessonId: string, lang: Lang): Promise<LocalMessage> {
  const course = catalog.courseOf(lessonId)!;
  await u.send("/learn");
  const list = u.last();
  await u.press(list, button(list, new RegExp(`^(✅ )?${escapeRe(course.title[lang])} · `)));
  const courseView = current(u, list);
  const lesson = catalog.lesson(lessonId)!;
  await u.press(
    courseView,
    button(courseView, new RegExp(`\\d\\. ${escapeRe(lesson.title[lang])}$`)),
  );
  return current(u, list);
}

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// === Tests

Deno.test("learning: a full course path earns XP, a level, badges and shows in /profile", async () => {
  await using h = await harness();
  const ann = h.user(101, "en", "Ann");
  const course = catalog.course("beginner")!;
  let lessonMessage = await openThroughMenu(ann, course.lessons[0].id, "en");
  assert.match(lessonMessage.text, /What a blockchain is/);
  assert.match(lessonMessage.text, /Crypto basics · lesson 1 of 5/);
  assert.match(ann.last().text, /New badge: 📖 First lesson/);

  let expectedXp = 0;
  for (const [i, lesson] of course.lessons.entries()) {
    if (i > 0) {
      await ann.press(lessonMessage, button(lessonMessage, "Next ➡️"));
      lessonMessage = current(ann, lessonMessage);
      assert.ok(lessonMessage.text.includes(escape(lesson.title.en)));
    }
    await ann.press(lessonMessage, button(lessonMessage, "📝 Take the quiz"));
    const quizMessage = ann.messages().findLast((m) => /Question 1 of/.test(m.text))!;
    const result = await answerQuiz(ann, quizMessage, lesson.id, "en");
    expectedXp += lesson.xp + Math.floor(lesson.xp / 2);
    assert.match(result.text, new RegExp(`${lesson.quiz.length} of ${lesson.quiz.length} right`));
    assert.match(result.text, new RegExp(`\\+${lesson.xp + Math.floor(lesson.xp / 2)} XP`));
    // Every explanation is on the result.
    for (const q of lesson.quiz) assert.ok(result.text.includes(escape(q.explanation.en)));
    lessonMessage = current(ann, lessonMessage);
  }
  const announced = ann.messages().map((m) => m.text).join("\n");
  assert.match(announced, /Course completed: Crypto basics/);
  assert.match(announced, /Level 2!/);
  assert.match(announced, /New badge: 💯 Perfect score/);

  await ann.send("/profile");
  const profile = ann.last().text;
  assert.match(profile, /Level 2 · 150 XP/);
  assert.match(profile, /To level 3: 50 of 200 XP/);
  for (const badge of ["First lesson", "First quiz", "Perfect score", "Course completed"]) {
    assert.match(profile, new RegExp(badge));
  }
  assert.match(profile, /Crypto basics: 5 of 5 lessons/);
  assert.match(profile, /DeFi, stablecoins and markets: 0 of 5 lessons/);

  const view = await profiles.get(h.store, ann.id);
  assert.equal(view?.xp, expectedXp);
  assert.deepEqual(view?.badges, [
    "first_lesson",
    "first_quiz",
    "perfect_score",
    "course_completed",
  ]);
  const progress = await learning.get(h.store, ann.id);
  assert.deepEqual(progress.passed, course.lessons.map((l) => l.id));
  assert.equal((await learning.listXpEvents(h.store, ann.id)).length, 5);
  assert.equal(await counters.get(h.store, "quizzes_total"), 5);
});

Deno.test("learning: a repeated or stale answer button changes nothing", async () => {
  await using h = await harness();
  const bob = h.user(102);
  const lessonMessage = await openThroughMenu(bob, "beginner-1", "en");
  await bob.press(lessonMessage, button(lessonMessage, "📝 Take the quiz"));
  const quiz = bob.last();
  const q0 = catalog.quizQuestion("beginner-1", 0, "en")!;
  const first = button(quiz, OPTION_LETTERS[q0.answer]);
  const wrong = button(quiz, OPTION_LETTERS[(q0.answer + 1) % q0.options.length]);
  assert.equal(await bob.press(quiz, first), "✅ Right!");
  const afterFirst = current(bob, quiz).text;
  // The same button again, and another option of the answered question: both stale.
  assert.equal(await bob.press(quiz, first), t("en", "quiz_stale"));
  assert.equal(await bob.press(quiz, wrong), t("en", "quiz_stale"));
  assert.equal(current(bob, quiz).text, afterFirst, "the quiz did not move");

  // A second press of "take the quiz" while it runs does not restart it.
  assert.equal(
    await bob.press(lessonMessage, button(lessonMessage, "📝 Take the quiz")),
    t("en", "quiz_in_progress"),
  );
  const sent = bob.messages().length;
  // /quiz shows where the quiz is, with buttons of the same attempt.
  await bob.send("/quiz");
  assert.equal(bob.messages().length, sent + 1);
  assert.match(bob.last().text, /Question 2 of 4/);
  const result = await answerQuiz(bob, bob.last(), "beginner-1", "en", () => true, 1);
  assert.match(result.text, /4 of 4 right/);

  // Buttons of the finished attempt stay stale, and nothing more is granted.
  const xp = (await profiles.get(h.store, bob.id))!.xp;
  assert.equal(await bob.press(quiz, first), t("en", "quiz_stale"));
  assert.equal((await profiles.get(h.store, bob.id))!.xp, xp);
  assert.equal((await learning.get(h.store, bob.id)).quizzes_finished, 1);

  // A forged answer for a question that does not exist is stale too.
  const forged = answerButton.pack({
    lessonId: "beginner-1",
    index: 9,
    option: 0,
    attempt: "zz",
  });
  assert.equal(await bob.press(quiz, forged), t("en", "quiz_stale"));
  assert.equal(await bob.press(quiz, "lo:no-such-lesson"), t("en", "stale_button"));
});

Deno.test("learning: a retake shows the score but grants no XP a second time", async () => {
  await using h = await harness();
  const cat = h.user(103, "ru", "Кира");
  const lessonMessage = await openThroughMenu(cat, "beginner-2", "ru");
  const take = button(lessonMessage, "📝 Пройти квиз");
  await cat.press(lessonMessage, take);
  // 3 of 4: passed, no perfect bonus.
  let result = await answerQuiz(cat, cat.last(), "beginner-2", "ru", (i) => i !== 0);
  assert.match(result.text, /Верно 3 из 4/);
  assert.match(result.text, /\+20 XP/);
  assert.equal((await profiles.get(h.store, cat.id))!.xp, 20);

  // The same score again: the score is shown, no XP.
  await cat.press(result, button(result, "🔁 Пройти снова"));
  result = await answerQuiz(cat, cat.last(), "beginner-2", "ru", (i) => i !== 1);
  assert.match(result.text, /Верно 3 из 4/);
  assert.ok(result.text.includes(t("ru", "quiz_no_xp")));
  assert.doesNotMatch(result.text, /\+\d+ XP/);
  assert.equal((await profiles.get(h.store, cat.id))!.xp, 20);

  // A worse retake: nothing either, and the best score stays.
  await cat.press(result, button(result, "🔁 Пройти снова"));
  result = await answerQuiz(cat, cat.last(), "beginner-2", "ru", () => false);
  assert.match(result.text, /Верно 0 из 4/);
  assert.equal((await profiles.get(h.store, cat.id))!.xp, 20);
  const progress = await learning.get(h.store, cat.id);
  assert.equal(progress.best["beginner-2"].correct, 3);
  assert.equal(progress.quizzes_finished, 3);
  assert.equal((await learning.listXpEvents(h.store, cat.id)).length, 1);
});

Deno.test("learning: every lesson and every quiz is reachable in both languages", async () => {
  await using h = await harness();
  for (const [n, lang] of LANGUAGES.entries()) {
    const u = h.user(200 + n, lang);
    for (const course of catalog.courses()) {
      for (const [i, lesson] of course.lessons.entries()) {
        await u.send("/learn");
        const list = u.last();
        await u.press(list, button(list, new RegExp(escapeRe(course.title[lang]))));
        await u.press(
          current(u, list),
          button(current(u, list), `▫️ ${i + 1}. ${lesson.title[lang]}`),
        );
        const shown = current(u, list);
        assert.ok(shown.text.includes(escape(lesson.title[lang])), `${lang} ${lesson.id}`);
        for (const paragraph of lesson.body[lang]) {
          assert.ok(shown.text.includes(escape(paragraph)));
        }
        assert.ok(shown.text.length <= MESSAGE_LIMIT);
        await u.press(shown, button(shown, t(lang, "learn_take_quiz")));
        const result = await answerQuiz(u, u.last(), lesson.id, lang, (q) => q % 2 === 0);
        assert.ok(result.text.length <= MESSAGE_LIMIT, `result of ${lesson.id} fits a message`);
        for (const q of lesson.quiz) assert.ok(result.text.includes(escape(q.explanation[lang])));
      }
    }
  }
});

Deno.test("learning: previous and next walk the whole path across courses", async () => {
  await using h = await harness();
  const u = h.user(301);
  const lessons = catalog.lessons();
  const message = await openThroughMenu(u, lessons[0].id, "en");
  assert.ok(!buttons(message).some((b) => b.text === "⬅️ Previous"), "no previous at the start");
  for (const lesson of lessons.slice(1)) {
    await u.press(current(u, message), button(current(u, message), "Next ➡️"));
    assert.ok(current(u, message).text.includes(escape(lesson.title.en)));
  }
  assert.ok(!buttons(current(u, message)).some((b) => b.text === "Next ➡️"), "no next at the end");
  for (const lesson of [...lessons].reverse().slice(1)) {
    await u.press(current(u, message), button(current(u, message), "⬅️ Previous"));
    assert.ok(current(u, message).text.includes(escape(lesson.title.en)));
  }
  assert.equal((await learning.get(h.store, u.id)).opened.length, lessons.length);
});

Deno.test("learning: the 📚 button under an analysis card opens the lesson for its topic", async () => {
  await using h = await harness();
  const u = h.user(302);
  await u.send(
    "The SEC approved a spot Bitcoin ETF on Wednesday; BTC rose 6% as inflows reached $1 billion.",
  );
  const card = u.messages().find((m) => /What happened/.test(m.text))!;
  const data = button(card, t("en", "button_lesson"));
  assert.equal(data, "lt:etf");
  await u.press(card, data);
  const lesson = catalog.lessonForTopic("etf");
  const shown = u.messages().find((m) => m.text.includes(escape(lesson.title.en)))!;
  assert.match(shown.text, /lesson \d of 5/);
  assert.notEqual(shown.message_id, card.message_id, "the card stays");
  assert.match(current(u, card).text, /What happened/);
});

Deno.test("learning: /quiz without a current lesson points to /learn", async () => {
  await using h = await harness();
  const u = h.user(303);
  await u.send("/quiz");
  assert.equal(u.last().text, t("en", "quiz_no_lesson"));
});

Deno.test("learning: the menu opens courses and the profile", async () => {
  await using h = await harness();
  const u = h.user(304);
  await u.send("/menu");
  const menu = u.last();
  await u.press(menu, button(menu, t("en", "menu_learn")));
  assert.equal(htmlToPlain(u.last().text).split("\n")[0], "📚 Courses");
  await u.press(menu, button(menu, t("en", "menu_profile")));
  assert.match(u.last().text, /Level 1 · 0 XP/);
  assert.match(u.last().text, /None yet/);
});

Deno.test("learning: seven days of lessons in a row earn the streak badge", async () => {
  await using h = await harness();
  const u = h.user(305);
  for (let day = 0; day < 7; day++) {
    if (day > 0) await h.clock.advance(DAY);
    await openThroughMenu(u, "beginner-1", "en");
  }
  assert.ok((await profiles.get(h.store, u.id))!.badges.includes("streak_7"));
  assert.match(u.messages().map((m) => m.text).join("\n"), /New badge: 🔥 7-day streak/);
  await u.send("/profile");
  assert.match(u.last().text, /Learning streak: 7 days \(best 7\)/);
});

Deno.test("leaderboard: ranks XP earned per week, month and all time, without local users", async () => {
  await using h = await harness(new FakeClock(Date.UTC(2026, 0, 5, 10)));
  const ann = h.user(401, "en", "Ann");
  const bob = h.user(402, "en", "Bob");
  const cat = h.user(403, "en", "<Cat>");
  const localUser = h.user(LOCAL_ID_BASE + 7, "en", "Local");

  async function passPerfect(u: TestUser, lessonId: string): Promise<void> {
    const message = await openThroughMenu(u, lessonId, "en");
    await u.press(message, button(message, "📝 Take the quiz"));
    await answerQuiz(u, u.last(), lessonId, "en");
  }

  // Week of 5 January: Ann 30.
  await passPerfect(ann, "beginner-1");
  await passPerfect(localUser, "beginner-1");
  await passPerfect(localUser, "beginner-2");
  // Week of 12 January: Bob 60.
  await h.clock.set(Date.UTC(2026, 0, 13, 9));
  await passPerfect(bob, "beginner-1");
  await passPerfect(bob, "beginner-2");
  await bob.send("/leaderboard");
  let board = htmlToPlain(bob.last().text);
  assert.match(board, /Top learners this week\n\n🥇 Bob: 60 XP\n\nYou: #1 with 60 XP/);
  await bob.press(bob.last(), button(bob.last(), "Month"));
  board = htmlToPlain(bob.last().text);
  assert.match(board, /this month\n\n🥇 Bob: 60 XP\n🥈 Ann: 30 XP\n/);
  // The same period again changes nothing.
  await bob.press(bob.last(), button(bob.last(), /Month/));
  assert.equal(htmlToPlain(bob.last().text), board);

  // February: Cat 20 (a pass, not perfect).
  await h.clock.set(Date.UTC(2026, 1, 2, 12));
  const message = await openThroughMenu(cat, "beginner-3", "en");
  await cat.press(message, button(message, "📝 Take the quiz"));
  await answerQuiz(cat, cat.last(), "beginner-3", "en", (i) => i !== 0);
  await cat.send("/leaderboard");
  const week = cat.last();
  assert.match(htmlToPlain(week.text), /this week\n\n🥇 <Cat>: 20 XP\n\nYou: #1 with 20 XP/);
  assert.match(week.text, /&lt;Cat&gt;/, "names are escaped");
  await cat.press(week, button(week, "Month"));
  assert.match(htmlToPlain(current(cat, week).text), /this month\n\n🥇 <Cat>: 20 XP\n\n/);
  await cat.press(week, button(week, "All time"));
  assert.match(
    htmlToPlain(current(cat, week).text),
    /of all time\n\n🥇 Bob: 60 XP\n🥈 Ann: 30 XP\n🥉 <Cat>: 20 XP\n\nYou: #3 with 20 XP/,
  );
  assert.doesNotMatch(current(cat, week).text, /Local/);

  // Ann is off this week's board and is told her own figure.
  await ann.send("/leaderboard");
  assert.match(htmlToPlain(ann.last().text), /🥇 <Cat>: 20 XP\n\nYou: 0 XP in this period/);
  await localUser.send("/leaderboard");
  assert.ok(localUser.last().text.includes(t("en", "leaderboard_local")));
  // The local user still earned their XP.
  assert.equal((await profiles.get(h.store, localUser.id))!.xp, 60);
});

Deno.test("callback data: learning buttons fit 64 bytes and parse back for every lesson", () => {
  const packed: [string, unknown, (data: string) => unknown][] = [
    [coursesButton.pack({}), {}, coursesButton.parse],
    [topicButton.pack({ topic: "stablecoin" }), { topic: "stablecoin" }, topicButton.parse],
  ];
  for (const course of catalog.courses()) {
    packed.push([
      courseButton.pack({ courseId: course.id }),
      { courseId: course.id },
      courseButton.parse,
    ]);
  }
  for (const lesson of catalog.lessons()) {
    const id = { lessonId: lesson.id };
    packed.push([lessonButton.pack(id), id, lessonButton.parse], [
      quizButton.pack(id),
      id,
      quizButton.parse,
    ]);
    lesson.quiz.forEach((q, index) =>
      q.options.forEach((_, option) => {
        const value = {
          lessonId: lesson.id,
          index,
          option,
          attempt: Date.UTC(2100, 0, 1).toString(36),
        };
        packed.push([answerButton.pack(value), value, answerButton.parse]);
      })
    );
  }
  for (const [data, value, parse] of packed) {
    assert.ok(new TextEncoder().encode(data).length <= 64, data);
    assert.deepEqual(parse(data), value);
  }
  const kinds = [topicButton, answerButton, lessonButton, courseButton, quizButton];
  for (const bad of ["lt:nope", "la:beginner-1:0:0:", "lo:Beginner-1", "lk:-x", "lq:"]) {
    assert.ok(kinds.every((kind) => kind.parse(bad) === null), bad);
  }
});
