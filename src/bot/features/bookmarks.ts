/**
 * 📌 under a card saves it (a second press removes it); `/bookmarks` lists them.
 *
 * @module
 */
import { Composer } from "grammy";
import { t } from "../../i18n/mod.ts";
import * as bookmarks from "../../store/bookmarks.ts";
import { callbackKind } from "../callback_kind.ts";
import { ANALYSIS_ID, cardPress } from "../card_item.ts";
import { type BotContext } from "../context.ts";
import { defineFeature, type FeatureCommand } from "../feature.ts";
import { escapeHtml, preview } from "../html.ts";
import { type BotServices } from "../services.ts";
import { answerStale } from "../show.ts";

/** Most bookmarks an export lists. */
const EXPORT_LIMIT = 1000;

const BOOKMARKS: FeatureCommand = { name: "bookmarks", description: "command_bookmarks" };

/** 📌 under a card: `b:<analysis id>`. */
const bookmarkButton = callbackKind("b", { analysisId: ANALYSIS_ID });

function bookmarksComposer(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.callbackQuery(bookmarkButton.pattern, async (ctx) => {
    const { turn } = ctx;
    const press = await cardPress(ctx, services, bookmarkButton);
    if (!press) return void await answerStale(ctx);
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

  feature.command(BOOKMARKS.name, async (ctx) => {
    const { lang, userId } = ctx.turn;
    const saved = userId === null ? [] : await bookmarks.list(services.store, userId, 20);
    if (saved.length === 0) return void await ctx.reply(t(lang, "bookmarks_empty"));
    const lines = saved.map((b) => `• <b>${b.at.slice(0, 10)}</b> ${escapeHtml(b.title)}`);
    await ctx.reply([t(lang, "bookmarks_title"), "", ...lines].join("\n"), { parse_mode: "HTML" });
  });

  return feature;
}

/** 📌 on analysis cards and `/bookmarks`. */
export const bookmarksFeature = defineFeature({
  name: "bookmarks",
  commands: [BOOKMARKS],
  callbacks: [bookmarkButton],
  card: {
    row: 0,
    order: 1,
    buttons: ({ analysisId, lang }) => [{
      text: t(lang, "button_bookmark"),
      callback_data: bookmarkButton.pack({ analysisId }),
    }],
  },
  records: [{
    family: "bookmark",
    export: async (store, userId, lang) => {
      const saved = await bookmarks.list(store, userId, EXPORT_LIMIT);
      if (saved.length === 0) return null;
      const lines = saved.map((b) => `[${b.at.slice(0, 16).replace("T", " ")}] ${b.title}`);
      return [t(lang, "export_bookmarks"), ...lines].join("\n");
    },
  }],
  composer: bookmarksComposer,
});
