/**
 * Inline keyboards, built from callback data and i18n texts.
 *
 * @module
 */
import { type InlineKeyboardButton, type InlineKeyboardMarkup } from "grammy/types";
import { type Lang, t } from "../i18n/mod.ts";
import { type LessonTopic } from "../learning/schema.ts";
import { LEADERBOARD_PERIODS, type LeaderboardPeriod } from "../store/leaderboard.ts";
import { packCallback } from "./callback_data.ts";

function button(text: string, data: Parameters<typeof packCallback>[0]): InlineKeyboardButton {
  return { text, callback_data: packCallback(data) };
}

/**
 * The buttons under an analysis card: 👍 👎 📌 (and extra rows later features add).
 *
 * @example
 * ```ts
 * await ctx.reply(card, { reply_markup: analysisKeyboard("en", item.id) });
 * ```
 */
export function analysisKeyboard(
  lang: Lang,
  analysisId: string,
  extraRows: InlineKeyboardButton[][] = [],
): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        button(t(lang, "button_helpful"), { kind: "vote", vote: "up", analysisId }),
        button(t(lang, "button_not_helpful"), { kind: "vote", vote: "down", analysisId }),
        button(t(lang, "button_bookmark"), { kind: "bookmark", analysisId }),
      ],
      ...extraRows,
    ],
  };
}

/** The main menu. */
export function menuKeyboard(lang: Lang): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        button(t(lang, "menu_analyze"), { kind: "menu", item: "analyze" }),
        button(t(lang, "menu_learn"), { kind: "menu", item: "learn" }),
      ],
      [
        button(t(lang, "menu_profile"), { kind: "menu", item: "profile" }),
        button(t(lang, "menu_history"), { kind: "menu", item: "history" }),
      ],
      [
        button(t(lang, "menu_limits"), { kind: "menu", item: "limits" }),
        button(t(lang, "menu_help"), { kind: "menu", item: "help" }),
      ],
    ],
  };
}

/** Language choice. */
export function languageKeyboard(): InlineKeyboardMarkup {
  return {
    inline_keyboard: [[
      button("🇷🇺 Русский", { kind: "language", lang: "ru" }),
      button("🇬🇧 English", { kind: "language", lang: "en" }),
    ]],
  };
}

/** Yes/no for `/forget`. */
export function forgetKeyboard(lang: Lang): InlineKeyboardMarkup {
  return {
    inline_keyboard: [[
      button(t(lang, "forget_yes"), { kind: "forget", confirm: true }),
      button(t(lang, "forget_no"), { kind: "forget", confirm: false }),
    ]],
  };
}

// === Learning

/** A button's label and the course or lesson it opens. */
export interface NavItem {
  id: string;
  label: string;
}

/**
 * The course list: one course per row, and "continue" to the current lesson when there is one.
 *
 * @example
 * ```ts
 * coursesKeyboard("en", [{ id: "beginner", label: "Crypto basics · 2/5" }]);
 * ```
 */
export function coursesKeyboard(
  lang: Lang,
  courses: readonly NavItem[],
  current?: NavItem,
): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      ...(current
        ? [[button(t(lang, "learn_continue", { title: current.label }), {
          kind: "lesson",
          lessonId: current.id,
        })]]
        : []),
      ...courses.map((c) => [button(c.label, { kind: "course", courseId: c.id })]),
    ],
  };
}

/** One course's lessons, one per row, and the way back to the course list. */
export function courseKeyboard(lang: Lang, lessons: readonly NavItem[]): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      ...lessons.map((l) => [button(l.label, { kind: "lesson", lessonId: l.id })]),
      [button(t(lang, "learn_all_courses"), { kind: "courses" })],
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
    steps.push(button(t(lang, "learn_previous"), { kind: "lesson", lessonId: nav.previousId }));
  }
  if (nav.nextId) {
    steps.push(button(t(lang, "learn_next"), { kind: "lesson", lessonId: nav.nextId }));
  }
  return {
    inline_keyboard: [
      [button(t(lang, "learn_take_quiz"), { kind: "quiz", lessonId: nav.lessonId })],
      ...(steps.length > 0 ? [steps] : []),
      [button(t(lang, "learn_to_course"), { kind: "course", courseId: nav.courseId })],
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
  /** The attempt's tag (`quizAttemptTag`). */
  attempt: string;
}

/** One question's answer buttons, A… in one row. */
export function quizKeyboard(q: QuizButtons): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      Array.from({ length: q.options }, (_, option) =>
        button(OPTION_LETTERS[option], {
          kind: "answer",
          lessonId: q.lessonId,
          index: q.index,
          option,
          attempt: q.attempt,
        })),
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
        ? [[button(t(lang, "quiz_next_lesson"), { kind: "lesson", lessonId: nav.nextId })]]
        : []),
      [
        button(t(lang, "quiz_retake"), { kind: "quiz", lessonId: nav.lessonId }),
        button(t(lang, "learn_to_course"), { kind: "course", courseId: nav.courseId }),
      ],
    ],
  };
}

/** The period switch under `/leaderboard`; the shown period is marked. */
export function leaderboardKeyboard(lang: Lang, shown: LeaderboardPeriod): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      LEADERBOARD_PERIODS.map((period) => {
        const label = t(lang, `leaderboard_${period}` as const);
        return button(period === shown ? `• ${label} •` : label, { kind: "leaderboard", period });
      }),
    ],
  };
}

/**
 * The 📚 row under an analysis card: the lesson that fits the card's topic.
 *
 * @example
 * ```ts
 * analysisKeyboard("en", item.id, lessonRow("en", "etf"));
 * ```
 */
export function lessonRow(lang: Lang, topic: LessonTopic): InlineKeyboardButton[][] {
  return [[button(t(lang, "button_lesson"), { kind: "topic", topic })]];
}

// === Admin

/** Send/cancel for a `/broadcast`, tied to that broadcast by its nonce. */
export function broadcastKeyboard(lang: Lang, nonce: string): InlineKeyboardMarkup {
  return {
    inline_keyboard: [[
      button(t(lang, "admin_broadcast_yes"), { kind: "broadcast", nonce, confirm: true }),
      button(t(lang, "admin_broadcast_no"), { kind: "broadcast", nonce, confirm: false }),
    ]],
  };
}
