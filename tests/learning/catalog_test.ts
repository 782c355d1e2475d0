import assert from "node:assert/strict";
import { EVENT_KINDS } from "../../src/analysis/providers/offline.ts";
import { LANGUAGES } from "../../src/i18n/mod.ts";
import {
  type Catalog,
  createCatalog,
  loadCatalog,
  PASS_PERCENT,
  passes,
} from "../../src/learning/catalog.ts";
import {
  CONTENT_LIMITS,
  countWords,
  type Lesson,
  LESSON_TOPICS,
} from "../../src/learning/schema.ts";

const catalog: Catalog = await loadCatalog();

function ids(lessons: readonly { id: string }[]): string[] {
  return lessons.map((l) => l.id);
}

/** Right answers for a lesson, with the first `wrong` of them turned wrong. */
function answersFor(lessonId: string, wrong = 0): number[] {
  const lesson = catalog.lesson(lessonId)!;
  return lesson.quiz.map((q, i) => i < wrong ? (q.answer + 1) % q.options.length : q.answer);
}

Deno.test("catalog: the shipped content loads as three courses of five lessons", () => {
  assert.deepEqual(catalog.courses().map((c) => c.id), ["beginner", "intermediate", "advanced"]);
  for (const course of catalog.courses()) {
    assert.deepEqual(
      ids(course.lessons),
      [1, 2, 3, 4, 5].map((n) => `${course.id}-${n}`),
    );
  }
  assert.equal(catalog.lessons().length, 15);
});

Deno.test("catalog: every lesson's body is 150–400 words in both languages", () => {
  for (const lesson of catalog.lessons()) {
    for (const lang of LANGUAGES) {
      const n = countWords(lesson.body[lang].join("\n\n"));
      assert.ok(
        n >= CONTENT_LIMITS.minWords && n <= CONTENT_LIMITS.maxWords,
        `${lesson.id}.${lang}: ${n} words`,
      );
    }
  }
});

Deno.test("catalog: every quiz has 3–5 questions with 3–4 options in both languages", () => {
  for (const lesson of catalog.lessons()) {
    assert.ok(lesson.quiz.length >= 3 && lesson.quiz.length <= 5, lesson.id);
    for (const q of lesson.quiz) {
      assert.ok(q.options.length >= 3 && q.options.length <= 4, lesson.id);
      assert.ok(q.answer >= 0 && q.answer < q.options.length, lesson.id);
      for (const lang of LANGUAGES) {
        assert.ok(q.question[lang] && q.explanation[lang], `${lesson.id} ${lang}`);
      }
    }
  }
});

Deno.test("catalog: loaded data is frozen all the way down", () => {
  const lesson = catalog.lesson("beginner-1")!;
  assert.ok(Object.isFrozen(catalog));
  assert.ok(Object.isFrozen(catalog.courses()));
  assert.ok(Object.isFrozen(lesson.quiz[0].options[0]));
  assert.throws(() => {
    (lesson as { xp: number }).xp = 1000;
  }, TypeError);
  assert.throws(() => {
    (catalog.lessons() as unknown as { id: string }[]).push({ id: "x" });
  }, TypeError);
  assert.equal(catalog.lesson("beginner-1")!.xp, 20);
});

Deno.test("catalog: lookups find courses and lessons by id and miss unknown ids", () => {
  assert.equal(catalog.course("advanced")?.lessons.length, 5);
  assert.equal(catalog.course("expert"), undefined);
  assert.equal(catalog.lesson("intermediate-3")?.title.en, "Stablecoins and de-pegs");
  assert.equal(catalog.lesson("intermediate-9"), undefined);
  assert.equal(catalog.courseOf("advanced-2")?.id, "advanced");
  assert.equal(catalog.courseOf("nope"), undefined);
});

Deno.test("catalog: next and previous run across course boundaries and stop at the ends", () => {
  assert.equal(catalog.nextLesson("beginner-1")?.id, "beginner-2");
  assert.equal(catalog.nextLesson("beginner-5")?.id, "intermediate-1");
  assert.equal(catalog.nextLesson("intermediate-5")?.id, "advanced-1");
  assert.equal(catalog.nextLesson("advanced-5"), null);
  assert.equal(catalog.previousLesson("intermediate-1")?.id, "beginner-5");
  assert.equal(catalog.previousLesson("advanced-1")?.id, "intermediate-5");
  assert.equal(catalog.previousLesson("beginner-1"), null);
  assert.equal(catalog.nextLesson("unknown"), null);
  assert.equal(catalog.previousLesson("unknown"), null);

  const walked: string[] = [];
  let l: Lesson | null = catalog.lessons()[0];
  for (; l; l = catalog.nextLesson(l.id)) walked.push(l.id);
  assert.deepEqual(walked, ids(catalog.lessons()));
});

Deno.test("catalog: every analysis event kind maps to the lesson that explains it", () => {
  const expected: Record<string, string> = {
    etf: "advanced-5",
    regulation: "advanced-5",
    hack: "advanced-3",
    outage: "intermediate-4",
    listing: "intermediate-4",
    partnership: "advanced-5",
    macro: "intermediate-5",
    whale: "beginner-3",
    upgrade: "beginner-4",
    lawsuit: "advanced-5",
    stablecoin: "intermediate-3",
    general: "beginner-1",
  };
  assert.deepEqual(Object.keys(expected).sort(), [...EVENT_KINDS].sort());
  for (const kind of EVENT_KINDS) {
    const lesson = catalog.lessonForTopic(kind);
    assert.equal(lesson.id, expected[kind], kind);
    assert.ok((lesson.topics as readonly string[]).includes(kind), kind);
  }
});

Deno.test("catalog: every known topic is taught by at least one lesson", () => {
  for (const topic of LESSON_TOPICS) {
    const lesson = catalog.lessonForTopic(topic);
    assert.ok((lesson.topics as readonly string[]).includes(topic), topic);
  }
  assert.equal(catalog.lessonForTopic("wallet").id, "beginner-2");
  assert.equal(catalog.lessonForTopic("scam").id, "advanced-4");
  assert.equal(catalog.lessonForTopic("defi").id, "intermediate-1");
  assert.equal(catalog.lessonForTopic("scaling").id, "advanced-1");
  assert.equal(catalog.lessonForTopic("dao").id, "advanced-2");
});

Deno.test("catalog: lessonForTopic prefers a lesson not yet completed", () => {
  assert.equal(catalog.lessonForTopic("hack", new Set(["advanced-3"])).id, "beginner-5");
  assert.equal(
    catalog.lessonForTopic("hack", new Set(["advanced-3", "beginner-5"])).id,
    "intermediate-2",
  );
  const all = new Set(ids(catalog.lessons()));
  assert.equal(catalog.lessonForTopic("hack", all).id, "advanced-3");
});

Deno.test("catalog: lessonForTopic falls back to the first beginner lesson", () => {
  assert.equal(catalog.lessonForTopic("astrology").id, "beginner-1");
  assert.equal(catalog.lessonForTopic("").id, "beginner-1");
  assert.equal(catalog.lessonForTopic(" ETF ").id, "advanced-5");
});

Deno.test("catalog: quizQuestion is deterministic and the same option in both languages", () => {
  const en = catalog.quizQuestion("beginner-2", 1, "en")!;
  const ru = catalog.quizQuestion("beginner-2", 1, "ru")!;
  assert.deepEqual(catalog.quizQuestion("beginner-2", 1, "en"), en);
  assert.equal(en.total, 4);
  assert.equal(en.index, 1);
  assert.equal(en.answer, ru.answer);
  assert.equal(en.options.length, ru.options.length);
  assert.match(en.options[en.answer], /real support never asks/);
  assert.match(ru.question, /сид-фразу/);
  assert.equal(catalog.quizQuestion("beginner-2", 4, "en"), undefined);
  assert.equal(catalog.quizQuestion("beginner-2", -1, "en"), undefined);
  assert.equal(catalog.quizQuestion("beginner-2", 0.5, "en"), undefined);
  assert.equal(catalog.quizQuestion("nope", 0, "en"), undefined);
});

Deno.test("catalog: gradeQuiz marks a perfect quiz as passed and perfect", () => {
  const grade = catalog.gradeQuiz("beginner-5", answersFor("beginner-5"));
  assert.equal(grade.total, 5);
  assert.equal(grade.correct, 5);
  assert.ok(grade.perfect && grade.passed);
  assert.ok(grade.perQuestion.every((q) => q.correct && q.given === q.answer));
  assert.match(grade.perQuestion[0].explanation.en, /SIM swap/);
});

Deno.test(`catalog: gradeQuiz passes at ${PASS_PERCENT} % and reports each answer`, () => {
  // Five questions: 3 right is exactly 60 % and passes, 2 right does not.
  const three = catalog.gradeQuiz("beginner-5", answersFor("beginner-5", 2));
  assert.deepEqual([three.correct, three.passed, three.perfect], [3, true, false]);
  assert.deepEqual(three.perQuestion.map((q) => q.correct), [false, false, true, true, true]);
  assert.notEqual(three.perQuestion[0].given, three.perQuestion[0].answer);
  const two = catalog.gradeQuiz("beginner-5", answersFor("beginner-5", 3));
  assert.deepEqual([two.correct, two.passed], [2, false]);
  // Four questions: 3 passes, 2 does not.
  assert.equal(catalog.gradeQuiz("beginner-1", answersFor("beginner-1", 1)).passed, true);
  assert.equal(catalog.gradeQuiz("beginner-1", answersFor("beginner-1", 2)).passed, false);
  assert.deepEqual([passes(2, 3), passes(1, 3), passes(0, 0)], [true, false, false]);
});

Deno.test("catalog: gradeQuiz refuses a wrong answer count, a non-option and an unknown lesson", () => {
  assert.throws(
    () => catalog.gradeQuiz("beginner-1", [0, 1, 2]),
    new RangeError('Grade quiz failed: lesson "beginner-1" has 4 questions, got 3 answers'),
  );
  assert.throws(
    () => catalog.gradeQuiz("beginner-1", [0, 1, 1, 2, 0]),
    RangeError,
  );
  assert.throws(
    () => catalog.gradeQuiz("beginner-1", [0, 3, 1, 2]),
    new RangeError('Grade quiz failed: answer 1 of lesson "beginner-1" must be 0–2, got 3'),
  );
  assert.throws(() => catalog.gradeQuiz("beginner-1", [0, 1.5, 1, 2]), RangeError);
  assert.throws(
    () => catalog.gradeQuiz("nope", []),
    new RangeError('Grade quiz failed: unknown lesson "nope"'),
  );
});

Deno.test("catalog: quiz XP pays once per level reached, never for retakes", () => {
  const lessonXp = catalog.lesson("beginner-1")!.xp;
  const perfect = catalog.gradeQuiz("beginner-1", answersFor("beginner-1"));
  const pass = catalog.gradeQuiz("beginner-1", answersFor("beginner-1", 1));
  const fail = catalog.gradeQuiz("beginner-1", answersFor("beginner-1", 2));
  assert.equal(catalog.quizXp(fail), 0);
  assert.equal(catalog.quizXp(pass), lessonXp);
  assert.equal(catalog.quizXp(perfect), lessonXp * 1.5);
  // A later perfect run after a plain pass earns only the bonus; a repeat earns nothing.
  assert.equal(catalog.quizXp(perfect, pass.correct), lessonXp * 0.5);
  assert.equal(catalog.quizXp(perfect, perfect.correct), 0);
  assert.equal(catalog.quizXp(pass, perfect.correct), 0);
  assert.equal(catalog.quizXp(pass, fail.correct), lessonXp);
});

Deno.test("catalog: badges follow the progress summary", () => {
  const none = {
    lessonsOpened: 0,
    passedLessons: [],
    quizzesFinished: 0,
    perfectQuizzes: 0,
    bestStreakDays: 0,
  };
  assert.deepEqual(catalog.badgesEarned(none), []);
  assert.deepEqual(catalog.badgesEarned({ ...none, lessonsOpened: 1 }), ["first_lesson"]);
  assert.deepEqual(
    catalog.badgesEarned({ ...none, lessonsOpened: 1, quizzesFinished: 1, perfectQuizzes: 1 }),
    ["first_lesson", "first_quiz", "perfect_score"],
  );
  const beginner = ids(catalog.course("beginner")!.lessons);
  assert.deepEqual(
    catalog.badgesEarned({ ...none, passedLessons: beginner.slice(0, 4), quizzesFinished: 4 }),
    ["first_lesson", "first_quiz"],
  );
  assert.deepEqual(
    catalog.badgesEarned({ ...none, passedLessons: new Set(beginner), quizzesFinished: 5 }),
    ["first_lesson", "first_quiz", "course_completed"],
  );
  assert.deepEqual(catalog.completedCourses(beginner), ["beginner"]);
  assert.deepEqual(
    catalog.badgesEarned({
      lessonsOpened: 15,
      passedLessons: [...ids(catalog.lessons()), "retired-lesson"],
      quizzesFinished: 20,
      perfectQuizzes: 3,
      bestStreakDays: 7,
    }),
    [
      "first_lesson",
      "first_quiz",
      "perfect_score",
      "course_completed",
      "all_courses_completed",
      "streak_7",
    ],
  );
  assert.deepEqual(catalog.badgesEarned({ ...none, bestStreakDays: 6 }), []);
});

Deno.test("catalog: createCatalog builds from file texts without touching the disk", async () => {
  const text = await Deno.readTextFile(
    new URL("../../src/learning/content/advanced.json", import.meta.url),
  );
  const only = createCatalog([{ file: "advanced.json", text }]);
  assert.deepEqual(only.courses().map((c) => c.id), ["advanced"]);
  assert.equal(only.lessonForTopic("nothing").id, "advanced-1");
  assert.equal(only.nextLesson("advanced-5"), null);
});

Deno.test("catalog: an empty course directory stops the start", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rvx_courses_" });
  try {
    await assert.rejects(loadCatalog(dir), /Load course catalog failed: no course files/);
    await assert.rejects(loadCatalog(`${dir}/missing`), /Load course catalog failed: cannot list/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
