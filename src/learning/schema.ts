/**
 * The shape of a course file and the checks that stop the start when one is broken.
 *
 * A course file is JSON (`src/learning/content/<course id>.json`):
 *
 * ```json
 * {
 *   "id": "beginner", "order": 1,
 *   "title": { "ru": "…", "en": "…" }, "summary": { "ru": "…", "en": "…" },
 *   "lessons": [{
 *     "id": "beginner-1", "title": { "ru": "…", "en": "…" },
 *     "topics": ["general"], "xp": 20,
 *     "body": { "ru": ["paragraph", "…"], "en": ["paragraph", "…"] },
 *     "quiz": [{
 *       "question": { "ru": "…", "en": "…" },
 *       "options": [{ "ru": "…", "en": "…" }, …],
 *       "answer": 0,
 *       "explanation": { "ru": "…", "en": "…" }
 *     }]
 *   }]
 * }
 * ```
 *
 * Text format: every string is plain text on one line, without leading or trailing spaces. A
 * lesson body is a list of paragraphs per language; the bot escapes HTML and joins paragraphs
 * with a blank line. There is no other markup. Each option carries both languages, so the
 * answer index means the same option in ru and en. The length limits follow Telegram's quiz
 * polls (question 300, option 100, explanation 200 characters), so a question can be sent
 * either as buttons or as a native quiz.
 *
 * @module
 */
import { z } from "zod";
import { AppError } from "../core/errors.ts";
import { type Lang } from "../i18n/mod.ts";

/**
 * Tags a lesson may carry. They include every event kind of the analysis (etf … general), so an
 * analysis card can link to the lesson that explains its event.
 */
export const LESSON_TOPICS = [
  "general",
  "wallet",
  "security",
  "scam",
  "defi",
  "stablecoin",
  "exchange",
  "listing",
  "whale",
  "etf",
  "regulation",
  "lawsuit",
  "macro",
  "hack",
  "outage",
  "upgrade",
  "partnership",
  "scaling",
  "dao",
] as const;
export type LessonTopic = typeof LESSON_TOPICS[number];

/** Bounds every course file is checked against. */
export const CONTENT_LIMITS = {
  minWords: 150,
  maxWords: 400,
  /** Characters of one language's body with paragraphs joined; leaves room in a 4096-char message. */
  maxBodyChars: 3500,
  maxParagraphs: 12,
  minQuestions: 3,
  maxQuestions: 5,
  minOptions: 3,
  maxOptions: 4,
  titleChars: 80,
  summaryChars: 200,
  questionChars: 300,
  optionChars: 100,
  explanationChars: 200,
  minXp: 1,
  maxXp: 500,
  maxLessons: 20,
} as const;

/**
 * Counts words the way the content limits mean them: whitespace-separated tokens that hold at
 * least one letter or digit (a lone dash or emoji is not a word).
 *
 * @example
 * ```ts
 * countWords("Bitcoin — the first cryptocurrency (2009)"); // 5
 * ```
 */
export function countWords(text: string): number {
  let words = 0;
  for (const token of text.split(/\s+/)) {
    if (/[\p{L}\p{N}]/u.test(token)) words++;
  }
  return words;
}

const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

function line(max: number) {
  return z.string().min(1).max(max)
    .refine((s) => s === s.trim(), "must not start or end with whitespace")
    .refine((s) => !/[\r\n]/.test(s), "must be one line; use separate paragraphs instead");
}

function localized(max: number) {
  return z.strictObject({ ru: line(max), en: line(max) });
}

const paragraphs = z.array(line(CONTENT_LIMITS.maxBodyChars))
  .min(1)
  .max(CONTENT_LIMITS.maxParagraphs)
  .superRefine((items, ctx) => {
    const text = items.join("\n\n");
    const words = countWords(text);
    if (words < CONTENT_LIMITS.minWords || words > CONTENT_LIMITS.maxWords) {
      ctx.addIssue({
        code: "custom",
        message:
          `must be ${CONTENT_LIMITS.minWords}–${CONTENT_LIMITS.maxWords} words, has ${words}`,
      });
    }
    if (text.length > CONTENT_LIMITS.maxBodyChars) {
      ctx.addIssue({
        code: "custom",
        message: `must be at most ${CONTENT_LIMITS.maxBodyChars} characters, has ${text.length}`,
      });
    }
  });

const QuizQuestionSchema = z.strictObject({
  question: localized(CONTENT_LIMITS.questionChars),
  options: z.array(localized(CONTENT_LIMITS.optionChars))
    .min(CONTENT_LIMITS.minOptions)
    .max(CONTENT_LIMITS.maxOptions),
  answer: z.number().int().min(0),
  explanation: localized(CONTENT_LIMITS.explanationChars),
}).superRefine((q, ctx) => {
  if (q.answer >= q.options.length) {
    ctx.addIssue({
      code: "custom",
      path: ["answer"],
      message: `must be an index of options (0–${q.options.length - 1}), got ${q.answer}`,
    });
  }
  for (const lang of ["ru", "en"] as const) {
    const seen = new Map<string, number>();
    q.options.forEach((option, i) => {
      const first = seen.get(option[lang]);
      if (first !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["options", i, lang],
          message: `duplicates options[${first}].${lang}`,
        });
      } else seen.set(option[lang], i);
    });
  }
});

const LessonSchema = z.strictObject({
  id: z.string().regex(ID_PATTERN, "must be lower-case words joined by dashes"),
  title: localized(CONTENT_LIMITS.titleChars),
  topics: z.array(z.enum(LESSON_TOPICS)).min(1).superRefine((topics, ctx) => {
    topics.forEach((topic, i) => {
      if (topics.indexOf(topic) !== i) {
        ctx.addIssue({ code: "custom", path: [i], message: `repeats "${topic}"` });
      }
    });
  }),
  xp: z.number().int().min(CONTENT_LIMITS.minXp).max(CONTENT_LIMITS.maxXp),
  body: z.strictObject({ ru: paragraphs, en: paragraphs }),
  quiz: z.array(QuizQuestionSchema)
    .min(CONTENT_LIMITS.minQuestions)
    .max(CONTENT_LIMITS.maxQuestions),
});

/** One course file, as checked at start. */
export const CourseFileSchema = z.strictObject({
  id: z.string().regex(ID_PATTERN, "must be lower-case words joined by dashes"),
  /** Position of the course in the catalog; unique across files. */
  order: z.number().int().min(1),
  title: localized(CONTENT_LIMITS.titleChars),
  summary: localized(CONTENT_LIMITS.summaryChars),
  lessons: z.array(LessonSchema).min(1).max(CONTENT_LIMITS.maxLessons),
}).superRefine((course, ctx) => {
  const seen = new Map<string, number>();
  course.lessons.forEach((lesson, i) => {
    // The prefix keeps ids unique across files and tells a reader where a lesson lives.
    if (!lesson.id.startsWith(`${course.id}-`)) {
      ctx.addIssue({
        code: "custom",
        path: ["lessons", i, "id"],
        message: `must start with the course id ("${course.id}-")`,
      });
    }
    const first = seen.get(lesson.id);
    if (first !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["lessons", i, "id"],
        message: `duplicates lessons[${first}].id ("${lesson.id}")`,
      });
    } else seen.set(lesson.id, i);
  });
});

type DeepReadonly<T> = T extends readonly (infer U)[] ? readonly DeepReadonly<U>[]
  : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
  : T;

/** A course file's data as parsed, before the catalog freezes it. */
export type CourseFile = z.infer<typeof CourseFileSchema>;
/** A course as loaded; the catalog hands it out frozen. */
export type Course = DeepReadonly<CourseFile>;
/** One lesson of a course. */
export type Lesson = Course["lessons"][number];
/** One quiz question of a lesson, in both languages. */
export type QuizQuestion = Lesson["quiz"][number];
/** A text in every language the bot speaks. */
export type LocalizedText = Readonly<Record<Lang, string>>;

/** One problem found in a course file; `path` is like `lessons[2].quiz[1].answer`. */
export interface ContentIssue {
  path: string;
  message: string;
}

const MAX_LISTED_ISSUES = 10;

/**
 * A course file is unreadable, is not valid JSON, or breaks the schema. The message names the
 * file and each field: `Invalid course file beginner.json: lessons[2].quiz[1].answer: must be
 * an index of options (0–3), got 7`.
 *
 * @example
 * ```ts
 * throw new CourseFileError("beginner.json", [{ path: "lessons[0].xp", message: "is required" }]);
 * ```
 */
export class CourseFileError extends AppError {
  readonly file: string;
  readonly issues: readonly ContentIssue[];

  constructor(file: string, issues: readonly ContentIssue[], options: { cause?: unknown } = {}) {
    const listed = issues.slice(0, MAX_LISTED_ISSUES)
      .map((issue) => issue.path ? `${issue.path}: ${issue.message}` : issue.message);
    const more = issues.length > MAX_LISTED_ISSUES
      ? ` (and ${issues.length - MAX_LISTED_ISSUES} more)`
      : "";
    super(`Invalid course file ${file}: ${listed.join("; ")}${more}`, {
      code: "CONTENT_INVALID",
      level: "critical",
      details: { file, issues },
      cause: options.cause,
    });
    this.name = "CourseFileError";
    this.file = file;
    this.issues = issues;
  }
}

/**
 * Formats a field path the way a reader of the JSON would write it.
 *
 * @example
 * ```ts
 * formatPath(["lessons", 2, "quiz", 1, "answer"]); // "lessons[2].quiz[1].answer"
 * ```
 */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function issuesOf(error: z.ZodError): ContentIssue[] {
  const out: ContentIssue[] = [];
  for (const issue of error.issues) {
    const path = formatPath(issue.path);
    switch (issue.code) {
      case "unrecognized_keys":
        for (const key of issue.keys) {
          out.push({ path: formatPath([...issue.path, key]), message: "unknown field" });
        }
        break;
      case "invalid_type":
        out.push({
          path,
          message: issue.input === undefined
            ? "is required"
            : `must be ${article(issue.expected === "int" ? "integer" : issue.expected)}`,
        });
        break;
      case "invalid_value":
        out.push({
          path,
          message: `unknown value ${JSON.stringify(issue.input)}; expected one of: ${
            issue.values.map(String).join(", ")
          }`,
        });
        break;
      case "too_small":
      case "too_big": {
        const bound = issue.code === "too_small" ? "at least" : "at most";
        const limit = issue.code === "too_small" ? issue.minimum : issue.maximum;
        const unit = issue.origin === "array"
          ? " items"
          : issue.origin === "string"
          ? " characters"
          : "";
        out.push({ path, message: `must have ${bound} ${limit}${unit}` });
        break;
      }
      default:
        out.push({ path, message: issue.message });
    }
  }
  return out;
}

/**
 * Parses and checks one course file's text.
 *
 * @param file The file name, used in the error message.
 * @param text The file's contents.
 * @returns The course, as plain data.
 * @throws {CourseFileError} When the text is not JSON or breaks the schema.
 *
 * @example
 * ```ts
 * const course = parseCourseFile("beginner.json", await Deno.readTextFile(path));
 * ```
 */
export function parseCourseFile(file: string, text: string): CourseFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new CourseFileError(file, [{ path: "", message: `not valid JSON: ${reason}` }], {
      cause: err,
    });
  }
  const result = CourseFileSchema.safeParse(data, { reportInput: true });
  if (!result.success) throw new CourseFileError(file, issuesOf(result.error));
  return result.data;
}
