/**
 * Learning: `/learn` → courses → lessons (previous / next) → a quiz with inline answers → the
 * result with explanations; `/quiz` for the current lesson; the 📚 button under analysis cards.
 *
 * - The session holds where the user is (`state.course`) and the quiz in progress
 *   (`state.quiz`); progress (lessons opened and passed, best scores, streak) is a long-lived
 *   record in `store/learning.ts`.
 * - An answer button carries the lesson, the question index, the option and the attempt's tag.
 *   It counts only when all four match the quiz in progress, so a repeated press, a button of
 *   an earlier question or attempt, or one from before the session expired changes nothing.
 * - XP comes from `catalog.quizXp` against the best earlier score: a retake shows its score
 *   but pays nothing unless it beats a pass mark or a perfect score not reached before. XP
 *   also goes to the leaderboards (not for local users). Levels come from XP (`levelFor`);
 *   badges and finished courses are announced once and badges are kept on the profile.
 *
 * @module
 */
import { Composer, GrammyError } from "grammy";
import { type InlineKeyboardButton, type InlineKeyboardMarkup } from "grammy/types";
import { extractFacts } from "../../analysis/providers/offline.ts";
import { type Analysis } from "../../analysis/schema.ts";
import { type SessionState } from "../../actors/session.ts";
import { type Lang, t } from "../../i18n/mod.ts";
import { advanceStreak, type LearningProgress, newBadges } from "../../learning/badges.ts";
import { type Catalog, PASS_PERCENT } from "../../learning/catalog.ts";
import {
  type Course,
  type Lesson,
  LESSON_TOPICS,
  type LessonTopic,
} from "../../learning/schema.ts";
import * as counters from "../../store/counters.ts";
import * as leaderboard from "../../store/leaderboard.ts";
import * as learning from "../../store/learning.ts";
import { type LearningRecord } from "../../store/learning.ts";
import * as profiles from "../../store/profiles.ts";
import { type UserView } from "../../store/profiles.ts";
import {
  CALLBACK_PATTERNS,
  type CallbackAction,
  parseCallback,
  quizAttemptTag,
} from "../callback_data.ts";
import { type BotContext } from "../context.ts";
import { escapeHtml } from "../html.ts";
import {
  courseKeyboard,
  coursesKeyboard,
  lessonKeyboard,
  lessonRow,
  OPTION_LETTERS,
  quizKeyboard,
  quizResultKeyboard,
} from "../keyboards.ts";
import { MESSAGE_LIMIT } from "../render.ts";
import { type BotServices } from "../services.ts";

/** What the learning features are built with: the bot's services and the course catalog. */
export interface LearningServices extends BotServices {
  catalog: Catalog;
}

/** A user the learning features can act for. */
interface Learner {
  userId: number;
  user: UserView;
}

function learner(ctx: BotContext): Learner | null {
  const userId = ctx.turn.userId;
  return userId !== null && ctx.user ? { userId, user: ctx.user } : null;
}

// === Showing things

function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 &&
    err.description.includes("message is not modified");
}

/**
 * Shows HTML with a keyboard: in place of the pressed button's message when `inPlace`, else
 * as a new message. Showing the same view again changes nothing.
 *
 * @example
 * ```ts
 * await showHtml(ctx, "<b>Top</b>", keyboard, ctx.callbackQuery !== undefined);
 * ```
 */
export async function showHtml(
  ctx: BotContext,
  html: string,
  markup: InlineKeyboardMarkup,
  inPlace: boolean,
): Promise<void> {
  const text = html.length <= MESSAGE_LIMIT ? html : `${html.slice(0, MESSAGE_LIMIT - 1)}…`;
  const options = { parse_mode: "HTML" as const, reply_markup: markup };
  if (inPlace && ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(text, options);
      return;
    } catch (err) {
      // The same view pressed twice: nothing to change.
      if (isNotModified(err)) return;
      throw err;
    }
  }
  await ctx.reply(text, options);
}

function courseLabel(course: Course, passed: ReadonlySet<string>, lang: Lang): string {
  const done = course.lessons.filter((l) => passed.has(l.id)).length;
  const mark = done === course.lessons.length ? "✅ " : "";
  return `${mark}${course.title[lang]} · ${done}/${course.lessons.length}`;
}

function lessonMark(lesson: Lesson, progress: LearningRecord): string {
  if (progress.passed.includes(lesson.id)) return "✅";
  return progress.opened.includes(lesson.id) ? "📖" : "▫️";
}

/** The course list, with "continue" to the session's lesson. */
async function showCourses(
  ctx: BotContext,
  services: LearningServices,
  inPlace: boolean,
): Promise<void> {
  const who = learner(ctx);
  if (!who) return;
  const { lang, state } = ctx.turn;
  const progress = await learning.get(services.store, who.userId);
  const passed = new Set(progress.passed);
  const current = state.course ? services.catalog.lesson(state.course.lessonId) : undefined;
  await showHtml(
    ctx,
    t(lang, "learn_courses"),
    coursesKeyboard(
      lang,
      services.catalog.courses().map((c) => ({ id: c.id, label: courseLabel(c, passed, lang) })),
      current ? { id: current.id, label: current.title[lang] } : undefined,
    ),
    inPlace,
  );
}

async function showCourse(
  ctx: BotContext,
  services: LearningServices,
  course: Course,
): Promise<void> {
  const who = learner(ctx);
  if (!who) return;
  const { lang } = ctx.turn;
  const progress = await learning.get(services.store, who.userId);
  const passed = course.lessons.filter((l) => progress.passed.includes(l.id)).length;
  await showHtml(
    ctx,
    t(lang, "learn_course", {
      title: escapeHtml(course.title[lang]),
      summary: escapeHtml(course.summary[lang]),
      passed,
      total: course.lessons.length,
    }),
    courseKeyboard(
      lang,
      course.lessons.map((lesson, i) => ({
        id: lesson.id,
        label: `${lessonMark(lesson, progress)} ${i + 1}. ${lesson.title[lang]}`,
      })),
    ),
    true,
  );
}

function lessonHtml(catalog: Catalog, lesson: Lesson, lang: Lang): string {
  const course = catalog.courseOf(lesson.id)!;
  const header = t(lang, "learn_lesson_header", {
    title: escapeHtml(lesson.title[lang]),
    course: escapeHtml(course.title[lang]),
    number: course.lessons.findIndex((l) => l.id === lesson.id) + 1,
    total: course.lessons.length,
  });
  return [header, ...lesson.body[lang].map(escapeHtml)].join("\n\n");
}

/**
 * Opens a lesson: shows it, makes it the session's current lesson, and records the visit
 * (first open, streak), announcing a badge it earns.
 */
async function openLesson(
  ctx: BotContext,
  services: LearningServices,
  lesson: Lesson,
  inPlace: boolean,
): Promise<void> {
  const who = learner(ctx);
  if (!who) return;
  const { turn } = ctx;
  const { catalog } = services;
  const course = catalog.courseOf(lesson.id)!;
  turn.state.course = { courseId: course.id, lessonId: lesson.id };
  const now = turn.clock.now();
  const before = await learning.get(services.store, who.userId);
  const streak = advanceStreak(before.streak, now);
  const firstOpen = !before.opened.includes(lesson.id);
  const after: LearningRecord = {
    ...before,
    opened: firstOpen ? [...before.opened, lesson.id] : before.opened,
    streak,
  };
  if (firstOpen || streak !== before.streak) learning.save(turn.tx, after, now);
  counters.add(turn.tx, "lessons_opened");
  await showHtml(
    ctx,
    lessonHtml(catalog, lesson, turn.lang),
    lessonKeyboard(turn.lang, {
      lessonId: lesson.id,
      courseId: course.id,
      previousId: catalog.previousLesson(lesson.id)?.id ?? null,
      nextId: catalog.nextLesson(lesson.id)?.id ?? null,
    }),
    inPlace,
  );
  await announce(ctx, services, who, { before, after, xp: 0 });
}

// === Quiz

type QuizState = NonNullable<SessionState["quiz"]>;

async function showQuestion(
  ctx: BotContext,
  services: LearningServices,
  quiz: QuizState,
  inPlace: boolean,
): Promise<void> {
  const { lang } = ctx.turn;
  const view = services.catalog.quizQuestion(quiz.lessonId, quiz.index, lang);
  const lesson = services.catalog.lesson(quiz.lessonId);
  if (!view || !lesson) return;
  const options = view.options.map((o, i) => `<b>${OPTION_LETTERS[i]}</b>) ${escapeHtml(o)}`);
  await showHtml(
    ctx,
    t(lang, "quiz_question", {
      lesson: escapeHtml(lesson.title[lang]),
      number: view.index + 1,
      total: view.total,
      question: escapeHtml(view.question),
      options: options.join("\n"),
    }),
    quizKeyboard({
      lessonId: quiz.lessonId,
      index: quiz.index,
      options: view.options.length,
      attempt: quizAttemptTag(quiz.startedAt),
    }),
    inPlace,
  );
}

/**
 * Starts the quiz of a lesson, or (from `/quiz`) shows the question a quiz in progress is at. A
 * second press of a quiz button while that quiz is under way changes nothing.
 */
async function startQuiz(
  ctx: BotContext,
  services: LearningServices,
  lesson: Lesson,
  fromButton: boolean,
): Promise<void> {
  const { turn } = ctx;
  const { state } = turn;
  const running = state.quiz;
  if (running?.lessonId === lesson.id) {
    if (fromButton) {
      return void await ctx.answerCallbackQuery({ text: t(turn.lang, "quiz_in_progress") });
    }
    return await showQuestion(ctx, services, running, false);
  }
  if (fromButton) await ctx.answerCallbackQuery();
  // Each attempt gets a tag of its own, even two started within one millisecond.
  const lastStart = typeof state.data.quizStartedAt === "number" ? state.data.quizStartedAt : 0;
  const startedAt = Math.max(turn.clock.now(), lastStart + 1);
  state.data.quizStartedAt = startedAt;
  const quiz: QuizState = { lessonId: lesson.id, index: 0, answers: [], startedAt };
  state.quiz = quiz;
  state.course = { courseId: services.catalog.courseOf(lesson.id)!.id, lessonId: lesson.id };
  counters.add(turn.tx, "quizzes_started");
  await showQuestion(ctx, services, quiz, false);
}

type AnswerAction = Extract<CallbackAction, { kind: "answer" }>;

async function answerQuestion(
  ctx: BotContext,
  services: LearningServices,
  action: AnswerAction,
): Promise<void> {
  const { turn } = ctx;
  const quiz = turn.state.quiz;
  const view = services.catalog.quizQuestion(action.lessonId, action.index, turn.lang);
  const current = quiz !== null && quiz.lessonId === action.lessonId &&
    quiz.index === action.index && quizAttemptTag(quiz.startedAt) === action.attempt &&
    quiz.answers.length === quiz.index;
  if (!current || !view || action.option >= view.options.length) {
    return void await ctx.answerCallbackQuery({ text: t(turn.lang, "quiz_stale") });
  }
  const answers = [...quiz.answers, action.option];
  await ctx.answerCallbackQuery({
    text: t(turn.lang, action.option === view.answer ? "quiz_right" : "quiz_wrong"),
  });
  if (answers.length < view.total) {
    const next: QuizState = { ...quiz, index: quiz.index + 1, answers };
    turn.state.quiz = next;
    return await showQuestion(ctx, services, next, true);
  }
  turn.state.quiz = null;
  await finishQuiz(ctx, services, action.lessonId, answers);
}

/** Grades a finished quiz, stages its XP and progress, shows the result and announces. */
async function finishQuiz(
  ctx: BotContext,
  services: LearningServices,
  lessonId: string,
  answers: number[],
): Promise<void> {
  const who = learner(ctx);
  if (!who) return;
  const { turn } = ctx;
  const { catalog, store } = services;
  const { tx } = turn;
  const now = turn.clock.now();
  const grade = catalog.gradeQuiz(lessonId, answers);
  const before = await learning.get(store, who.userId);
  const best = before.best[lessonId];
  const xp = catalog.quizXp(grade, best?.correct ?? 0);
  const after: LearningRecord = {
    ...before,
    opened: before.opened.includes(lessonId) ? before.opened : [...before.opened, lessonId],
    passed: grade.passed && !before.passed.includes(lessonId)
      ? [...before.passed, lessonId]
      : before.passed,
    best: !best || grade.correct > best.correct
      ? { ...before.best, [lessonId]: { correct: grade.correct, total: grade.total, at: iso(now) } }
      : before.best,
    quizzes_finished: before.quizzes_finished + 1,
    perfect_quizzes: before.perfect_quizzes + (grade.perfect ? 1 : 0),
    streak: advanceStreak(before.streak, now),
    xp: before.xp + xp,
  };
  learning.save(tx, after, now);
  profiles.addTotal(tx, who.userId, "quizzes");
  counters.add(tx, "quizzes_total");
  if (grade.passed) counters.add(tx, "quizzes_passed");
  if (grade.perfect) counters.add(tx, "quizzes_perfect");
  if (xp > 0) {
    profiles.addXp(tx, who.userId, xp);
    learning.appendXpEvent(tx, who.userId, { xp, reason: "quiz", lesson_id: lessonId }, now);
    counters.add(tx, "learning_xp_total", xp);
    // Local users (terminal chat, playground) stay out of the rankings (docs/ARCHITECTURE.md).
    if (!turn.local) {
      await leaderboard.stageXp(
        store,
        tx,
        { userId: who.userId, name: displayName(who.user) },
        xp,
        now,
      );
    }
  }

  const { lang } = turn;
  const lesson = catalog.lesson(lessonId)!;
  const lines = [
    t(lang, "quiz_result", {
      lesson: escapeHtml(lesson.title[lang]),
      correct: grade.correct,
      total: grade.total,
      percent: Math.round((grade.correct * 100) / grade.total),
    }),
    grade.passed ? t(lang, "quiz_passed") : t(lang, "quiz_failed", { percent: PASS_PERCENT }),
  ];
  if (xp > 0) lines.push(t(lang, "quiz_xp", { xp, total: who.user.xp + xp }));
  else if (grade.passed) lines.push(t(lang, "quiz_no_xp"));
  grade.perQuestion.forEach((g, i) => {
    const view = catalog.quizQuestion(lessonId, i, lang)!;
    lines.push("", `${g.correct ? "✅" : "❌"} <b>${i + 1}. ${escapeHtml(view.question)}</b>`);
    if (!g.correct) {
      lines.push(`${t(lang, "quiz_your_answer")}: ${escapeHtml(view.options[g.given])}`);
    }
    lines.push(
      `${t(lang, "quiz_right_answer")}: ${escapeHtml(view.options[g.answer])}`,
      `<i>${escapeHtml(g.explanation[lang])}</i>`,
    );
  });
  await showHtml(
    ctx,
    lines.join("\n"),
    quizResultKeyboard(lang, {
      lessonId,
      courseId: catalog.courseOf(lessonId)!.id,
      nextId: grade.passed ? catalog.nextLesson(lessonId)?.id ?? null : null,
    }),
    true,
  );
  await announce(ctx, services, who, { before, after, xp });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The name shown for a user in rankings. */
export function displayName(user: UserView): string {
  return user.first_name?.trim() || (user.username ? `@${user.username}` : `#${user.id}`);
}

// === Badges, levels, finished courses

/** What a step changed, for {@linkcode announce}. */
interface StepChange {
  before: LearningRecord;
  after: LearningRecord;
  /** XP the step granted. */
  xp: number;
}

function badgeProgress(record: LearningRecord): LearningProgress {
  return {
    lessonsOpened: record.opened.length,
    passedLessons: record.passed,
    quizzesFinished: record.quizzes_finished,
    perfectQuizzes: record.perfect_quizzes,
    bestStreakDays: record.streak.best,
  };
}

/**
 * Tells the user, in one message, what a step earned: finished courses, a new level, new badges
 * (stored on the profile, staged in the turn).
 */
async function announce(
  ctx: BotContext,
  services: LearningServices,
  who: Learner,
  change: StepChange,
): Promise<void> {
  const { turn } = ctx;
  const { lang } = turn;
  const { catalog } = services;
  const { user } = who;
  const lines: string[] = [];
  const doneBefore = new Set(catalog.completedCourses(change.before.passed));
  for (const id of catalog.completedCourses(change.after.passed)) {
    if (doneBefore.has(id)) continue;
    const title = catalog.course(id)!.title[lang];
    lines.push(t(lang, "learn_course_done", { title: escapeHtml(title) }));
  }
  if (change.xp > 0) {
    const level = profiles.levelFor(user.xp + change.xp);
    if (level > user.level) lines.push(t(lang, "learn_level_up", { level }));
    // Later steps of this turn see the XP it granted.
    user.xp += change.xp;
    user.level = level;
  }
  const fresh = newBadges(user.badges, catalog.badgesEarned(badgeProgress(change.after)));
  if (fresh.length > 0) {
    user.badges = [...user.badges, ...fresh];
    saveBadges(ctx, user);
    for (const badge of fresh) {
      lines.push(t(lang, "learn_badge_earned", { badge: t(lang, `badge_${badge}` as const) }));
    }
  }
  if (lines.length > 0) await ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
}

/**
 * Stages the profile with its badges. The profile middleware may have staged a refresh of the
 * same record in this turn (name, last seen) while `ctx.user` still holds what was read, so
 * this write carries those fields too instead of undoing them.
 */
function saveBadges(ctx: BotContext, user: UserView): void {
  const from = ctx.from;
  profiles.save(ctx.turn.tx, {
    ...profiles.ownFields(user),
    username: from ? from.username ?? null : user.username,
    first_name: from ? from.first_name ?? null : user.first_name,
    active: true,
    blocked: false,
    last_seen_at: iso(ctx.turn.clock.now()),
  });
}

// === The 📚 button of analysis cards

function asTopic(kind: string): LessonTopic {
  return (LESSON_TOPICS as readonly string[]).includes(kind) ? kind as LessonTopic : "general";
}

/**
 * The 📚 row under an analysis card: opens the lesson that fits the event the text reports (the
 * offline analyzer's event kind, which is also a lesson topic). Pass it as `cardExtras`.
 *
 * @example
 * ```ts
 * coreFeatures(services, { extra: [learningFeature(learning)], cardExtras: lessonCardExtras });
 * ```
 */
export function lessonCardExtras(analysis: Analysis, ctx: BotContext): InlineKeyboardButton[][] {
  const text = ctx.message?.text ?? analysis.summary;
  return lessonRow(ctx.turn.lang, asTopic(extractFacts(text).eventKind));
}

// === The feature

/**
 * @example
 * ```ts
 * const learning = { ...services, catalog: await loadCatalog() };
 * createBot({ ..., features: coreFeatures(services, { extra: [learningFeature(learning)] }) });
 * ```
 */
export function learningFeature(services: LearningServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const { catalog } = services;

  feature.command("learn", (ctx) => showCourses(ctx, services, false));

  feature.command("quiz", async (ctx) => {
    const { state, lang } = ctx.turn;
    const lesson = state.course ? catalog.lesson(state.course.lessonId) : undefined;
    if (!lesson || !learner(ctx)) return void await ctx.reply(t(lang, "quiz_no_lesson"));
    await startQuiz(ctx, services, lesson, false);
  });

  feature.callbackQuery(CALLBACK_PATTERNS.menu, async (ctx, next) => {
    const action = parseCallback(ctx.callbackQuery.data);
    if (action?.kind !== "menu" || action.item !== "learn") return await next();
    await ctx.answerCallbackQuery();
    await showCourses(ctx, services, false);
  });

  feature.callbackQuery(CALLBACK_PATTERNS.courses, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showCourses(ctx, services, true);
  });

  feature.callbackQuery(CALLBACK_PATTERNS.course, async (ctx) => {
    const action = parseCallback(ctx.callbackQuery.data);
    const course = action?.kind === "course" ? catalog.course(action.courseId) : undefined;
    if (!course || !learner(ctx)) return await stale(ctx);
    await ctx.answerCallbackQuery();
    await showCourse(ctx, services, course);
  });

  feature.callbackQuery(CALLBACK_PATTERNS.lesson, async (ctx) => {
    const action = parseCallback(ctx.callbackQuery.data);
    const lesson = action?.kind === "lesson" ? catalog.lesson(action.lessonId) : undefined;
    if (!lesson || !learner(ctx)) return await stale(ctx);
    await ctx.answerCallbackQuery();
    await openLesson(ctx, services, lesson, true);
  });

  feature.callbackQuery(CALLBACK_PATTERNS.quiz, async (ctx) => {
    const action = parseCallback(ctx.callbackQuery.data);
    const lesson = action?.kind === "quiz" ? catalog.lesson(action.lessonId) : undefined;
    if (!lesson || !learner(ctx)) return await stale(ctx);
    await startQuiz(ctx, services, lesson, true);
  });

  feature.callbackQuery(CALLBACK_PATTERNS.answer, async (ctx) => {
    const action = parseCallback(ctx.callbackQuery.data);
    if (action?.kind !== "answer" || !learner(ctx)) return await stale(ctx);
    await answerQuestion(ctx, services, action);
  });

  feature.callbackQuery(CALLBACK_PATTERNS.topic, async (ctx) => {
    const action = parseCallback(ctx.callbackQuery.data);
    const who = learner(ctx);
    if (action?.kind !== "topic" || !who) return await stale(ctx);
    const progress = await learning.get(services.store, who.userId);
    const lesson = catalog.lessonForTopic(action.topic, new Set(progress.passed));
    await ctx.answerCallbackQuery();
    // A new message: the card stays as it is.
    await openLesson(ctx, services, lesson, false);
  });

  return feature;
}

async function stale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: t(ctx.turn.lang, "stale_button") });
}
