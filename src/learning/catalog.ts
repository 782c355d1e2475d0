/**
 * The course catalog: loads and checks the course files once at start, then answers every
 * learning question (navigation, the lesson for a news topic, quiz grading, XP and badges)
 * from frozen data without I/O.
 *
 * @module
 */
import { AppError } from "../core/errors.ts";
import { type Lang } from "../i18n/mod.ts";
import { type BadgeId, badgesEarned, completedCourses, type LearningProgress } from "./badges.ts";
import {
  type ContentIssue,
  type Course,
  CourseFileError,
  type Lesson,
  type LocalizedText,
  parseCourseFile,
} from "./schema.ts";

/** Where the course files ship, next to this module. */
export const COURSES_DIR: URL = new URL("./content/", import.meta.url);

/** A quiz is passed with at least this share of right answers (3 of 3–5, 2 of 3). */
export const PASS_PERCENT = 60;

/** Extra XP for a perfect quiz, as a percentage of the lesson's XP. */
export const PERFECT_BONUS_PERCENT = 50;

/** One course file's name and contents, as {@linkcode createCatalog} takes them. */
export interface CourseSource {
  file: string;
  text: string;
}

/** One quiz question in one language, ready to show. */
export interface QuizQuestionView {
  lessonId: string;
  /** Zero-based position in the quiz. */
  index: number;
  /** Questions in the quiz. */
  total: number;
  question: string;
  /** In file order, never shuffled, so an option index in callback data stays meaningful. */
  options: readonly string[];
  /** Index of the right option. */
  answer: number;
  explanation: string;
}

/** How one answer of a graded quiz went. */
export interface QuestionGrade {
  correct: boolean;
  /** The option the user chose. */
  given: number;
  /** The right option. */
  answer: number;
  explanation: LocalizedText;
}

/** The result of {@linkcode Catalog.gradeQuiz}. */
export interface QuizGrade {
  lessonId: string;
  correct: number;
  total: number;
  perfect: boolean;
  /** At least {@linkcode PASS_PERCENT} % right. */
  passed: boolean;
  perQuestion: QuestionGrade[];
}

/** The loaded courses and every lookup on them; immutable. */
export interface Catalog {
  /** Courses in `order`. */
  courses(): readonly Course[];
  course(id: string): Course | undefined;
  /** Every lesson, course by course. */
  lessons(): readonly Lesson[];
  lesson(id: string): Lesson | undefined;
  courseOf(lessonId: string): Course | undefined;
  /** The next lesson along the whole path; after a course's last lesson, the next course's first. */
  nextLesson(id: string): Lesson | null;
  /** The previous lesson along the whole path; before a course's first, the previous course's last. */
  previousLesson(id: string): Lesson | null;
  /** The lesson that best explains an analysis event kind (see {@linkcode createCatalog}). */
  lessonForTopic(topic: string, completed?: ReadonlySet<string>): Lesson;
  quizQuestion(lessonId: string, index: number, lang: Lang): QuizQuestionView | undefined;
  gradeQuiz(lessonId: string, answers: readonly number[]): QuizGrade;
  quizXp(grade: QuizGrade, previousBestCorrect?: number): number;
  completedCourses(passedLessons: Iterable<string>): string[];
  badgesEarned(progress: LearningProgress): BadgeId[];
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * Whether `correct` of `total` passes: {@linkcode PASS_PERCENT} or more, in integer arithmetic
 * so 3 of 5 (exactly 60 %) passes.
 *
 * @example
 * ```ts
 * passes(2, 3); // true
 * passes(2, 4); // false
 * ```
 */
export function passes(correct: number, total: number): boolean {
  return total > 0 && correct * 100 >= total * PASS_PERCENT;
}

function checkAcrossFiles(files: readonly { file: string; course: Course }[]): void {
  const orders = new Map<number, string>();
  const courseIds = new Map<string, string>();
  const lessonIds = new Map<string, string>();
  for (const { file, course } of files) {
    const issues: ContentIssue[] = [];
    const base = file.replace(/^.*[\\/]/, "");
    if (base !== `${course.id}.json`) {
      issues.push({ path: "id", message: `must match the file name ("${course.id}.json")` });
    }
    const sameId = courseIds.get(course.id);
    if (sameId) issues.push({ path: "id", message: `duplicates the id of ${sameId}` });
    const sameOrder = orders.get(course.order);
    if (sameOrder) issues.push({ path: "order", message: `duplicates the order of ${sameOrder}` });
    course.lessons.forEach((lesson, i) => {
      const other = lessonIds.get(lesson.id);
      if (other) issues.push({ path: `lessons[${i}].id`, message: `duplicates an id in ${other}` });
    });
    if (issues.length > 0) throw new CourseFileError(file, issues);
    courseIds.set(course.id, file);
    orders.set(course.order, file);
    for (const lesson of course.lessons) lessonIds.set(lesson.id, file);
  }
}

/**
 * Builds a catalog from course files' contents: parses and checks each, then checks across
 * files (ids unique, orders unique, file named `<id>.json`).
 *
 * Decisions:
 * - Navigation runs through all courses in `order`: the next of a course's last lesson is the
 *   next course's first lesson, and null only at the very end (and for an unknown id); the bot
 *   can use {@linkcode Catalog.courseOf} to announce that a course is finished.
 * - `lessonForTopic` looks at lessons tagged with the topic; a lesson whose tag comes earlier in
 *   its `topics` list fits better, ties go to the earlier lesson. It prefers a lesson not in
 *   `completed`, else the best fit anyway, and for a topic no lesson has, the first lesson.
 * - `gradeQuiz` throws a RangeError for an unknown lesson, an answer count that differs from the
 *   quiz, or an answer that is not an option index: the bot validates callback data, so these
 *   are bugs, not user input.
 * - `quizXp` pays the lesson's XP for a pass plus {@linkcode PERFECT_BONUS_PERCENT} % for a
 *   perfect score, minus what the previous best already paid, so retakes never farm XP.
 *
 * @param sources Each file's name (used in errors) and text.
 * @throws {CourseFileError} Naming the file and field at the first broken file.
 *
 * @example
 * ```ts
 * const catalog = createCatalog([{ file: "beginner.json", text }]);
 * catalog.nextLesson("beginner-1")?.id; // "beginner-2"
 * ```
 */
export function createCatalog(sources: readonly CourseSource[]): Catalog {
  const files = sources.map(({ file, text }) => ({
    file,
    course: deepFreeze(parseCourseFile(file, text)) as Course,
  }));
  checkAcrossFiles(files);
  const courses: readonly Course[] = Object.freeze(
    files.map((f) => f.course).sort((a, b) => a.order - b.order),
  );
  if (courses.length === 0) {
    throw new AppError("Load course catalog failed: no course files", {
      code: "CONTENT_MISSING",
      level: "critical",
    });
  }
  const lessons: readonly Lesson[] = Object.freeze(courses.flatMap((c) => c.lessons));
  const courseById = new Map(courses.map((c) => [c.id, c]));
  const position = new Map(lessons.map((lesson, i) => [lesson.id, i]));
  const courseByLesson = new Map(
    courses.flatMap((c) => c.lessons.map((lesson) => [lesson.id, c] as const)),
  );

  function requireLesson(id: string, action: string): Lesson {
    const i = position.get(id);
    if (i === undefined) throw new RangeError(`${action} failed: unknown lesson "${id}"`);
    return lessons[i];
  }

  function step(id: string, by: 1 | -1): Lesson | null {
    const i = position.get(id);
    if (i === undefined) return null;
    return lessons[i + by] ?? null;
  }

  function lessonForTopic(topic: string, completed: ReadonlySet<string> = new Set()): Lesson {
    const wanted = topic.trim().toLowerCase();
    const ranked = lessons
      .map((lesson, i) => ({
        lesson,
        i,
        rank: (lesson.topics as readonly string[]).indexOf(wanted),
      }))
      .filter((c) => c.rank >= 0)
      .sort((a, b) => a.rank - b.rank || a.i - b.i);
    const fresh = ranked.find((c) => !completed.has(c.lesson.id));
    return (fresh ?? ranked[0])?.lesson ?? lessons[0];
  }

  function quizQuestion(lessonId: string, index: number, lang: Lang): QuizQuestionView | undefined {
    const i = position.get(lessonId);
    if (i === undefined || !Number.isInteger(index)) return undefined;
    const quiz = lessons[i].quiz;
    const q = quiz[index];
    if (!q) return undefined;
    return {
      lessonId,
      index,
      total: quiz.length,
      question: q.question[lang],
      options: q.options.map((option) => option[lang]),
      answer: q.answer,
      explanation: q.explanation[lang],
    };
  }

  function gradeQuiz(lessonId: string, answers: readonly number[]): QuizGrade {
    const { quiz } = requireLesson(lessonId, "Grade quiz");
    if (answers.length !== quiz.length) {
      throw new RangeError(
        `Grade quiz failed: lesson "${lessonId}" has ${quiz.length} questions, got ${answers.length} answers`,
      );
    }
    const perQuestion = quiz.map((q, i): QuestionGrade => {
      const given = answers[i];
      if (!Number.isInteger(given) || given < 0 || given >= q.options.length) {
        throw new RangeError(
          `Grade quiz failed: answer ${i} of lesson "${lessonId}" must be 0–${
            q.options.length - 1
          }, got ${given}`,
        );
      }
      return { correct: given === q.answer, given, answer: q.answer, explanation: q.explanation };
    });
    const correct = perQuestion.filter((g) => g.correct).length;
    return {
      lessonId,
      correct,
      total: quiz.length,
      perfect: correct === quiz.length,
      passed: passes(correct, quiz.length),
      perQuestion,
    };
  }

  function quizXp(grade: QuizGrade, previousBestCorrect = 0): number {
    const lesson = requireLesson(grade.lessonId, "Quiz XP");
    const worth = (correct: number): number => {
      if (!passes(correct, grade.total)) return 0;
      const bonus = correct >= grade.total
        ? Math.floor((lesson.xp * PERFECT_BONUS_PERCENT) / 100)
        : 0;
      return lesson.xp + bonus;
    };
    return Math.max(0, worth(grade.correct) - worth(previousBestCorrect));
  }

  return Object.freeze({
    courses: () => courses,
    course: (id: string) => courseById.get(id),
    lessons: () => lessons,
    lesson: (id: string) => {
      const i = position.get(id);
      return i === undefined ? undefined : lessons[i];
    },
    courseOf: (lessonId: string) => courseByLesson.get(lessonId),
    nextLesson: (id: string) => step(id, 1),
    previousLesson: (id: string) => step(id, -1),
    lessonForTopic,
    quizQuestion,
    gradeQuiz,
    quizXp,
    completedCourses: (passedLessons: Iterable<string>) => completedCourses(courses, passedLessons),
    badgesEarned: (progress: LearningProgress) => badgesEarned(courses, progress),
  });
}

function fileIn(dir: string | URL, name: string): string | URL {
  if (dir instanceof URL) return new URL(name, dir.href.endsWith("/") ? dir : `${dir.href}/`);
  return dir.endsWith("/") || dir.endsWith("\\") ? `${dir}${name}` : `${dir}/${name}`;
}

/**
 * Reads every `*.json` course file in `dir` and builds the catalog. Needs `--allow-read`.
 *
 * @param dir The folder of course files; defaults to {@linkcode COURSES_DIR}.
 * @throws {CourseFileError} When a file cannot be read or is broken; the message names the
 * file and the field, so a broken file stops the start.
 *
 * @example
 * ```ts
 * const catalog = await loadCatalog();
 * catalog.lessonForTopic("stablecoin").id; // "intermediate-3"
 * ```
 */
export async function loadCatalog(dir: string | URL = COURSES_DIR): Promise<Catalog> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
    }
  } catch (err) {
    throw new AppError(`Load course catalog failed: cannot list ${String(dir)}`, {
      code: "CONTENT_MISSING",
      level: "critical",
      cause: err,
    });
  }
  // Sorted so that which file is reported for a cross-file clash does not depend on the OS.
  names.sort();
  const sources = await Promise.all(names.map(async (name): Promise<CourseSource> => {
    try {
      return { file: name, text: await Deno.readTextFile(fileIn(dir, name)) };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new CourseFileError(name, [{ path: "", message: `cannot be read: ${reason}` }], {
        cause: err,
      });
    }
  }));
  return createCatalog(sources);
}
