/**
 * Showing a screen: in place of the pressed button's message, or as a new one; and the name a
 * user is shown by in rankings.
 *
 * @module
 */
import { GrammyError } from "grammy";
import { type InlineKeyboardMarkup } from "grammy/types";
import { t } from "../i18n/mod.ts";
import { type Profile } from "../store/profiles.ts";
import { type BotContext } from "./context.ts";
import { MESSAGE_LIMIT } from "./render.ts";

function isNotModified(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 &&
    err.description.includes("message is not modified");
}

/**
 * Shows HTML with a keyboard: in place of the pressed button's message when `inPlace`, else
 * as a new message. Showing the same view again changes nothing.
 *
 * @example
 * ```ts
 * await showHtml(ctx, "<b>Top</b>", keyboard, ctx.callbackQuery !== undefined);
 * ```
 */
export async function showHtml(
  ctx: BotContext,
  html: string,
  markup: InlineKeyboardMarkup,
  inPlace: boolean,
): Promise<void> {
  const text = html.length <= MESSAGE_LIMIT ? html : `${html.slice(0, MESSAGE_LIMIT - 1)}…`;
  const options = { parse_mode: "HTML" as const, reply_markup: markup };
  if (inPlace && ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(text, options);
      return;
    } catch (err) {
      // The same view pressed twice: nothing to change.
      if (isNotModified(err)) return;
      throw err;
    }
  }
  await ctx.reply(text, options);
}

/**
 * The name shown for a user in rankings.
 *
 * @example
 * ```ts
 * displayName(user); // "Ann", "@ann" or "#42"
 * ```
 */
export function displayName(user: Pick<Profile, "id" | "username" | "first_name">): string {
  return user.first_name?.trim() || (user.username ? `@${user.username}` : `#${user.id}`);
}

/**
 * Answers a button that no longer applies (stale, forged, another attempt's).
 *
 * @example
 * ```ts
 * if (!action) return await answerStale(ctx);
 * ```
 */
export async function answerStale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: t(ctx.turn.lang, "stale_button") });
}
