/**
 * The learning feature's buttons (one callback kind each) and its keyboards.
 *
 * @module
 */
import { type InlineKeyboardButton, type InlineKeyboardMarkup } from "grammy/types";
import { type Lang, t } from "../../../i18n/mod.ts";
import { LESSON_TOPICS } from "../../../learning/schema.ts";
import { callbackKind, int, oneOf, text } from "../../callback_kind.ts";

/** A course or lesson id (the catalog's id pattern, at most 32 characters). */
const CONTENT_ID = text("[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?");

/** The course list. */
export const coursesButton = callbackKind("lc");
/** One course's lessons. */
export const courseButton = callbackKind("lk", { courseId: CONTENT_ID });
/** A lesson. */
export const lessonButton = callbackKind("lo", { lessonId: CONTENT_ID });
/** A lesson opened from another feature's screen (as a new message). */
export const lessonLinkButton = callbackKind("ln", { lessonId: CONTENT_ID });
/** A lesson's quiz. */
export const quizButton = callbackKind("lq", { lessonId: CONTENT_ID });
/**
 * An answer: the lesson, the question, the option and the attempt's tag (its start time in
 * base 36, {@linkcode quizAttemptTag}), so a button of another question or attempt is stale.
 */
export const answerButton = callbackKind("la", {
  lessonId: CONTENT_ID,
  index: int(1),
  option: int(1),
  attempt: text("[0-9a-z]{1,11}"),
});
/** The lesson that fits a topic (📚 under analysis cards). */
export const topicButton = callbackKind("lt", { topic: oneOf(LESSON_TOPICS) });

/** Every kind above, for the feature's declaration. */
export const LEARNING_BUTTONS = [
  coursesButton,
  courseButton,
  lessonButton,
  lessonLinkButton,
  quizButton,
  answerButton,
  topicButton,
] as const;

/**
 * The tag of one quiz attempt in its answer buttons: its start time in base 36. Buttons of an
 * earlier attempt carry another tag, so they are stale once the quiz restarts.
 *
 * @example
 * ```ts
 * quizAttemptTag(Date.UTC(2026, 0, 1)); // "mjuohs00"
 * ```
 */
export function quizAttemptTag(startedAt: number): string {
  return Math.max(0, Math.floor(startedAt)).toString(36);
}

function button(label: string, data: string): InlineKeyboardButton {
  return { text: label, callback_data: data };
}

/** A button's label and the course or lesson it opens. */
export interface NavItem {
  id: string;
  label: string;
}

/** The course list: one course per row, and "continue" to the current lesson when there is one. */
export function coursesKeyboard(
  lang: Lang,
  courses: readonly NavItem[],
  current?: NavItem,
): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      ...(current
        ? [[button(
          t(lang, "learn_continue", { title: current.label }),
          lessonButton.pack({ lessonId: current.id }),
        )]]
        : []),
      ...courses.map((c) => [button(c.label, courseButton.pack({ courseId: c.id }))]),
    ],
  };
}

/** One course's lessons, one per row, and the way back to the course list. */
export function courseKeyboard(lang: Lang, lessons: readonly NavItem[]): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      ...lessons.map((l) => [button(l.label, lessonButton.pack({ lessonId: l.id }))]),
      [button(t(lang, "learn_all_courses"), coursesButton.pack({}))],
    ],
  };
}

/** Where a lesson's buttons lead. */
export interface LessonNav {
  lessonId: string;
  courseId: string;
  previousId: string | null;
  nextId: string | null;
}

/** Under a lesson: previous / next, the quiz, the course. */
export function lessonKeyboard(lang: Lang, nav: LessonNav): InlineKeyboardMarkup {
  const steps: InlineKeyboardButton[] = [];
  if (nav.previousId) {
    steps.push(button(t(lang, "learn_previous"), lessonButton.pack({ lessonId: nav.previousId })));
  }
  if (nav.nextId) {
    steps.push(button(t(lang, "learn_next"), lessonButton.pack({ lessonId: nav.nextId })));
  }
  return {
    inline_keyboard: [
      [button(t(lang, "learn_take_quiz"), quizButton.pack({ lessonId: nav.lessonId }))],
      ...(steps.length > 0 ? [steps] : []),
      [button(t(lang, "learn_to_course"), courseButton.pack({ courseId: nav.courseId }))],
    ],
  };
}

/** Option letters: the options are listed in the message, the buttons carry the letters. */
export const OPTION_LETTERS = ["A", "B", "C", "D", "E", "F"] as const;

/** What one question's answer buttons carry. */
export interface QuizButtons {
  lessonId: string;
  index: number;
  options: number;
  /** The attempt's tag ({@linkcode quizAttemptTag}). */
  attempt: string;
}

/** One question's answer buttons, A… in one row. */
export function quizKeyboard(q: QuizButtons): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      Array.from({ length: q.options }, (_, option) =>
        button(
          OPTION_LETTERS[option],
          answerButton.pack({ lessonId: q.lessonId, index: q.index, option, attempt: q.attempt }),
        )),
    ],
  };
}

/** Under a quiz result: the next lesson (if any), a retake, the course. */
export function quizResultKeyboard(
  lang: Lang,
  nav: Omit<LessonNav, "previousId">,
): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      ...(nav.nextId
        ? [[button(t(lang, "quiz_next_lesson"), lessonButton.pack({ lessonId: nav.nextId }))]]
        : []),
      [
        button(t(lang, "quiz_retake"), quizButton.pack({ lessonId: nav.lessonId })),
        button(t(lang, "learn_to_course"), courseButton.pack({ courseId: nav.courseId })),
      ],
    ],
  };
}
