import assert from "node:assert/strict";
import { COURSES_DIR, createCatalog, loadCatalog } from "../../src/learning/catalog.ts";
import {
  countWords,
  type CourseFile,
  CourseFileError,
  formatPath,
  parseCourseFile,
} from "../../src/learning/schema.ts";

const COURSE_IDS = ["beginner", "intermediate", "advanced"] as const;
type CourseId = typeof COURSE_IDS[number];
type Courses = Record<CourseId, CourseFile>;

async function realCourses(): Promise<Courses> {
  const entries = await Promise.all(COURSE_IDS.map(async (id) => {
    const text = await Deno.readTextFile(new URL(`${id}.json`, COURSES_DIR));
    return [id, JSON.parse(text) as CourseFile] as const;
  }));
  return Object.fromEntries(entries) as Courses;
}

/**
 * Writes the real course files, changed by `mutate`, into a fresh temp dir and loads them;
 * returns what loading threw. `raw` replaces a file's text outright.
 */
async function loadBroken(
  mutate: (courses: Courses) => void,
  raw: Partial<Record<CourseId, string>> = {},
): Promise<CourseFileError> {
  const courses = await realCourses();
  mutate(courses);
  const dir = await Deno.makeTempDir({ prefix: "rvx_courses_" });
  try {
    for (const id of COURSE_IDS) {
      await Deno.writeTextFile(`${dir}/${id}.json`, raw[id] ?? JSON.stringify(courses[id]));
    }
    const err = await loadCatalog(dir).then(
      () => assert.fail("loading a broken course file succeeded"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof CourseFileError, `expected CourseFileError, got ${err}`);
    return err;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function words(n: number): string[] {
  return [Array.from({ length: n }, (_, i) => `word${i}`).join(" ")];
}

Deno.test("course schema: the shipped course files parse", async () => {
  for (const id of COURSE_IDS) {
    const text = await Deno.readTextFile(new URL(`${id}.json`, COURSES_DIR));
    assert.equal(parseCourseFile(`${id}.json`, text).id, id);
  }
});

Deno.test("course schema: a bad answer index names the file and the field", async () => {
  const err = await loadBroken((c) => {
    c.beginner.lessons[2].quiz[1].answer = 7;
  });
  assert.equal(err.file, "beginner.json");
  assert.match(
    err.message,
    /^Invalid course file beginner\.json: lessons\[2\]\.quiz\[1\]\.answer: must be an index of options \(0–2\), got 7$/,
  );
});

Deno.test("course schema: a negative or fractional answer is refused", () => {
  const text = Deno.readTextFileSync(new URL("beginner.json", COURSES_DIR));
  const course = JSON.parse(text) as CourseFile;
  course.lessons[0].quiz[0].answer = -1;
  course.lessons[0].quiz[2].answer = 1.5;
  assert.throws(
    () => parseCourseFile("beginner.json", JSON.stringify(course)),
    (err: unknown) => {
      assert.ok(err instanceof CourseFileError);
      assert.deepEqual(err.issues.map((i) => i.path), [
        "lessons[0].quiz[0].answer",
        "lessons[0].quiz[2].answer",
      ]);
      return true;
    },
  );
});

Deno.test("course schema: a missing ru body is reported as required", async () => {
  const err = await loadBroken((c) => {
    delete (c.intermediate.lessons[3].body as Partial<CourseFile["lessons"][0]["body"]>).ru;
  });
  assert.equal(err.file, "intermediate.json");
  assert.equal(
    err.message,
    "Invalid course file intermediate.json: lessons[3].body.ru: is required",
  );
});

Deno.test("course schema: a 100-word lesson is too short, a 401-word one too long", async () => {
  const short = await loadBroken((c) => {
    c.advanced.lessons[0].body.en = words(100);
  });
  assert.equal(
    short.message,
    "Invalid course file advanced.json: lessons[0].body.en: must be 150–400 words, has 100",
  );
  const long = await loadBroken((c) => {
    c.advanced.lessons[4].body.ru = words(401);
  });
  assert.match(long.message, /lessons\[4\]\.body\.ru: must be 150–400 words, has 401/);
});

Deno.test("course schema: a duplicate lesson id in one file names both positions", async () => {
  const err = await loadBroken((c) => {
    c.beginner.lessons[3].id = "beginner-2";
  });
  assert.equal(
    err.message,
    'Invalid course file beginner.json: lessons[3].id: duplicates lessons[1].id ("beginner-2")',
  );
});

Deno.test("course schema: a lesson id must carry its course's prefix", async () => {
  const err = await loadBroken((c) => {
    c.intermediate.lessons[0].id = "beginner-1";
  });
  assert.equal(err.file, "intermediate.json");
  assert.match(err.message, /lessons\[0\]\.id: must start with the course id \("intermediate-"\)/);
});

Deno.test("course schema: a lesson id used in two files names the second file", async () => {
  const courses = await realCourses();
  const extra: CourseFile = {
    ...courses.advanced,
    id: "beginner-extra",
    order: 4,
    lessons: [{ ...courses.advanced.lessons[0], id: "beginner-extra-1" }],
  };
  // "beginner-extra-1" also carries the "beginner-" prefix, so only the cross-file check sees it.
  courses.beginner.lessons[4].id = "beginner-extra-1";
  assert.throws(
    () =>
      createCatalog([
        { file: "beginner.json", text: JSON.stringify(courses.beginner) },
        { file: "beginner-extra.json", text: JSON.stringify(extra) },
      ]),
    (err: unknown) => {
      assert.ok(err instanceof CourseFileError);
      assert.equal(
        err.message,
        "Invalid course file beginner-extra.json: lessons[0].id: duplicates an id in beginner.json",
      );
      return true;
    },
  );
});

Deno.test("course schema: an unknown topic names the value and the known list", async () => {
  const err = await loadBroken((c) => {
    (c.beginner.lessons[0].topics as string[]).push("moon");
  });
  assert.match(
    err.message,
    /^Invalid course file beginner\.json: lessons\[0\]\.topics\[1\]: unknown value "moon"; expected one of: general, wallet, .*dao$/,
  );
});

Deno.test("course schema: invalid JSON names the file", async () => {
  const err = await loadBroken(() => {}, { advanced: '{ "id": "advanced", ' });
  assert.equal(err.file, "advanced.json");
  assert.match(err.message, /^Invalid course file advanced\.json: not valid JSON: /);
});

Deno.test("course schema: quiz and option counts are bounded", async () => {
  const err = await loadBroken((c) => {
    c.beginner.lessons[0].quiz = c.beginner.lessons[0].quiz.slice(0, 2);
    c.beginner.lessons[1].quiz[0].options = c.beginner.lessons[1].quiz[0].options.slice(0, 2);
    c.beginner.lessons[4].quiz.push(c.beginner.lessons[4].quiz[0]);
  });
  assert.deepEqual(err.issues, [
    { path: "lessons[0].quiz", message: "must have at least 3 items" },
    { path: "lessons[1].quiz[0].options", message: "must have at least 3 items" },
    { path: "lessons[4].quiz", message: "must have at most 5 items" },
  ]);
});

Deno.test("course schema: a typo'd field, a multi-line title and a bad file name are named", async () => {
  const typo = await loadBroken((c) => {
    const q = c.beginner.lessons[0].quiz[0] as Record<string, unknown>;
    q.answr = q.answer;
  });
  assert.match(typo.message, /lessons\[0\]\.quiz\[0\]\.answr: unknown field/);
  const multiline = await loadBroken((c) => {
    c.advanced.lessons[1].title.en = "DAOs\nand governance";
  });
  assert.match(multiline.message, /lessons\[1\]\.title\.en: must be one line/);
  const renamed = await loadBroken((c) => {
    c.intermediate.id = "middle";
    for (const [i, lesson] of c.intermediate.lessons.entries()) lesson.id = `middle-${i + 1}`;
  });
  assert.equal(renamed.file, "intermediate.json");
  assert.match(renamed.message, /id: must match the file name \("middle\.json"\)/);
});

Deno.test("course schema: two courses with the same order are refused", async () => {
  const err = await loadBroken((c) => {
    c.intermediate.order = 1;
  });
  assert.equal(err.file, "intermediate.json");
  assert.match(err.message, /order: duplicates the order of beginner\.json/);
});

Deno.test("course schema: words are tokens with a letter or digit, in either script", () => {
  assert.equal(countWords("Bitcoin — the first cryptocurrency (2009)"), 5);
  assert.equal(countWords("Биткоин — первая криптовалюта, 21 млн."), 5);
  assert.equal(countWords("  \n "), 0);
});

Deno.test("course schema: field paths read like the JSON", () => {
  assert.equal(formatPath(["lessons", 2, "quiz", 1, "answer"]), "lessons[2].quiz[1].answer");
  assert.equal(formatPath([]), "");
});
