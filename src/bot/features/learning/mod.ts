/**
 * Learning: `/learn` → courses → lessons (previous / next) → a quiz with inline answers → the
 * result with explanations; `/quiz` for the current lesson; the 📚 button under analysis cards.
 *
 * - The session slices hold where the user is (`course`) and the quiz in progress (`quiz`);
 *   progress (lessons opened and passed, best scores, streak) is a long-lived record in
 *   `store/learning.ts`. The rules (grading, XP, badges) are `learning/rules.ts`; the screens
 *   `screens.ts`; the buttons `buttons.ts`.
 * - An answer button carries the lesson, the question index, the option and the attempt's tag.
 *   It counts only when all four match the quiz in progress, so a repeated press, a button of
 *   an earlier question or attempt, or one from before the session expired changes nothing.
 * - XP also goes to the leaderboards (not for local users); badges and finished courses are
 *   announced once and badges are kept on the profile.
 *
 * @module
 */
import { Composer } from "grammy";
import { t } from "../../../i18n/mod.ts";
import { type Lesson, LESSON_TOPICS, type LessonTopic } from "../../../learning/schema.ts";
import { finishedQuiz, openedLesson, type StepChange, stepNews } from "../../../learning/rules.ts";
import * as counters from "../../../store/counters.ts";
import * as leaderboard from "../../../store/leaderboard.ts";
import * as learning from "../../../store/learning.ts";
import * as profiles from "../../../store/profiles.ts";
import { type UserAccount } from "../../../store/profiles.ts";
import { type BotContext } from "../../context.ts";
import { defineFeature, type FeatureCommand } from "../../feature.ts";
import { type BotServices } from "../../services.ts";
import { sessionSlice } from "../../session_slice.ts";
import { answerStale, displayName } from "../../show.ts";
import {
  answerButton,
  courseButton,
  coursesButton,
  LEARNING_BUTTONS,
  lessonButton,
  lessonLinkButton,
  quizAttemptTag,
  quizButton,
  topicButton,
} from "./buttons.ts";
import {
  announce,
  type QuizState,
  showCourse,
  showCourses,
  showLesson,
  showQuestion,
  showQuizResult,
} from "./screens.ts";

const LEARN: FeatureCommand = { name: "learn", description: "command_learn" };
const QUIZ: FeatureCommand = { name: "quiz", description: "command_quiz" };

// === Session slices

/** The course and lesson the user is in. */
const place = sessionSlice<{ courseId: string; lessonId: string } | null>({
  key: "course",
  initial: () => null,
  valid: (v): v is { courseId: string; lessonId: string } | null =>
    v === null ||
    (typeof v === "object" && typeof (v as { lessonId?: unknown }).lessonId === "string"),
  gauge: { name: "sessions_in_course", stat: "users_in_course", active: (v) => v !== null },
});

/** The quiz in progress. */
const quizInProgress = sessionSlice<QuizState | null>({
  key: "quiz",
  initial: () => null,
  valid: (v): v is QuizState | null =>
    v === null || (typeof v === "object" && Array.isArray((v as { answers?: unknown }).answers)),
  gauge: { name: "sessions_in_quiz", stat: "users_in_quiz", active: (v) => v !== null },
});

/** When the last quiz attempt started, so two attempts never share a tag. */
const lastQuizStart = sessionSlice<number>({
  key: "quizStartedAt",
  initial: () => 0,
  valid: (v): v is number => typeof v === "number",
});

// === Steps

/** A user the learning features can act for. */
interface Learner {
  userId: number;
  user: UserAccount;
}

function learner(ctx: BotContext): Learner | null {
  const userId = ctx.turn.userId;
  return userId !== null && ctx.user ? { userId, user: ctx.user } : null;
}

async function openCourses(ctx: BotContext, services: BotServices, inPlace: boolean) {
  const who = learner(ctx);
  if (!who) return;
  const progress = await learning.get(services.store, who.userId);
  const current = place.get(ctx.turn);
  const lesson = current ? services.catalog.lesson(current.lessonId) : undefined;
  await showCourses(ctx, services.catalog, progress, lesson, inPlace);
}

/**
 * Opens a lesson: shows it, makes it the session's current lesson, and records the visit
 * (first open, streak), announcing a badge it earns.
 */
async function openLesson(
  ctx: BotContext,
  services: BotServices,
  lesson: Lesson,
  inPlace: boolean,
): Promise<void> {
  const who = learner(ctx);
  if (!who) return;
  const { turn } = ctx;
  const course = services.catalog.courseOf(lesson.id)!;
  place.set(turn, { courseId: course.id, lessonId: lesson.id });
  const now = turn.clock.now();
  const before = await learning.get(services.store, who.userId);
  const { change, changed } = openedLesson(before, lesson.id, now);
  if (changed) learning.save(turn.tx, change.after, now);
  counters.add(turn.tx, "lessons_opened");
  await showLesson(ctx, services.catalog, lesson, inPlace);
  await earn(ctx, services, who, change);
}

/**
 * Starts the quiz of a lesson, or (from `/quiz`) shows the question a quiz in progress is at. A
 * second press of a quiz button while that quiz is under way changes nothing.
 */
async function startQuiz(
  ctx: BotContext,
  services: BotServices,
  lesson: Lesson,
  fromButton: boolean,
): Promise<void> {
  const { turn } = ctx;
  const running = quizInProgress.get(turn);
  if (running?.lessonId === lesson.id) {
    if (fromButton) {
      return void await ctx.answerCallbackQuery({ text: t(turn.lang, "quiz_in_progress") });
    }
    return await showQuestion(ctx, services.catalog, running, false);
  }
  if (fromButton) await ctx.answerCallbackQuery();
  // Each attempt gets a tag of its own, even two started within one millisecond.
  const startedAt = Math.max(turn.clock.now(), lastQuizStart.get(turn) + 1);
  lastQuizStart.set(turn, startedAt);
  const quiz: QuizState = { lessonId: lesson.id, index: 0, answers: [], startedAt };
  quizInProgress.set(turn, quiz);
  place.set(turn, { courseId: services.catalog.courseOf(lesson.id)!.id, lessonId: lesson.id });
  counters.add(turn.tx, "quizzes_started");
  await showQuestion(ctx, services.catalog, quiz, false);
}

async function answerQuestion(
  ctx: BotContext,
  services: BotServices,
  action: NonNullable<ReturnType<typeof answerButton.parse>>,
): Promise<void> {
  const { turn } = ctx;
  const quiz = quizInProgress.get(turn);
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
    quizInProgress.set(turn, next);
    return await showQuestion(ctx, services.catalog, next, true);
  }
  quizInProgress.set(turn, null);
  await finishQuiz(ctx, services, action.lessonId, answers);
}

/** Grades a finished quiz, stages its XP and progress, shows the result and announces. */
async function finishQuiz(
  ctx: BotContext,
  services: BotServices,
  lessonId: string,
  answers: number[],
): Promise<void> {
  const who = learner(ctx);
  if (!who) return;
  const { turn } = ctx;
  const { store } = services;
  const { tx } = turn;
  const now = turn.clock.now();
  const before = await learning.get(store, who.userId);
  const { grade, change } = finishedQuiz(services.catalog, before, lessonId, answers, now);
  const { xp } = change;
  learning.save(tx, change.after, now);
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
  const { xp: xpBefore } = await ctx.progress();
  await showQuizResult(ctx, services.catalog, { lessonId, grade, xp, xpTotal: xpBefore + xp });
  await earn(ctx, services, who, change);
}

/**
 * Announces what a step earned and keeps it: the XP on `ctx.progress()` for later steps of the
 * turn, new badges on the profile.
 */
async function earn(
  ctx: BotContext,
  services: BotServices,
  who: Learner,
  change: StepChange,
): Promise<void> {
  const { user } = who;
  // XP matters only for a level reached: a step that earned none reads no progress.
  const progress = change.xp > 0 ? await ctx.progress() : null;
  const news = stepNews(services.catalog, change, { xp: progress?.xp ?? 0, badges: user.badges });
  if (progress) {
    progress.xp += change.xp;
    progress.level = profiles.levelFor(progress.xp);
  }
  if (news.badges.length > 0) {
    user.badges = [...user.badges, ...news.badges];
    saveBadges(ctx, user);
  }
  await announce(ctx, services.catalog, news);
}

/**
 * Stages the profile with its badges. The profile middleware may have staged a refresh of the
 * same record in this turn (name, last seen) while `ctx.user` still holds what was read, so
 * this write carries those fields too instead of undoing them.
 */
function saveBadges(ctx: BotContext, user: UserAccount): void {
  const from = ctx.from;
  profiles.save(ctx.turn.tx, {
    ...profiles.ownFields(user),
    username: from ? from.username ?? null : user.username,
    first_name: from ? from.first_name ?? null : user.first_name,
    active: true,
    blocked: false,
    last_seen_at: new Date(ctx.turn.clock.now()).toISOString(),
  });
}

function asTopic(topic: string | undefined): LessonTopic {
  return (LESSON_TOPICS as readonly string[]).includes(topic ?? "")
    ? topic as LessonTopic
    : "general";
}

// === The feature

function learningComposer(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const { catalog } = services;

  feature.command(LEARN.name, (ctx) => openCourses(ctx, services, false));

  feature.command(QUIZ.name, async (ctx) => {
    const current = place.get(ctx.turn);
    const lesson = current ? catalog.lesson(current.lessonId) : undefined;
    if (!lesson || !learner(ctx)) return void await ctx.reply(t(ctx.turn.lang, "quiz_no_lesson"));
    await startQuiz(ctx, services, lesson, false);
  });

  feature.callbackQuery(coursesButton.pattern, async (ctx) => {
    await ctx.answerCallbackQuery();
    await openCourses(ctx, services, true);
  });

  feature.callbackQuery(courseButton.pattern, async (ctx) => {
    const action = courseButton.parse(ctx.callbackQuery.data);
    const course = action ? catalog.course(action.courseId) : undefined;
    const who = learner(ctx);
    if (!course || !who) return await answerStale(ctx);
    await ctx.answerCallbackQuery();
    await showCourse(ctx, course, await learning.get(services.store, who.userId));
  });

  // A lesson replaces the learning screen it was opened from; opened from another feature's
  // screen (a link) it comes as a new message and that screen stays as it is.
  for (const [kind, inPlace] of [[lessonButton, true], [lessonLinkButton, false]] as const) {
    feature.callbackQuery(kind.pattern, async (ctx) => {
      const action = kind.parse(ctx.callbackQuery.data);
      const lesson = action ? catalog.lesson(action.lessonId) : undefined;
      if (!lesson || !learner(ctx)) return await answerStale(ctx);
      await ctx.answerCallbackQuery();
      await openLesson(ctx, services, lesson, inPlace);
    });
  }

  feature.callbackQuery(quizButton.pattern, async (ctx) => {
    const action = quizButton.parse(ctx.callbackQuery.data);
    const lesson = action ? catalog.lesson(action.lessonId) : undefined;
    if (!lesson || !learner(ctx)) return await answerStale(ctx);
    await startQuiz(ctx, services, lesson, true);
  });

  feature.callbackQuery(answerButton.pattern, async (ctx) => {
    const action = answerButton.parse(ctx.callbackQuery.data);
    if (!action || !learner(ctx)) return await answerStale(ctx);
    await answerQuestion(ctx, services, action);
  });

  feature.callbackQuery(topicButton.pattern, async (ctx) => {
    const action = topicButton.parse(ctx.callbackQuery.data);
    const who = learner(ctx);
    if (!action || !who) return await answerStale(ctx);
    const progress = await learning.get(services.store, who.userId);
    const lesson = catalog.lessonForTopic(action.topic, new Set(progress.passed));
    await ctx.answerCallbackQuery();
    // A new message: the card stays as it is.
    await openLesson(ctx, services, lesson, false);
  });

  return feature;
}

/** Courses, lessons, quizzes; 📚 under cards; lessons for other features' links. */
export const learningFeature = defineFeature({
  name: "learning",
  commands: [LEARN, QUIZ],
  callbacks: LEARNING_BUTTONS,
  menu: [{
    item: "learn",
    label: "menu_learn",
    order: 20,
    open: (ctx, s) => openCourses(ctx, s, false),
  }],
  card: {
    row: 1,
    order: 0,
    buttons: ({ analysis, lang }) => [{
      text: t(lang, "button_lesson"),
      callback_data: topicButton.pack({ topic: asTopic(analysis.topic) }),
    }],
  },
  links: { lesson: lessonLinkButton, topic: topicButton },
  session: [place, quizInProgress, lastQuizStart],
  records: [{
    family: "learning",
    export: async (store, userId, lang) => {
      const record = await learning.get(store, userId);
      if (record.opened.length === 0 && record.quizzes_finished === 0) return null;
      return t(lang, "export_learning", {
        opened: record.opened.length,
        passed: record.passed.join(", ") || "—",
        quizzes: record.quizzes_finished,
        xp: record.xp,
      });
    },
  }],
  composer: learningComposer,
});
