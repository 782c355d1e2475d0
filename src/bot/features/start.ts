/**
 * `/start`, `/help`, `/menu` and `/language`, and the main menu's buttons.
 *
 * @module
 */
import { Composer } from "grammy";
import { t } from "../../i18n/mod.ts";
import * as profiles from "../../store/profiles.ts";
import { peek } from "../../store/quotas.ts";
import { analysisQuota } from "../analyze.ts";
import { CALLBACK_PATTERNS, parseCallback } from "../callback_data.ts";
import { commandNames } from "../commands.ts";
import { type BotContext } from "../context.ts";
import { escapeHtml } from "../html.ts";
import { languageKeyboard, menuKeyboard } from "../keyboards.ts";
import { type BotServices } from "../services.ts";
import { replyHistory } from "./history.ts";
import { replyLimits } from "./stats.ts";

/**
 * @example
 * ```ts
 * bot.use(startFeature(services));
 * ```
 */
export function startFeature(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("start", async (ctx) => {
    const { turn, user } = ctx;
    const quota = await peek(services.store, analysisQuota(ctx, services), turn.clock.now());
    await ctx.reply(
      t(turn.lang, "start_welcome", {
        name: escapeHtml(user?.first_name ?? ""),
        level: user?.level ?? 1,
        xp: user?.xp ?? 0,
        left: Number.isFinite(quota.remaining) ? quota.remaining : t(turn.lang, "limits_unlimited"),
      }),
      { parse_mode: "HTML", reply_markup: menuKeyboard(turn.lang) },
    );
  });

  feature.command(
    "help",
    (ctx) => ctx.reply(t(ctx.turn.lang, "help_text"), { parse_mode: "HTML" }),
  );

  feature.command(
    "menu",
    (ctx) =>
      ctx.reply(t(ctx.turn.lang, "menu_title"), { reply_markup: menuKeyboard(ctx.turn.lang) }),
  );

  feature.command(
    commandNames("language"),
    (ctx) => ctx.reply(t(ctx.turn.lang, "language_choose"), { reply_markup: languageKeyboard() }),
  );

  feature.callbackQuery(CALLBACK_PATTERNS.language, async (ctx) => {
    const action = parseCallback(ctx.callbackQuery.data);
    if (action?.kind !== "language" || !ctx.user) return await ctx.answerCallbackQuery();
    ctx.turn.lang = action.lang;
    profiles.save(ctx.turn.tx, { ...profiles.ownFields(ctx.user), language: action.lang });
    await ctx.answerCallbackQuery({ text: t(action.lang, "language_set") });
    await ctx.reply(t(action.lang, "language_set"), { reply_markup: menuKeyboard(action.lang) });
  });

  feature.callbackQuery(CALLBACK_PATTERNS.menu, async (ctx, next) => {
    const action = parseCallback(ctx.callbackQuery.data);
    // The learning feature answers its own items.
    if (action?.kind === "menu" && (action.item === "learn" || action.item === "profile")) {
      return await next();
    }
    await ctx.answerCallbackQuery();
    if (action?.kind !== "menu") return;
    const { lang } = ctx.turn;
    switch (action.item) {
      case "analyze":
        return void await ctx.reply(t(lang, "menu_analyze_hint"));
      case "history":
        return await replyHistory(ctx, services);
      case "limits":
        return await replyLimits(ctx, services);
      case "help":
        return void await ctx.reply(t(lang, "help_text"), { parse_mode: "HTML" });
    }
  });

  return feature;
}
