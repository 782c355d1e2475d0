/**
 * Typed message lookup in Russian and English, and the rule that picks a user's language.
 *
 * @module
 */
import { en, type MessageKey } from "./en.ts";
import { ru } from "./ru.ts";

export { type MessageKey };

/** The languages the bot speaks. */
export const LANGUAGES = ["ru", "en"] as const;
export type Lang = typeof LANGUAGES[number];

/** Each language by its own name (the language buttons read the same in every language). */
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = {
  ru: "🇷🇺 Русский",
  en: "🇬🇧 English",
};

/** Every key with a string; ru.ts must provide all of en.ts's keys. */
export type Messages = { readonly [K in MessageKey]: string };

/** The inside of every `{…}` in a text. */
type Placeholders<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | Placeholders<Rest>
  : never;

/** `{count|# day|# days}` names a count; distributes over a union of placeholders. */
type CountName<P extends string> = P extends `${infer N}|${string}` ? N : never;
type PlainName<P extends string> = P extends `${string}|${string}` ? never : P;

type TextOf<K extends MessageKey> = typeof en[K];

/** Keys of messages that take no parameters (what an error can carry for its user). */
export type PlainMessageKey = {
  [K in MessageKey]: Placeholders<TextOf<K>> extends never ? K : never;
}[MessageKey];

/**
 * The parameters a message takes, derived from its English text: a count (a name with plural
 * forms anywhere in the text) must be a number, any other parameter a string or a number.
 */
export type MessageParams<K extends MessageKey> = Placeholders<TextOf<K>> extends never
  ? Record<string, never>
  :
    & { [P in PlainName<Placeholders<TextOf<K>>>]: string | number }
    & { [P in CountName<Placeholders<TextOf<K>>>]: number };

const CATALOGS: Record<Lang, Messages> = { ru, en };

/**
 * The order of plural forms written in `{count|…}`, by language, in CLDR categories: English
 * "one|other"; Russian "one|few|many" ("1 разбор|2 разбора|5 разборов"). A fraction (CLDR
 * "other" in Russian) takes the "few" form, as in "1,5 дня".
 */
export const PLURAL_FORMS: Record<Lang, readonly Intl.LDMLPluralRule[]> = {
  en: ["one", "other"],
  ru: ["one", "few", "many"],
};
const FRACTION_FORM: Partial<Record<Lang, Intl.LDMLPluralRule>> = { ru: "few" };
const PLURAL_RULES: Record<Lang, Intl.PluralRules> = {
  en: new Intl.PluralRules("en"),
  ru: new Intl.PluralRules("ru"),
};

/** `{name}` or `{name|form|form…}`; forms hold no braces and `#` stands for the number. */
const PLACEHOLDER = /\{(\w+)(?:\|([^{}]*))?\}/g;

/**
 * The form of a count in a language: `forms` in {@linkcode PLURAL_FORMS} order, `#` replaced by
 * the number.
 *
 * @example
 * ```ts
 * pluralForm("ru", 21, ["# разбор", "# разбора", "# разборов"]); // "21 разбор"
 * ```
 */
export function pluralForm(lang: Lang, count: number, forms: readonly string[]): string {
  const category = PLURAL_RULES[lang].select(count);
  const order = PLURAL_FORMS[lang];
  let index = order.indexOf(category);
  if (index < 0) index = order.indexOf(FRACTION_FORM[lang] ?? order[order.length - 1]);
  const form = forms[Math.min(index, forms.length - 1)];
  return form.replaceAll("#", String(count));
}

/**
 * Looks up a message and fills in its parameters: `{name}` with the value, `{count|…}` with the
 * plural form the count takes in that language (see {@linkcode PLURAL_FORMS}).
 *
 * @example
 * ```ts
 * t("ru", "error_rate_limited");
 * t("en", "export_caption", { count: 1 }); // "Your RVX history (1 analysis)."
 * ```
 */
export function t<K extends MessageKey>(
  lang: Lang,
  key: K,
  ...params: Placeholders<TextOf<K>> extends never ? [] : [MessageParams<K>]
): string {
  const text = CATALOGS[lang][key];
  const values = params[0] as Record<string, string | number> | undefined;
  return values ? fill(text, values, lang) : text;
}

/**
 * The one template filler, for `t()` and every other text (the offline analyzer's frames):
 * `{name}` takes its value, `{count|…}` the plural form the count takes in `lang` (see
 * {@linkcode PLURAL_FORMS}). A name without a value is left as written, so a missing value shows
 * up in tests instead of as a silent blank.
 *
 * @param lang picks plural forms; a template with a count and no `lang` is a RangeError
 * @example
 * ```ts
 * fill("{asset} rose {percent}", { asset: "BTC", percent: "5%" }); // "BTC rose 5%"
 * fill("{n|# day|# days} left", { n: 2 }, "en"); // "2 days left"
 * ```
 */
export function fill(
  template: string,
  values: Readonly<Record<string, string | number>>,
  lang?: Lang,
): string {
  return template.replace(PLACEHOLDER, (whole, name: string, forms: string | undefined) => {
    if (!Object.hasOwn(values, name)) return whole;
    const value = values[name];
    if (forms === undefined) return String(value);
    if (lang === undefined) {
      throw new RangeError(`Cannot fill "{${name}|…}": plural forms need a language`);
    }
    return pluralForm(lang, Number(value), forms.split("|"));
  });
}

/** The message catalogue of one language, for tests and tools that walk every key. */
export function catalog(lang: Lang): Messages {
  return CATALOGS[lang];
}

/** Telegram language codes answered in Russian. */
const RUSSIAN_SPEAKING = new Set(["ru", "uk", "be", "kk"]);

/**
 * Picks the language for a user: ru for Russian-speaking Telegram languages, en for any other
 * known language, and the configured default when Telegram sends none.
 *
 * @example
 * ```ts
 * resolveLanguage("uk-UA", "en"); // "ru"
 * resolveLanguage("de", "ru"); // "en"
 * resolveLanguage(undefined, "ru"); // "ru"
 * ```
 */
export function resolveLanguage(telegramCode: string | undefined, fallback: Lang): Lang {
  if (!telegramCode) return fallback;
  const base = telegramCode.toLowerCase().split(/[-_]/)[0];
  return RUSSIAN_SPEAKING.has(base) ? "ru" : "en";
}

/** Narrows any string to a supported language, or undefined. */
export function asLang(value: unknown): Lang | undefined {
  return LANGUAGES.includes(value as Lang) ? value as Lang : undefined;
}
