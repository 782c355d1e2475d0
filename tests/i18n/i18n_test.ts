import assert from "node:assert/strict";
import { OFFLINE_TEXTS } from "../../src/i18n/analysis/mod.ts";
import {
  catalog,
  fill,
  LANGUAGES,
  PLURAL_FORMS,
  pluralForm,
  resolveLanguage,
  t,
} from "../../src/i18n/mod.ts";

const PLACEHOLDER = /\{(\w+)(?:\|([^{}]*))?\}/g;

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();
}

/** Names written with plural forms, and those forms. */
function counts(text: string): { name: string; forms: string[] }[] {
  return [...text.matchAll(PLACEHOLDER)]
    .filter((m) => m[2] !== undefined)
    .map((m) => ({ name: m[1], forms: m[2].split("|") }));
}

Deno.test("i18n: every key exists in both languages with the same parameters", () => {
  const en = catalog("en");
  const ru = catalog("ru");
  assert.deepEqual(Object.keys(ru).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en) as (keyof typeof en)[]) {
    for (const lang of LANGUAGES) {
      assert.ok(catalog(lang)[key].trim().length > 0, `${lang}.${key} is empty`);
    }
    assert.deepEqual(placeholders(ru[key]), placeholders(en[key]), `parameters of ${key}`);
  }
});

Deno.test("i18n: every count has one form per plural category of its language", () => {
  const en = catalog("en");
  for (const lang of LANGUAGES) {
    for (const [key, text] of Object.entries(catalog(lang)) as [keyof typeof en, string][]) {
      // Braces are only placeholders: a stray one would be shown to users as is.
      assert.equal(text.replace(PLACEHOLDER, "").search(/[{}]/), -1, `${lang}.${key} braces`);
      for (const { name, forms } of counts(text)) {
        assert.equal(forms.length, PLURAL_FORMS[lang].length, `${lang}.${key} {${name}|…}`);
        assert.ok(forms.every((form) => form.trim() !== ""), `${lang}.${key} empty form`);
        // A count in Russian must be typed as one: the parameter types come from en.ts.
        const inEnglish = counts(en[key]).map((c) => c.name);
        assert.ok(inEnglish.includes(name), `${key}: {${name}} is a count in ${lang}, not in en`);
      }
    }
  }
});

const COUNTS = [0, 1, 2, 5, 11, 21, 22, 25, 101, 111];

Deno.test("i18n: counts take the plural form of their language (0…111)", () => {
  const forms = (lang: "en" | "ru", key: "export_caption" | "profile_course_line") =>
    COUNTS.map((n) =>
      key === "export_caption"
        ? t(lang, key, { count: n }).replace(/^.*\((.*)\)\.$/, "$1")
        : t(lang, key, { title: "T", passed: 0, total: n }).replace("T: 0 ", "")
    );
  assert.deepEqual(forms("en", "export_caption"), [
    "0 analyses",
    "1 analysis",
    "2 analyses",
    "5 analyses",
    "11 analyses",
    "21 analyses",
    "22 analyses",
    "25 analyses",
    "101 analyses",
    "111 analyses",
  ]);
  assert.deepEqual(forms("ru", "export_caption"), [
    "0 разборов",
    "1 разбор",
    "2 разбора",
    "5 разборов",
    "11 разборов",
    "21 разбор",
    "22 разбора",
    "25 разборов",
    "101 разбор",
    "111 разборов",
  ]);
  // After "из" Russian takes the genitive: singular for 1, 21, 101; plural otherwise.
  assert.deepEqual(forms("ru", "profile_course_line"), [
    "из 0 уроков",
    "из 1 урока",
    "из 2 уроков",
    "из 5 уроков",
    "из 11 уроков",
    "из 21 урока",
    "из 22 уроков",
    "из 25 уроков",
    "из 101 урока",
    "из 111 уроков",
  ]);
  assert.deepEqual(forms("en", "profile_course_line"), [
    "of 0 lessons",
    "of 1 lesson",
    "of 2 lessons",
    "of 5 lessons",
    "of 11 lessons",
    "of 21 lessons",
    "of 22 lessons",
    "of 25 lessons",
    "of 101 lessons",
    "of 111 lessons",
  ]);
});

Deno.test("i18n: the learning streak says 1 day, 2 days; 1 день, 2 дня, 5 дней, 21 день", () => {
  const streak = (lang: "en" | "ru", n: number) =>
    t(lang, "profile_text", {
      name: "A",
      level: 1,
      xp: 0,
      next: 2,
      progress: 0,
      needed: 100,
      bar: "",
      streak: n,
      best: n,
      badges: "",
      courses: "",
    }).match(/(?:streak|занятий): ([^(]*) \(/)?.[1];
  assert.deepEqual(COUNTS.map((n) => streak("en", n)), [
    "0 days",
    "1 day",
    "2 days",
    "5 days",
    "11 days",
    "21 days",
    "22 days",
    "25 days",
    "101 days",
    "111 days",
  ]);
  assert.deepEqual(COUNTS.map((n) => streak("ru", n)), [
    "0 дней",
    "1 день",
    "2 дня",
    "5 дней",
    "11 дней",
    "21 день",
    "22 дня",
    "25 дней",
    "101 день",
    "111 дней",
  ]);
});

Deno.test("i18n: a Russian fraction takes the few form; forms may omit the number", () => {
  assert.equal(pluralForm("ru", 1.5, ["# день", "# дня", "# дней"]), "1.5 дня");
  assert.equal(pluralForm("en", 1, ["day", "days"]), "day");
  assert.equal(pluralForm("en", 3, ["day", "days"]), "days");
});

Deno.test("i18n: the type of t demands a number for a count", () => {
  // @ts-expect-error a count must be given
  t("en", "export_caption", {});
  // @ts-expect-error a count is a number, not a string
  t("en", "export_caption", { count: "3" });
  // Other parameters may be strings.
  assert.equal(
    t("en", "error_payload_too_large", { limit: 1 }),
    "The request is too large (limit 1 byte).",
  );
});

Deno.test("i18n: Russian texts with words are written in Cyrillic", () => {
  for (const [key, text] of Object.entries(catalog("ru"))) {
    // Emoji-only buttons read the same in both languages.
    if (/\p{L}/u.test(text)) assert.match(text, /[а-яё]/i, `ru.${key} has no Russian text`);
  }
});

Deno.test("i18n: t fills parameters", () => {
  assert.equal(
    t("en", "analysis_flood", { seconds: 30 }),
    "⏳ One moment: you can send the next request in 30 s.",
  );
  assert.match(t("ru", "analysis_flood", { seconds: 5 }), /через 5 с/);
  assert.equal(t("en", "error_not_found"), "Not found.");
});

Deno.test("i18n: the language rule picks ru for ru/uk/be/kk, en otherwise, default when absent", () => {
  for (const code of ["ru", "uk", "be", "kk", "ru-RU", "UK"]) {
    assert.equal(resolveLanguage(code, "en"), "ru");
  }
  for (const code of ["en", "de", "pt-br", "zh-hans"]) {
    assert.equal(resolveLanguage(code, "ru"), "en");
  }
  assert.equal(resolveLanguage(undefined, "ru"), "ru");
  assert.equal(resolveLanguage("", "en"), "en");
});

Deno.test("i18n: one filler for t() and the analyzer's frames; unknown names stay, counts need a language", () => {
  assert.equal(fill("{asset} rose {percent}", { asset: "BTC", percent: "5%" }), "BTC rose 5%");
  assert.equal(fill("{asset} and {other}", { asset: "BTC" }), "BTC and {other}");
  assert.equal(fill("{n|# день|# дня|# дней}", { n: 22 }, "ru"), "22 дня");
  assert.throws(() => fill("{n|# day|# days}", { n: 2 }), RangeError);
});

Deno.test("i18n: the analyzer's prose has every field in both languages", () => {
  const shape = (value: unknown): unknown =>
    Array.isArray(value)
      ? "list"
      : typeof value === "object" && value !== null
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape((value as never)[k])]))
      : typeof value;
  assert.deepEqual(shape(OFFLINE_TEXTS.ru), shape(OFFLINE_TEXTS.en));
});
