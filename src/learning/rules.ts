/**
 * The rules of learning progress, as pure functions of the stored record: what opening a lesson
 * and finishing a quiz change (lessons opened and passed, best scores, streak, XP by
 * `catalog.quizXp` against the best earlier score), and what a step earned (finished courses, a
 * level, badges). The bot stages the results; nothing here reads or writes KV.
 *
 * @module
 */
import { levelFor } from "../store/profiles.ts";
import { type LearningRecord } from "../store/learning.ts";
import { advanceStreak, type BadgeId, newBadges } from "./badges.ts";
import { type Catalog, type QuizGrade } from "./catalog.ts";

/** A step's record before and after, and the XP it granted. */
export interface StepChange {
  before: LearningRecord;
  after: LearningRecord;
  xp: number;
}

/**
 * Opening a lesson: marks it opened (first time) and advances the streak.
 *
 * @returns the change, and whether the record needs writing.
 * @example
 * ```ts
 * const { change, changed } = openedLesson(record, "beginner-1", now);
 * ```
 */
export function openedLesson(
  before: LearningRecord,
  lessonId: string,
  now: number,
): { change: StepChange; changed: boolean } {
  const streak = advanceStreak(before.streak, now);
  const firstOpen = !before.opened.includes(lessonId);
  const after: LearningRecord = {
    ...before,
    opened: firstOpen ? [...before.opened, lessonId] : before.opened,
    streak,
  };
  return { change: { before, after, xp: 0 }, changed: firstOpen || streak !== before.streak };
}

/**
 * Finishing a quiz: grades the answers and pays XP only for a pass or perfect score not reached
 * before (a retake shows its score but pays nothing otherwise).
 *
 * @example
 * ```ts
 * const { grade, change } = finishedQuiz(catalog, record, "beginner-1", [0, 2, 1], now);
 * ```
 */
export function finishedQuiz(
  catalog: Catalog,
  before: LearningRecord,
  lessonId: string,
  answers: readonly number[],
  now: number,
): { grade: QuizGrade; change: StepChange } {
  const grade = catalog.gradeQuiz(lessonId, answers);
  const best = before.best[lessonId];
  const xp = catalog.quizXp(grade, best?.correct ?? 0);
  const at = new Date(now).toISOString();
  const after: LearningRecord = {
    ...before,
    opened: before.opened.includes(lessonId) ? before.opened : [...before.opened, lessonId],
    passed: grade.passed && !before.passed.includes(lessonId)
      ? [...before.passed, lessonId]
      : before.passed,
    best: !best || grade.correct > best.correct
      ? { ...before.best, [lessonId]: { correct: grade.correct, total: grade.total, at } }
      : before.best,
    quizzes_finished: before.quizzes_finished + 1,
    perfect_quizzes: before.perfect_quizzes + (grade.perfect ? 1 : 0),
    streak: advanceStreak(before.streak, now),
    xp: before.xp + xp,
  };
  return { grade, change: { before, after, xp } };
}

/** What a step earned, to announce once. */
export interface StepNews {
  /** Courses finished by this step. */
  courses: string[];
  /** The new level, when the step's XP reached one. */
  level: number | null;
  /** Badges earned by this step (not held before). */
  badges: BadgeId[];
}

/**
 * What a step earned for a user who had `xp` and `badges` before it.
 *
 * @example
 * ```ts
 * const news = stepNews(catalog, change, { xp: user.xp, badges: user.badges });
 * ```
 */
export function stepNews(
  catalog: Catalog,
  change: StepChange,
  user: { xp: number; badges: readonly string[] },
): StepNews {
  const doneBefore = new Set(catalog.completedCourses(change.before.passed));
  const courses = catalog.completedCourses(change.after.passed).filter((id) => !doneBefore.has(id));
  const levelBefore = levelFor(user.xp);
  const levelAfter = levelFor(user.xp + change.xp);
  const earned = catalog.badgesEarned({
    lessonsOpened: change.after.opened.length,
    passedLessons: change.after.passed,
    quizzesFinished: change.after.quizzes_finished,
    perfectQuizzes: change.after.perfect_quizzes,
    bestStreakDays: change.after.streak.best,
  });
  return {
    courses,
    level: change.xp > 0 && levelAfter > levelBefore ? levelAfter : null,
    badges: newBadges(user.badges, earned),
  };
}
