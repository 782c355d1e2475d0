import assert from "node:assert/strict";
import { catalog, LANGUAGES, resolveLanguage, t } from "../../src/i18n/mod.ts";

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
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
