/**
 * Badges and learning streaks: pure functions of a progress summary, so the bot decides what to
 * award without reading anything else.
 *
 * @module
 */
import { type Course } from "./schema.ts";

/** Every badge, in the order `/profile` shows them. */
export const BADGES = [
  "first_lesson",
  "first_quiz",
  "perfect_score",
  "course_completed",
  "all_courses_completed",
  "streak_7",
] as const;
export type BadgeId = typeof BADGES[number];

/** Days in a row with learning activity that earn `streak_7`. */
export const STREAK_BADGE_DAYS = 7;

/**
 * What badges are computed from; the bot keeps these numbers with the user's learning progress.
 *
 * - `first_lesson`: `lessonsOpened` ≥ 1 or any passed lesson.
 * - `first_quiz`: `quizzesFinished` ≥ 1 (any result).
 * - `perfect_score`: `perfectQuizzes` ≥ 1.
 * - `course_completed`: every lesson of at least one course is in `passedLessons`.
 * - `all_courses_completed`: every lesson of every course is in `passedLessons`.
 * - `streak_7`: `bestStreakDays` ≥ {@linkcode STREAK_BADGE_DAYS}.
 */
export interface LearningProgress {
  /** Distinct lessons the user has opened. */
  lessonsOpened: number;
  /** Ids of lessons whose quiz the user has passed; unknown ids are ignored. */
  passedLessons: Iterable<string>;
  /** Quizzes finished, passed or not, counting retakes. */
  quizzesFinished: number;
  /** Quizzes finished with every answer right. */
  perfectQuizzes: number;
  /** The longest run of consecutive UTC days with learning activity (see {@linkcode advanceStreak}). */
  bestStreakDays: number;
}

/**
 * The courses whose every lesson has been passed, in catalog order.
 *
 * @example
 * ```ts
 * completedCourses(catalog.courses(), ["beginner-1", "beginner-2"]); // [] until all five pass
 * ```
 */
export function completedCourses(
  courses: readonly Course[],
  passedLessons: Iterable<string>,
): string[] {
  const passed = new Set(passedLessons);
  return courses
    .filter((course) => course.lessons.every((lesson) => passed.has(lesson.id)))
    .map((course) => course.id);
}

/**
 * Every badge the progress has earned, in {@linkcode BADGES} order. The result depends only on
 * the input, so a badge is never lost and re-running it is harmless.
 *
 * @example
 * ```ts
 * const earned = badgesEarned(catalog.courses(), {
 *   lessonsOpened: 1, passedLessons: ["beginner-1"], quizzesFinished: 1,
 *   perfectQuizzes: 0, bestStreakDays: 1,
 * }); // ["first_lesson", "first_quiz"]
 * ```
 */
export function badgesEarned(courses: readonly Course[], progress: LearningProgress): BadgeId[] {
  const passed = new Set(progress.passedLessons);
  const done = completedCourses(courses, passed);
  const earned: Record<BadgeId, boolean> = {
    first_lesson: progress.lessonsOpened >= 1 || passed.size > 0,
    first_quiz: progress.quizzesFinished >= 1,
    perfect_score: progress.perfectQuizzes >= 1,
    course_completed: done.length >= 1,
    all_courses_completed: courses.length > 0 && done.length === courses.length,
    streak_7: progress.bestStreakDays >= STREAK_BADGE_DAYS,
  };
  return BADGES.filter((badge) => earned[badge]);
}

/**
 * The badges in `earned` that the user does not hold yet: what to announce after a step.
 *
 * @example
 * ```ts
 * newBadges(["first_lesson"], ["first_lesson", "first_quiz"]); // ["first_quiz"]
 * ```
 */
export function newBadges(held: readonly string[], earned: readonly BadgeId[]): BadgeId[] {
  const have = new Set(held);
  return earned.filter((badge) => !have.has(badge));
}

/** A run of consecutive active days; days are `YYYY-MM-DD` in UTC. */
export interface Streak {
  /** The last day with activity, or null before the first. */
  lastDay: string | null;
  /** Days in the run that ends on `lastDay`. */
  current: number;
  /** The longest run so far. */
  best: number;
}

/** The streak of someone who has not learned yet. */
export const EMPTY_STREAK: Streak = Object.freeze({ lastDay: null, current: 0, best: 0 });

const DAY_MS = 86_400_000;

/**
 * The UTC day of a time, as `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * utcDay(0); // "1970-01-01"
 * ```
 */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayNumber(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/**
 * The streak after learning activity at `nowMs`: the same day changes nothing, the next day
 * extends the run, a gap starts a new run of 1. Days are UTC so every process agrees on them.
 *
 * @example
 * ```ts
 * let streak = advanceStreak(EMPTY_STREAK, clock.now());
 * streak = advanceStreak(streak, clock.now() + 86_400_000); // current: 2
 * ```
 */
export function advanceStreak(streak: Streak, nowMs: number): Streak {
  const today = utcDay(nowMs);
  if (streak.lastDay === today) return streak;
  const gap = streak.lastDay === null ? Infinity : dayNumber(today) - dayNumber(streak.lastDay);
  // A clock that went backwards must not reset a run the user has earned.
  if (gap < 0) return streak;
  const current = gap === 1 ? streak.current + 1 : 1;
  return { lastDay: today, current, best: Math.max(streak.best, current) };
}
