/**
 * Callback data of inline buttons: packed here, parsed and validated here, nowhere else. A
 * button from an older version or a forged one parses to null and is answered as stale.
 *
 * @module
 */
import { asLang, type Lang } from "../i18n/mod.ts";
import { LESSON_TOPICS, type LessonTopic } from "../learning/schema.ts";
import { LEADERBOARD_PERIODS, type LeaderboardPeriod } from "../store/leaderboard.ts";

/** Items of the main menu. */
export const MENU_ITEMS = ["analyze", "learn", "profile", "history", "limits", "help"] as const;
export type MenuItem = typeof MENU_ITEMS[number];

/** Everything a button can ask for. */
export type CallbackAction =
  | { kind: "vote"; vote: "up" | "down"; analysisId: string }
  | { kind: "bookmark"; analysisId: string }
  | { kind: "language"; lang: Lang }
  | { kind: "menu"; item: MenuItem }
  | { kind: "forget"; confirm: boolean }
  // === Learning
  | { kind: "courses" }
  | { kind: "course"; courseId: string }
  | { kind: "lesson"; lessonId: string }
  | { kind: "quiz"; lessonId: string }
  | { kind: "answer"; lessonId: string; index: number; option: number; attempt: string }
  | { kind: "topic"; topic: LessonTopic }
  | { kind: "leaderboard"; period: LeaderboardPeriod }
  // === Admin
  | { kind: "broadcast"; nonce: string; confirm: boolean };

const ID = "[0-9a-z]{20}";
/** A course or lesson id (the catalog's id pattern, at most 32 characters). */
const CONTENT_ID = "[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?";
/** A quiz attempt: its start time in base 36 (see {@linkcode quizAttemptTag}). */
const ATTEMPT = "[0-9a-z]{1,11}";
/** The nonce tying a broadcast's confirm buttons to the one pending broadcast. */
const NONCE = "[A-Za-z0-9_-]{8}";

/** The pattern of each kind, for `composer.callbackQuery(...)`. */
export const CALLBACK_PATTERNS = {
  vote: new RegExp(`^v:(up|down):(${ID})$`),
  bookmark: new RegExp(`^b:(${ID})$`),
  language: /^l:(ru|en)$/,
  menu: new RegExp(`^m:(${MENU_ITEMS.join("|")})$`),
  forget: /^f:(yes|no)$/,
  courses: /^lc$/,
  course: new RegExp(`^lk:(${CONTENT_ID})$`),
  lesson: new RegExp(`^lo:(${CONTENT_ID})$`),
  quiz: new RegExp(`^lq:(${CONTENT_ID})$`),
  answer: new RegExp(`^la:(${CONTENT_ID}):([0-9]):([0-9]):(${ATTEMPT})$`),
  topic: new RegExp(`^lt:(${LESSON_TOPICS.join("|")})$`),
  leaderboard: new RegExp(`^lb:(${LEADERBOARD_PERIODS.join("|")})$`),
  broadcast: new RegExp(`^bc:(${NONCE}):(yes|no)$`),
} as const satisfies Record<CallbackAction["kind"], RegExp>;

/**
 * Packs an action into callback data (always ≤ 64 bytes).
 *
 * @example
 * ```ts
 * packCallback({ kind: "bookmark", analysisId: item.id }); // "b:…"
 * ```
 */
export function packCallback(action: CallbackAction): string {
  switch (action.kind) {
    case "vote":
      return `v:${action.vote}:${action.analysisId}`;
    case "bookmark":
      return `b:${action.analysisId}`;
    case "language":
      return `l:${action.lang}`;
    case "menu":
      return `m:${action.item}`;
    case "forget":
      return `f:${action.confirm ? "yes" : "no"}`;
    case "courses":
      return "lc";
    case "course":
      return `lk:${action.courseId}`;
    case "lesson":
      return `lo:${action.lessonId}`;
    case "quiz":
      return `lq:${action.lessonId}`;
    case "answer":
      return `la:${action.lessonId}:${action.index}:${action.option}:${action.attempt}`;
    case "topic":
      return `lt:${action.topic}`;
    case "leaderboard":
      return `lb:${action.period}`;
    case "broadcast":
      return `bc:${action.nonce}:${action.confirm ? "yes" : "no"}`;
  }
}

/**
 * Parses callback data; null when it is not one of ours.
 *
 * @example
 * ```ts
 * parseCallback("l:en"); // { kind: "language", lang: "en" }
 * parseCallback("drop table"); // null
 * ```
 */
export function parseCallback(data: string | undefined): CallbackAction | null {
  if (!data || data.length > 64) return null;
  let m: RegExpExecArray | null;
  if ((m = CALLBACK_PATTERNS.vote.exec(data))) {
    return { kind: "vote", vote: m[1] as "up" | "down", analysisId: m[2] };
  }
  if ((m = CALLBACK_PATTERNS.bookmark.exec(data))) return { kind: "bookmark", analysisId: m[1] };
  if ((m = CALLBACK_PATTERNS.language.exec(data))) return { kind: "language", lang: asLang(m[1])! };
  if ((m = CALLBACK_PATTERNS.menu.exec(data))) return { kind: "menu", item: m[1] as MenuItem };
  if ((m = CALLBACK_PATTERNS.forget.exec(data))) return { kind: "forget", confirm: m[1] === "yes" };
  if ((m = CALLBACK_PATTERNS.broadcast.exec(data))) {
    return { kind: "broadcast", nonce: m[1], confirm: m[2] === "yes" };
  }
  return parseLearning(data);
}

function parseLearning(data: string): CallbackAction | null {
  let m: RegExpExecArray | null;
  if (CALLBACK_PATTERNS.courses.test(data)) return { kind: "courses" };
  if ((m = CALLBACK_PATTERNS.course.exec(data))) return { kind: "course", courseId: m[1] };
  if ((m = CALLBACK_PATTERNS.lesson.exec(data))) return { kind: "lesson", lessonId: m[1] };
  if ((m = CALLBACK_PATTERNS.quiz.exec(data))) return { kind: "quiz", lessonId: m[1] };
  if ((m = CALLBACK_PATTERNS.answer.exec(data))) {
    return {
      kind: "answer",
      lessonId: m[1],
      index: Number(m[2]),
      option: Number(m[3]),
      attempt: m[4],
    };
  }
  if ((m = CALLBACK_PATTERNS.topic.exec(data))) {
    return { kind: "topic", topic: m[1] as LessonTopic };
  }
  if ((m = CALLBACK_PATTERNS.leaderboard.exec(data))) {
    return { kind: "leaderboard", period: m[1] as LeaderboardPeriod };
  }
  return null;
}

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
