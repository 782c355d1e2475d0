/**
 * `/forget`: after a yes, a job erases the user's records in batches — every per-user family of
 * the key registry (`store/erase.ts`) — and tells the user when it is done (docs/ARCHITECTURE.md).
 *
 * @module
 */
import { Composer } from "grammy";
import { type InlineKeyboardMarkup } from "grammy/types";
import { cleanupUserData } from "../../actors/session.ts";
import { type Lang, t } from "../../i18n/mod.ts";
import { type EraseCursor, stageEraseBatch } from "../../store/erase.ts";
import { createJob } from "../../store/jobs.ts";
import { callbackKind, yesNo } from "../callback_kind.ts";
import { type BotContext } from "../context.ts";
import { defineFeature, type FeatureCommand } from "../feature.ts";
import { type BotServices } from "../services.ts";
import { answerStale } from "../show.ts";
import { sessionSlice } from "../session_slice.ts";

/** The job kind that erases a user. */
export const FORGET_JOB = "forget";

const FORGET: FeatureCommand = { name: "forget", description: "command_forget" };

/** Yes/no under the confirmation: `f:yes`, `f:no`. */
const confirmButton = callbackKind("f", { confirm: yesNo() });

/** The confirmation asked (its stored shape predates slices: `{ kind, data, at }`). */
const pendingErase = sessionSlice<
  { kind: string; data: Record<string, unknown>; at: number } | null
>({
  key: "pending",
  initial: () => null,
  valid: (v): v is { kind: string; data: Record<string, unknown>; at: number } | null =>
    v === null || (typeof v === "object" && typeof (v as { kind?: unknown }).kind === "string"),
});

function confirmKeyboard(lang: Lang): InlineKeyboardMarkup {
  return {
    inline_keyboard: [[
      { text: t(lang, "forget_yes"), callback_data: confirmButton.pack({ confirm: true }) },
      { text: t(lang, "forget_no"), callback_data: confirmButton.pack({ confirm: false }) },
    ]],
  };
}

function forgetComposer(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command(FORGET.name, async (ctx) => {
    pendingErase.set(ctx.turn, { kind: FORGET_JOB, data: {}, at: ctx.turn.clock.now() });
    await ctx.reply(t(ctx.turn.lang, "forget_confirm"), {
      reply_markup: confirmKeyboard(ctx.turn.lang),
    });
  });

  feature.callbackQuery(confirmButton.pattern, async (ctx) => {
    const action = confirmButton.parse(ctx.callbackQuery.data);
    const { turn } = ctx;
    if (!action || pendingErase.get(turn)?.kind !== FORGET_JOB || turn.userId === null) {
      return void await answerStale(ctx);
    }
    pendingErase.set(turn, null);
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

/** `/forget` and the job that erases one user, a batch at a time. */
export const forgetFeature = defineFeature({
  name: "forget",
  commands: [FORGET],
  callbacks: [confirmButton],
  session: [pendingErase],
  jobs: [{
    kind: FORGET_JOB,
    handler: (deps) => ({
      async batch(job, tx) {
        const userId = Number(job.params.userId);
        const cursor = (job.cursor as EraseCursor | null) ?? { step: 0 };
        return await stageEraseBatch(deps.store, tx, userId, cursor, deps.clock.now());
      },
    }),
    notice: (job) => job.status === "done" ? t(job.notify.lang, "forget_done") : null,
  }],
  composer: forgetComposer,
});
