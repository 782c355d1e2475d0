/**
 * `/start`, `/help`, `/menu` and `/language`. The main menu's items come from the features that
 * declare them (the registry dispatches their buttons); this feature owns only "help".
 *
 * @module
 */
import { Composer } from "grammy";
import { type InlineKeyboardMarkup } from "grammy/types";
import { LANGUAGE_NAMES, LANGUAGES, t } from "../../i18n/mod.ts";
import * as profiles from "../../store/profiles.ts";
import { peek } from "../../store/quotas.ts";
import { analysisQuota } from "../analyze.ts";
import { callbackKind, oneOf } from "../callback_kind.ts";
import { type BotContext } from "../context.ts";
import { commandNames, defineFeature, type FeatureCommand } from "../feature.ts";
import { escapeHtml } from "../html.ts";
import { type BotServices } from "../services.ts";

const START: FeatureCommand = { name: "start", description: "command_start", notInHelp: true };
const HELP: FeatureCommand = { name: "help", description: "command_help", notInHelp: true };
const MENU: FeatureCommand = { name: "menu", description: "command_menu" };
const LANGUAGE: FeatureCommand = {
  name: "language",
  aliases: ["lang"],
  description: "command_language",
};

/** The language buttons: `l:ru`, `l:en`. */
const languageButton = callbackKind("l", { lang: oneOf(LANGUAGES) });

function languageKeyboard(): InlineKeyboardMarkup {
  return {
    inline_keyboard: [LANGUAGES.map((lang) => ({
      text: LANGUAGE_NAMES[lang],
      callback_data: languageButton.pack({ lang }),
    }))],
  };
}

async function replyHelp(ctx: BotContext, services: BotServices): Promise<void> {
  await ctx.reply(
    t(ctx.turn.lang, "help_text", { commands: services.hub.helpCommands() }),
    { parse_mode: "HTML" },
  );
}

function startComposer(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command(START.name, async (ctx) => {
    const { turn, user } = ctx;
    const [quota, { level, xp }] = await Promise.all([
      peek(services.store, analysisQuota(ctx, services), turn.clock.now()),
      ctx.progress(),
    ]);
    await ctx.reply(
      t(turn.lang, "start_welcome", {
        name: escapeHtml(user?.first_name ?? ""),
        level,
        xp,
        left: Number.isFinite(quota.remaining) ? quota.remaining : t(turn.lang, "limits_unlimited"),
      }),
      { parse_mode: "HTML", reply_markup: services.hub.menuKeyboard(turn.lang) },
    );
  });

  feature.command(HELP.name, (ctx) => replyHelp(ctx, services));

  feature.command(
    MENU.name,
    (ctx) =>
      ctx.reply(t(ctx.turn.lang, "menu_title"), {
        reply_markup: services.hub.menuKeyboard(ctx.turn.lang),
      }),
  );

  feature.command(
    commandNames(LANGUAGE),
    (ctx) => ctx.reply(t(ctx.turn.lang, "language_choose"), { reply_markup: languageKeyboard() }),
  );

  feature.callbackQuery(languageButton.pattern, async (ctx) => {
    const action = languageButton.parse(ctx.callbackQuery.data);
    if (!action || !ctx.user) return await ctx.answerCallbackQuery();
    ctx.turn.lang = action.lang;
    profiles.save(ctx.turn.tx, { ...profiles.ownFields(ctx.user), language: action.lang });
    await ctx.answerCallbackQuery({ text: t(action.lang, "language_set") });
    await ctx.reply(t(action.lang, "language_set"), {
      reply_markup: services.hub.menuKeyboard(action.lang),
    });
  });

  return feature;
}

/** `/start`, `/help`, `/menu`, `/language`. */
export const startFeature = defineFeature({
  name: "start",
  commands: [START, HELP, MENU, LANGUAGE],
  callbacks: [languageButton],
  menu: [{ item: "help", label: "menu_help", order: 60, open: replyHelp }],
  composer: startComposer,
});
