/**
 * `/stats` (personal and global, from counters) and `/limits`.
 *
 * @module
 */
import { Composer } from "grammy";
import { t } from "../../i18n/mod.ts";
import { whenText } from "../../i18n/time.ts";
import * as counters from "../../store/counters.ts";
import { peek } from "../../store/quotas.ts";
import { aiWindow, analysisQuota } from "../analyze.ts";
import { type BotContext } from "../context.ts";
import { defineFeature, type FeatureCommand } from "../feature.ts";
import { type BotServices } from "../services.ts";

/** Replies with the user's quota, AI window and cooldown. */
const STATS: FeatureCommand = { name: "stats", description: "command_stats" };
const LIMITS: FeatureCommand = { name: "limits", description: "command_limits" };

async function replyLimits(ctx: BotContext, services: BotServices): Promise<void> {
  const { lang, clock } = ctx.turn;
  const now = clock.now();
  const quota = await peek(services.store, analysisQuota(ctx, services), now);
  const ai = await peek(services.store, aiWindow(ctx, services), now);
  const unlimited = !Number.isFinite(quota.limit);
  const used = unlimited ? 0 : quota.limit - quota.remaining;
  await ctx.reply(
    t(lang, "limits_text", {
      used,
      limit: unlimited ? t(lang, "limits_unlimited") : quota.limit,
      left: unlimited ? t(lang, "limits_unlimited") : quota.remaining,
      reset: !unlimited && used > 0
        ? t(lang, "limits_reset", { when: whenText(lang, quota.resetAt, now) })
        : "",
      ai_left: ai.remaining,
      ai_limit: ai.limit,
      ai_window: services.config.aiRateLimit.windowSeconds,
      cooldown: services.config.floodCooldownSeconds,
    }),
    { parse_mode: "HTML" },
  );
}

function statsComposer(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command(STATS.name, async (ctx) => {
    const { turn } = ctx;
    const [[users, analyses], { totals, level, xp }] = await Promise.all([
      counters.getMany(services.store, ["users_total", "analyses_total"]),
      ctx.progress(),
    ]);
    await ctx.reply(
      t(turn.lang, "stats_text", {
        analyses: totals.analyses,
        questions: totals.questions,
        feedback: totals.feedback,
        level,
        xp,
        users,
        total_analyses: analyses,
      }),
      { parse_mode: "HTML" },
    );
  });

  feature.command(LIMITS.name, (ctx) => replyLimits(ctx, services));

  return feature;
}

/** `/stats`, `/limits` and the limits menu item. */
export const statsFeature = defineFeature({
  name: "stats",
  commands: [STATS, LIMITS],
  menu: [{ item: "limits", label: "menu_limits", order: 50, open: replyLimits }],
  records: [{
    family: "profile_total",
    export: { omitted: "the totals are counts of the history section's items (see /stats)" },
  }],
  composer: statsComposer,
});
