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

/** Every key with a string; ru.ts must provide all of en.ts's keys. */
export type Messages = { readonly [K in MessageKey]: string };

type ParamNames<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? P | ParamNames<Rest>
  : never;

/** Keys of messages that take no parameters (what an error can carry for its user). */
export type PlainMessageKey = {
  [K in MessageKey]: ParamNames<typeof en[K]> extends never ? K : never;
}[MessageKey];

/** The parameters a message takes, derived from its English text. */
export type MessageParams<K extends MessageKey> = ParamNames<typeof en[K]> extends never
  ? Record<string, never>
  : { [P in ParamNames<typeof en[K]>]: string | number };

const CATALOGS: Record<Lang, Messages> = { ru, en };

/**
 * Looks up a message and fills in its `{parameters}`.
 *
 * @example
 * ```ts
 * t("ru", "error_rate_limited", { seconds: 30 });
 * ```
 */
export function t<K extends MessageKey>(
  lang: Lang,
  key: K,
  ...params: ParamNames<typeof en[K]> extends never ? [] : [MessageParams<K>]
): string {
  const text = CATALOGS[lang][key];
  const values = params[0] as Record<string, string | number> | undefined;
  if (!values) return text;
  return text.replace(
    /\{(\w+)\}/g,
    (whole, name: string) => name in values ? String(values[name]) : whole,
  );
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
