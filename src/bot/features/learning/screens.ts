/**
 * The learning feature's screens: the course list, a course, a lesson, a quiz question, a quiz
 * result and what a step earned. Each renders HTML and shows it; none changes state.
 *
 * @module
 */
import { type Lang, t } from "../../../i18n/mod.ts";
import { type Catalog, PASS_PERCENT, type QuizGrade } from "../../../learning/catalog.ts";
import { type StepNews } from "../../../learning/rules.ts";
import { type Course, type Lesson } from "../../../learning/schema.ts";
import { type LearningRecord } from "../../../store/learning.ts";
import { type BotContext } from "../../context.ts";
import { escapeHtml } from "../../html.ts";
import { showHtml } from "../../show.ts";
import {
  courseKeyboard,
  coursesKeyboard,
  lessonKeyboard,
  OPTION_LETTERS,
  quizAttemptTag,
  quizKeyboard,
  quizResultKeyboard,
} from "./buttons.ts";

/** A quiz in progress, as the session holds it. */
export interface QuizState {
  lessonId: string;
  index: number;
  answers: number[];
  startedAt: number;
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

/** The course list, with "continue" to `current` (the session's lesson). */
export async function showCourses(
  ctx: BotContext,
  catalog: Catalog,
  progress: LearningRecord,
  current: Lesson | undefined,
  inPlace: boolean,
): Promise<void> {
  const { lang } = ctx.turn;
  const passed = new Set(progress.passed);
  await showHtml(
    ctx,
    t(lang, "learn_courses"),
    coursesKeyboard(
      lang,
      catalog.courses().map((c) => ({ id: c.id, label: courseLabel(c, passed, lang) })),
      current ? { id: current.id, label: current.title[lang] } : undefined,
    ),
    inPlace,
  );
}

/** One course: its summary and lessons with their marks. */
export async function showCourse(
  ctx: BotContext,
  course: Course,
  progress: LearningRecord,
): Promise<void> {
  const { lang } = ctx.turn;
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

/** A lesson with its header and the way on. */
export async function showLesson(
  ctx: BotContext,
  catalog: Catalog,
  lesson: Lesson,
  inPlace: boolean,
): Promise<void> {
  const { lang } = ctx.turn;
  const course = catalog.courseOf(lesson.id)!;
  const header = t(lang, "learn_lesson_header", {
    title: escapeHtml(lesson.title[lang]),
    course: escapeHtml(course.title[lang]),
    number: course.lessons.findIndex((l) => l.id === lesson.id) + 1,
    total: course.lessons.length,
  });
  await showHtml(
    ctx,
    [header, ...lesson.body[lang].map(escapeHtml)].join("\n\n"),
    lessonKeyboard(lang, {
      lessonId: lesson.id,
      courseId: course.id,
      previousId: catalog.previousLesson(lesson.id)?.id ?? null,
      nextId: catalog.nextLesson(lesson.id)?.id ?? null,
    }),
    inPlace,
  );
}

/** The question a quiz is at, with its answer buttons. */
export async function showQuestion(
  ctx: BotContext,
  catalog: Catalog,
  quiz: QuizState,
  inPlace: boolean,
): Promise<void> {
  const { lang } = ctx.turn;
  const view = catalog.quizQuestion(quiz.lessonId, quiz.index, lang);
  const lesson = catalog.lesson(quiz.lessonId);
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

/** A finished quiz: score, pass or not, XP, and every question with its explanation. */
export async function showQuizResult(
  ctx: BotContext,
  catalog: Catalog,
  result: { lessonId: string; grade: QuizGrade; xp: number; xpTotal: number },
): Promise<void> {
  const { lang } = ctx.turn;
  const { lessonId, grade, xp } = result;
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
  if (xp > 0) lines.push(t(lang, "quiz_xp", { xp, total: result.xpTotal }));
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
}

/** Tells the user, in one message, what a step earned (nothing when it earned nothing). */
export async function announce(ctx: BotContext, catalog: Catalog, news: StepNews): Promise<void> {
  const { lang } = ctx.turn;
  const lines = news.courses.map((id) =>
    t(lang, "learn_course_done", { title: escapeHtml(catalog.course(id)!.title[lang]) })
  );
  if (news.level !== null) lines.push(t(lang, "learn_level_up", { level: news.level }));
  for (const badge of news.badges) {
    lines.push(t(lang, "learn_badge_earned", { badge: t(lang, `badge_${badge}` as const) }));
  }
  if (lines.length > 0) await ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
}
