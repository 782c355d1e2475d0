/**
 * A moment told relative to today (UTC, the bot's clock): "at 01:30 UTC" when it is today,
 * "tomorrow at 01:30 UTC", otherwise with its date.
 *
 * @module
 */
import { type Lang, t } from "./mod.ts";

const DAY_MS = 86_400_000;

const DATE_FORMATS: Record<Lang, Intl.DateTimeFormat> = {
  en: new Intl.DateTimeFormat("en", { day: "numeric", month: "long", timeZone: "UTC" }),
  ru: new Intl.DateTimeFormat("ru", { day: "numeric", month: "long", timeZone: "UTC" }),
};

/**
 * Says when `at` is, seen from `now` (both epoch ms), in UTC.
 *
 * @example
 * ```ts
 * const now = Date.UTC(2026, 0, 5, 10);
 * whenText("en", Date.UTC(2026, 0, 5, 18, 5), now); // "at 18:05 UTC"
 * whenText("en", Date.UTC(2026, 0, 6, 1, 30), now); // "tomorrow at 01:30 UTC"
 * whenText("ru", Date.UTC(2026, 0, 9, 1, 30), now); // "9 января в 01:30 UTC"
 * ```
 */
export function whenText(lang: Lang, at: number, now: number): string {
  const time = new Date(at).toISOString().slice(11, 16);
  const days = Math.floor(at / DAY_MS) - Math.floor(now / DAY_MS);
  if (days <= 0) return t(lang, "time_today", { time });
  if (days === 1) return t(lang, "time_tomorrow", { time });
  return t(lang, "time_on_date", { date: DATE_FORMATS[lang].format(at), time });
}
