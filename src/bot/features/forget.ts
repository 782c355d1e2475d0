/**
 * `/forget`: after a yes, a job erases the user's profile, history, feedback, bookmarks and
 * progress in batches, and tells the user when it is done (docs/ARCHITECTURE.md).
 *
 * @module
 */
import { Composer } from "grammy";
import { type JobHandler } from "../../actors/jobs.ts";
import { cleanupUserData } from "../../actors/session.ts";
import { t } from "../../i18n/mod.ts";
import { type EraseCursor, stageEraseBatch } from "../../store/erase.ts";
import { createJob } from "../../store/jobs.ts";
import { CALLBACK_PATTERNS, parseCallback } from "../callback_data.ts";
import { type BotContext } from "../context.ts";
import { forgetKeyboard } from "../keyboards.ts";
import { type BotServices } from "../services.ts";

/** The job kind that erases a user. */
export const FORGET_JOB = "forget";

/**
 * @example
 * ```ts
 * bot.use(forgetFeature(services));
 * ```
 */
export function forgetFeature(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("forget", async (ctx) => {
    ctx.turn.state.pending = { kind: FORGET_JOB, data: {}, at: ctx.turn.clock.now() };
    await ctx.reply(t(ctx.turn.lang, "forget_confirm"), {
      reply_markup: forgetKeyboard(ctx.turn.lang),
    });
  });

  feature.callbackQuery(CALLBACK_PATTERNS.forget, async (ctx) => {
    const action = parseCallback(ctx.callbackQuery.data);
    const { turn } = ctx;
    if (
      action?.kind !== "forget" || turn.state.pending?.kind !== FORGET_JOB || turn.userId === null
    ) {
      return void await ctx.answerCallbackQuery({ text: t(turn.lang, "stale_button") });
    }
    turn.state.pending = null;
    await ctx.answerCallbackQuery();
    if (!action.confirm) return void await ctx.editMessageText(t(turn.lang, "forget_cancelled"));
    createJob(turn.tx, {
      kind: FORGET_JOB,
      params: { userId: turn.userId },
      notify: { chatId: turn.chatId ?? turn.userId, lang: turn.lang },
    }, turn.clock.now());
    cleanupUserData(turn.state);
    await ctx.editMessageText(t(turn.lang, "forget_started"));
    services.kickJobs();
  });

  return feature;
}

/**
 * The job that erases one user, a batch at a time.
 *
 * @example
 * ```ts
 * new JobRunner({ handlers: { [FORGET_JOB]: forgetJob(services) }, ... });
 * ```
 */
export function forgetJob(services: Pick<BotServices, "store" | "clock">): JobHandler {
  return {
    async batch(job, tx) {
      const userId = Number(job.params.userId);
      const cursor = (job.cursor as EraseCursor | null) ?? { step: 0 };
      return await stageEraseBatch(services.store, tx, userId, cursor, services.clock.now());
    },
  };
}
