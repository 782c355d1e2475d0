/**
 * Inline keyboards, built from callback data and i18n texts.
 *
 * @module
 */
import { type InlineKeyboardButton, type InlineKeyboardMarkup } from "grammy/types";
import { type Lang, t } from "../i18n/mod.ts";
import { packCallback } from "./callback_data.ts";

function button(text: string, data: Parameters<typeof packCallback>[0]): InlineKeyboardButton {
  return { text, callback_data: packCallback(data) };
}

/**
 * The buttons under an analysis card: 👍 👎 📌 (and extra rows later features add).
 *
 * @example
 * ```ts
 * await ctx.reply(card, { reply_markup: analysisKeyboard("en", item.id) });
 * ```
 */
export function analysisKeyboard(
  lang: Lang,
  analysisId: string,
  extraRows: InlineKeyboardButton[][] = [],
): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        button(t(lang, "button_helpful"), { kind: "vote", vote: "up", analysisId }),
        button(t(lang, "button_not_helpful"), { kind: "vote", vote: "down", analysisId }),
        button(t(lang, "button_bookmark"), { kind: "bookmark", analysisId }),
      ],
      ...extraRows,
    ],
  };
}

/** The main menu. */
export function menuKeyboard(lang: Lang): InlineKeyboardMarkup {
  return {
    inline_keyboard: [
      [
        button(t(lang, "menu_analyze"), { kind: "menu", item: "analyze" }),
        button(t(lang, "menu_history"), { kind: "menu", item: "history" }),
      ],
      [
        button(t(lang, "menu_limits"), { kind: "menu", item: "limits" }),
        button(t(lang, "menu_help"), { kind: "menu", item: "help" }),
      ],
    ],
  };
}

/** Language choice. */
export function languageKeyboard(): InlineKeyboardMarkup {
  return {
    inline_keyboard: [[
      button("🇷🇺 Русский", { kind: "language", lang: "ru" }),
      button("🇬🇧 English", { kind: "language", lang: "en" }),
    ]],
  };
}

/** Yes/no for `/forget`. */
export function forgetKeyboard(lang: Lang): InlineKeyboardMarkup {
  return {
    inline_keyboard: [[
      button(t(lang, "forget_yes"), { kind: "forget", confirm: true }),
      button(t(lang, "forget_no"), { kind: "forget", confirm: false }),
    ]],
  };
}
