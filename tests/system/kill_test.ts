/**
 * kill -9 under load (docs/ARCHITECTURE.md, "Guarantees": nothing acknowledged is lost, "exactly-once
 * effects"): `main.ts` runs as a child in webhook mode on a KV file with no AI providers (offline
 * analysis), flood cooldown and quotas off. 500 users talk to it at once over 40 connections,
 * about 5 000 updates in all:
 *
 * - news readers send news texts (and sometimes `/start`);
 * - learners paste a news text, press 📚 under its card, start the lesson's quiz (its 📝 button
 *   or `/quiz`) and answer every question by pressing the option buttons of the question the
 *   chat shows (some right, some wrong, as planned); some then press 🔁 under the result and
 *   retake it with every answer right.
 *
 * The child is SIGKILLed at a seeded random moment and restarted on the same file. Like Telegram,
 * every update that got no 200 is delivered again, and about 15 % of those that got one are too.
 * A press whose quiz attempt was lost with the killed process is answered as stale; the user
 * then presses the same answer on the question the chat shows now. Once the inboxes are drained,
 * each user's records equal what their updates imply, each exactly once: history and analysis
 * totals; quiz progress (opened and passed lessons, best score, quizzes finished, perfect
 * quizzes, the session's quiz finished); XP (the profile's sum, the learning record, the XP
 * events, the all-time leaderboard) from the course files' answers and XP rules.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Message } from "grammy/types";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { type SessionState } from "../../src/actors/session.ts";
import { en } from "../../src/i18n/en.ts";
import { loadCatalog } from "../../src/learning/catalog.ts";
import { openStore } from "../../src/store/kv.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";
import * as history from "../../src/store/history.ts";
import * as leaderboard from "../../src/store/leaderboard.ts";
import * as learning from "../../src/store/learning.ts";
import * as profiles from "../../src/store/profiles.ts";
import { readSession } from "../../src/store/sessions.ts";
import { buttonData, ChatUser, Courier } from "./driver.ts";
import { type BotProcess, seeded, spawnBot, tail, waitIdle } from "./support.ts";

const USERS = 500;
const PER_USER = 10;
const CONNECTIONS = 40;
/** Three kill points: early, middle and late in the run, each at a seeded random answer. */
const KILLS = [
  { seed: 11, from: 0.1, to: 0.35 },
  { seed: 22, from: 0.35, to: 0.6 },
  { seed: 33, from: 0.6, to: 0.85 },
];
/** Share of the updates acknowledged before the kill that Telegram delivers again anyway. */
const REDELIVER_ACKED = 0.15;

const ENV = {
  FLOOD_COOLDOWN_SECONDS: "0",
  MAX_REQUESTS_PER_DAY: "10000",
  LEASE_TTL_SECONDS: "2",
  // `waitIdle` polls the stats route more often than the default per-IP limit allows.
  API_RATE_LIMIT_REQUESTS: "100000",
};

/** The course files, read as data: each lesson's XP and right answers. */
const catalog = await loadCatalog();

/** Pass mark and perfect bonus, as the learning catalog documents its XP rules. */
const PASS_PERCENT = 60;
const PERFECT_BONUS_PERCENT = 50;

const NEWS_TOPICS = [
  "shares of company {k} rose sharply today after strong quarterly earnings",
  "a hacker drained {k} million dollars from a DeFi lending protocol overnight",
  "the SEC approved a spot bitcoin ETF filed by fund manager {k}",
  "a whale moved {k} thousand ETH to an exchange in one transaction",
  "exchange number {k} announced a new listing of a popular stablecoin",
  "Ethereum developers scheduled network upgrade {k} for next month",
  "regulators fined crypto lender {k} for misleading customers",
];

type Step =
  | { kind: "start" }
  | { kind: "news"; text: string }
  | {
    kind: "learn";
    text: string;
    /** Per question: answer right (else the next option). */
    right: boolean[];
    /** Start the quiz with `/quiz` instead of the lesson's 📝 button. */
    viaCommand: boolean;
    /** Retake it from the result's 🔁 button, every answer right. */
    retake: boolean;
  };

interface UserPlan {
  userId: number;
  steps: Step[];
}

/** What a user's updates came to, as the user saw it. */
interface UserLog {
  news: string[];
  opened: string[];
  quizzes: { lessonId: string; answers: number[] }[];
  /** Answers pressed again because the quiz attempt shown was lost with the killed process. */
  stalePresses: number;
}

function plan(random: () => number, seed: number): UserPlan[] {
  const users: UserPlan[] = [];
  for (let u = 0; u < USERS; u++) {
    const userId = 10_000 + u;
    const news = (k: number) =>
      `Market report ${u}-${k} (${seed}): ${
        NEWS_TOPICS[(u + k) % NEWS_TOPICS.length].replace("{k}", `${u}x${k}`)
      }`;
    const steps: Step[] = [];
    const kind = random();
    if (kind < 0.45) {
      const startAt = random() < 0.5 ? Math.floor(random() * PER_USER) : -1;
      for (let k = 0; k < PER_USER; k++) {
        steps.push(k === startAt ? { kind: "start" } : { kind: "news", text: news(k) });
      }
    } else {
      const retake = kind >= 0.85;
      // A learn step is ~7 updates (news, 📚, quiz start, 4–5 answers); a retake ~5 more.
      const others = retake ? 0 : PER_USER - 7;
      const learnAt = Math.floor(random() * (others + 1));
      for (let k = 0; k <= others; k++) {
        if (k === learnAt) {
          steps.push({
            kind: "learn",
            text: news(k),
            right: Array.from({ length: 5 }, () => random() < 0.7),
            viaCommand: random() < 0.3,
            retake,
          });
        } else {
          steps.push({ kind: "news", text: news(k) });
        }
      }
    }
    users.push({ userId, steps });
  }
  return users;
}

function hasButton(prefix: string): (m: Message) => boolean {
  return (m) => buttonData(m).some((d) => d.startsWith(prefix));
}

/** Answers the quiz of `lessonId` shown in a message newer than `afterId`; returns the answers. */
async function answerQuiz(
  user: ChatUser,
  log: UserLog,
  lessonId: string,
  afterId: number,
  right: (i: number) => boolean,
): Promise<{ answers: number[]; messageId: number }> {
  const lesson = catalog.lesson(lessonId)!;
  const answers: number[] = [];
  let floor = afterId;
  let attempt: string | null = null;
  let messageId = 0;
  for (let i = 0; i < lesson.quiz.length; i++) {
    const q = lesson.quiz[i];
    const option = right(i) ? q.answer : (q.answer + 1) % q.options.length;
    for (let tries = 1;; tries++) {
      const prefix = `la:${lessonId}:${i}:${option}:`;
      // The first question: the newest message with its buttons; later ones: the same attempt.
      const message = await user.waitMessage(
        `question ${i + 1} of ${lessonId}`,
        (m) =>
          attempt === null
            ? m.message_id > floor && buttonData(m).some((d) => d.startsWith(prefix))
            : buttonData(m).includes(`${prefix}${attempt}`),
      );
      const data = buttonData(message).find((d) => d.startsWith(prefix))!;
      const toast = await user.press(message, data);
      if (toast === en.quiz_right || toast === en.quiz_wrong) {
        const said = toast === en.quiz_right;
        if (said !== (option === q.answer)) {
          throw new Error(`user ${user.userId}: ${data} answered "${toast}"`);
        }
        attempt = data.split(":")[4];
        messageId = message.message_id;
        break;
      }
      // Only the first question can be stale: its attempt was lost with the killed process and
      // the restarted bot showed the question again with new buttons, in a newer message.
      if (toast !== en.quiz_stale || i > 0 || tries >= 10) {
        throw new Error(`user ${user.userId}: ${data} (try ${tries}) answered "${toast}"`);
      }
      log.stalePresses++;
      floor = message.message_id;
    }
    answers.push(option);
  }
  return { answers, messageId };
}

/** Users between their 📚 press and their last quiz answer (for the report at the kill). */
const midQuiz = new Set<number>();

async function runUser(user: ChatUser, steps: Step[]): Promise<UserLog> {
  const log: UserLog = { news: [], opened: [], quizzes: [], stalePresses: 0 };
  for (const step of steps) {
    if (step.kind === "start") {
      await user.send("/start");
      continue;
    }
    log.news.push(step.text);
    const sent = await user.send(step.text);
    if (step.kind === "news") continue;

    // 📚 under the card of this news opens the lesson for its topic in a new message.
    midQuiz.add(user.userId);
    const card = await user.waitMessage(
      "card with 📚",
      (m) => m.message_id > sent.message!.message_id && hasButton("lt:")(m),
    );
    await user.press(card, buttonData(card).find((d) => d.startsWith("lt:"))!);
    const lessonMessage = await user.waitMessage(
      "lesson",
      (m) => m.message_id > card.message_id && hasButton("lq:")(m),
    );
    const lessonId = buttonData(lessonMessage).find((d) => d.startsWith("lq:"))!.slice(3);
    if (!log.opened.includes(lessonId)) log.opened.push(lessonId);

    let after: number;
    if (step.viaCommand) {
      after = (await user.send("/quiz")).message!.message_id;
    } else {
      await user.press(lessonMessage, `lq:${lessonId}`);
      after = lessonMessage.message_id;
    }
    const first = await answerQuiz(user, log, lessonId, after, (i) => step.right[i]);
    log.quizzes.push({ lessonId, answers: first.answers });
    if (!step.retake) {
      midQuiz.delete(user.userId);
      continue;
    }

    // 🔁 under the result (the question message, edited) starts a new attempt.
    const result = await user.waitMessage(
      "quiz result",
      (m) =>
        m.message_id === first.messageId && buttonData(m).includes(`lq:${lessonId}`) &&
        !hasButton("la:")(m),
    );
    await user.press(result, `lq:${lessonId}`);
    const again = await answerQuiz(user, log, lessonId, result.message_id, () => true);
    log.quizzes.push({ lessonId, answers: again.answers });
    midQuiz.delete(user.userId);
  }
  return log;
}

/** XP of `correct` right answers out of `total` in a lesson worth `xp`, as the rules state. */
function worth(xp: number, correct: number, total: number): number {
  if (correct * 100 < total * PASS_PERCENT) return 0;
  return xp + (correct === total ? Math.floor((xp * PERFECT_BONUS_PERCENT) / 100) : 0);
}

/** What a user's records must hold after their quizzes. */
interface Expected {
  xp: number;
  xpEvents: number[];
  finished: number;
  perfect: number;
  passed: string[];
  best: Record<string, number>;
}

function expectedLearning(log: UserLog): Expected {
  const out: Expected = { xp: 0, xpEvents: [], finished: 0, perfect: 0, passed: [], best: {} };
  for (const quiz of log.quizzes) {
    const lesson = catalog.lesson(quiz.lessonId)!;
    const total = lesson.quiz.length;
    const correct = quiz.answers.filter((a, i) => a === lesson.quiz[i].answer).length;
    const before = out.best[quiz.lessonId] ?? 0;
    const gained = Math.max(0, worth(lesson.xp, correct, total) - worth(lesson.xp, before, total));
    out.xp += gained;
    if (gained > 0) out.xpEvents.push(gained);
    out.finished++;
    if (correct === total) out.perfect++;
    if (correct * 100 >= total * PASS_PERCENT && !out.passed.includes(quiz.lessonId)) {
      out.passed.push(quiz.lessonId);
    }
    out.best[quiz.lessonId] = Math.max(before, correct);
  }
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

for (const { seed, from, to } of KILLS) {
  Deno.test({
    name: `kill -9 under load (seed ${seed}, kill at ${from * 100}–${to * 100} % of the ` +
      `updates): nothing acknowledged lost; history, quiz progress and XP exactly once`,
    sanitizeResources: false,
    sanitizeOps: false,
  }, async () => {
    const random = seeded(seed);
    const dir = await Deno.makeTempDir({ prefix: "rvx-kill-" });
    const kvPath = `${dir}/rvx.kv`;
    await using fake = startFakeBotApi({ seed });
    const started = Date.now();
    const users = plan(random, seed);
    const planned = users.reduce(
      (n, u) => n + u.steps.reduce((m, s) => m + (s.kind === "learn" ? (s.retake ? 12 : 7) : 1), 0),
      0,
    );
    const killAfter = Math.floor(planned * (from + (to - from) * random()));

    let bot: BotProcess | undefined = await spawnBot({ fake, kvPath, env: ENV });
    try {
      const first: BotProcess = bot;
      const courier = new Courier(first, CONNECTIONS);
      let killedAtMs = 0;
      let learnersAtKill = 0;
      midQuiz.clear();
      let restarted: Promise<void> | undefined;
      let restartFailed: (err: unknown) => void = () => {};
      const restartFailure = new Promise<never>((_, reject) => restartFailed = reject);
      courier.onAnswered = (answered) => {
        if (answered < killAfter || restarted) return;
        killedAtMs = Date.now() - started;
        learnersAtKill = midQuiz.size;
        courier.down();
        restarted = (async () => {
          await first.kill();
          bot = await spawnBot({ fake, kvPath, env: ENV });
          courier.up(bot);
          // Telegram delivers some acknowledged updates again.
          const again = [...courier.deliveries.values()].filter((d) =>
            d.ackedBeforeKill && random() < REDELIVER_ACKED
          );
          await Promise.all(again.map((d) => courier.deliver(d.update)));
        })();
        // Deliveries wait for the restart; if it fails, the test fails instead of waiting.
        restarted.catch(restartFailed);
      };

      const logs = await Promise.race([
        Promise.all(users.map((u) => runUser(new ChatUser(fake, courier, u.userId), u.steps))),
        restartFailure,
      ]);
      assert.ok(restarted, `the kill happened (${courier.answered} answers, kill at ${killAfter})`);
      await restarted;
      const second = bot!;
      assert.deepEqual(courier.problems.slice(0, 5), [], "only 200 or no answer from a dying bot");
      const figures = await waitIdle(second, 120_000);
      await second.kill();
      bot = undefined;

      const deliveries = [...courier.deliveries.values()];
      const unacked = deliveries.filter((d) => d.statuses[0] !== 200).length;
      const redelivered = deliveries.filter((d) => d.statuses.length > 1).length;
      const stale = logs.reduce((n, l) => n + l.stalePresses, 0);
      const quizzes = logs.reduce((n, l) => n + l.quizzes.length, 0);
      // deno-lint-ignore no-console
      console.log(
        `seed ${seed}: ${deliveries.length} updates from ${USERS} users (${quizzes} quizzes), ` +
          `kill after answer ${killAfter} at ${killedAtMs} ms with ${learnersAtKill} users ` +
          `mid-quiz, ${unacked} got no first 200, ` +
          `${redelivered} delivered more than once, ${stale} stale presses repeated; idle after ` +
          `${Date.now() - started} ms; dead_letters=${figures.dead_letters ?? "?"}`,
      );
      assert.equal(figures.dead_letters, 0, "no update dead-lettered");

      // The KV file holds each user's effects exactly once.
      const store = await openStore(kvPath);
      try {
        await runMigrations(store);
        const problems: string[] = [];
        const now = Date.now();
        for (const [i, u] of users.entries()) {
          const log = logs[i];
          const userId = u.userId;
          const want = expectedLearning(log);
          const say = (what: string, got: unknown, expected: unknown) =>
            problems.push(
              `user ${userId}: ${what} ${JSON.stringify(got)}, expected ${
                JSON.stringify(expected)
              }`,
            );

          const texts = (await history.list(store, userId, 1000)).map((h) => h.text).sort();
          const expectedTexts = [...log.news].sort();
          if (!same(texts, expectedTexts)) {
            say(
              `history (${texts.length} items, ${texts.length - new Set(texts).size} dupes)`,
              texts.length,
              expectedTexts.length,
            );
          }
          const view = await profiles.get(store, userId);
          const analyses = (view?.totals.analyses ?? 0) + (view?.totals.questions ?? 0);
          if (analyses !== log.news.length) say("analyses total", analyses, log.news.length);
          if ((view?.totals.quizzes ?? 0) !== want.finished) {
            say("quizzes total", view?.totals.quizzes, want.finished);
          }
          if ((view?.xp ?? 0) !== want.xp) say("profile XP", view?.xp, want.xp);

          const progress = await learning.get(store, userId);
          if (progress.xp !== want.xp) say("learning XP", progress.xp, want.xp);
          if (progress.quizzes_finished !== want.finished) {
            say("quizzes finished", progress.quizzes_finished, want.finished);
          }
          if (progress.perfect_quizzes !== want.perfect) {
            say("perfect quizzes", progress.perfect_quizzes, want.perfect);
          }
          if (!same([...progress.passed].sort(), [...want.passed].sort())) {
            say("passed", progress.passed, want.passed);
          }
          if (!same([...progress.opened].sort(), [...log.opened].sort())) {
            say("opened", progress.opened, log.opened);
          }
          const best = Object.fromEntries(
            Object.entries(progress.best).map(([id, b]) => [id, b.correct]),
          );
          if (!same(best, want.best)) say("best", best, want.best);
          const events = (await learning.listXpEvents(store, userId, 100)).map((e) => e.xp);
          if (!same([...events].sort(), [...want.xpEvents].sort())) {
            say("XP events", events, want.xpEvents);
          }
          const ranked = await leaderboard.xpIn(store, userId, "all", now);
          if (ranked !== want.xp) say("all-time leaderboard XP", ranked, want.xp);

          if (log.quizzes.length > 0) {
            const session = await readSession<SessionState>(store, `u:${userId}`, now);
            const state = session.status === "live"
              ? session.record.state as { quiz?: unknown; course?: { lessonId?: string } }
              : null;
            if (state?.quiz !== null) say("session quiz", state?.quiz, null);
            if (state?.course?.lessonId !== log.opened.at(-1)) {
              say("session lesson", state?.course?.lessonId, log.opened.at(-1));
            }
          }
        }
        assert.deepEqual(problems.slice(0, 10), [], `${problems.length} differences`);
      } finally {
        store.close();
      }
    } catch (err) {
      const current = bot as BotProcess | undefined;
      throw new Error(
        `${err instanceof Error ? err.stack ?? err.message : err}\n${current ? tail(current) : ""}`,
      );
    } finally {
      await (bot as BotProcess | undefined)?.kill();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
}
