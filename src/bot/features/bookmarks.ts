/**
 * 📌 under a card saves it (a second press removes it); `/bookmarks` lists them.
 *
 * @module
 */
import { Composer } from "grammy";
import { t } from "../../i18n/mod.ts";
import * as bookmarks from "../../store/bookmarks.ts";
import { CALLBACK_PATTERNS } from "../callback_data.ts";
import { cardPress } from "../card_item.ts";
import { type BotContext } from "../context.ts";
import { escapeHtml, preview } from "../html.ts";
import { type BotServices } from "../services.ts";

/**
 * @example
 * ```ts
 * bot.use(bookmarksFeature(services));
 * ```
 */
export function bookmarksFeature(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.callbackQuery(CALLBACK_PATTERNS.bookmark, async (ctx) => {
    const { turn } = ctx;
    const press = await cardPress(ctx, services, "bookmark");
    if (!press) return void await ctx.answerCallbackQuery({ text: t(turn.lang, "stale_button") });
    const { item } = press;
    const saved = await bookmarks.has(services.store, item.user_id, item.id);
    if (saved) {
      bookmarks.remove(turn.tx, item.user_id, item.id);
      return void await ctx.answerCallbackQuery({ text: t(turn.lang, "bookmark_removed") });
    }
    if (await bookmarks.isFull(services.store, item.user_id)) {
      const max = bookmarks.MAX_BOOKMARKS_PER_USER;
      return void await ctx.answerCallbackQuery({ text: t(turn.lang, "bookmarks_full", { max }) });
    }
    const summary = String((item.analysis as { summary?: unknown }).summary ?? item.text);
    bookmarks.add(turn.tx, {
      user_id: item.user_id,
      analysis_id: item.id,
      title: preview(summary, 120),
    }, turn.clock.now());
    await ctx.answerCallbackQuery({ text: t(turn.lang, "bookmark_added") });
  });

  feature.command("bookmarks", async (ctx) => {
    const { lang, userId } = ctx.turn;
    const saved = userId === null ? [] : await bookmarks.list(services.store, userId, 20);
    if (saved.length === 0) return void await ctx.reply(t(lang, "bookmarks_empty"));
    const lines = saved.map((b) => `• <b>${b.at.slice(0, 10)}</b> ${escapeHtml(b.title)}`);
    await ctx.reply([t(lang, "bookmarks_title"), "", ...lines].join("\n"), { parse_mode: "HTML" });
  });

  return feature;
}
