/**
 * 👍 and 👎 on an analysis. 👎 presses 1–5 re-explain in the five styles in order, the 6th once
 * more through guiding questions on another aspect, the 7th says the variants are exhausted
 * (README "Commands"). Attempts live on the history record, so an old card still works. Presses use
 * neither the daily quota nor the flood cooldown.
 *
 * @module
 */
import { Composer } from "grammy";
import { type AnalysisMode } from "../../analysis/schema.ts";
import { clearFeedbackAttempts, recordFeedbackAttempt } from "../../actors/session.ts";
import { type MessageKey, t } from "../../i18n/mod.ts";
import * as counters from "../../store/counters.ts";
import * as feedback from "../../store/feedback.ts";
import * as history from "../../store/history.ts";
import * as profiles from "../../store/profiles.ts";
import { analyzeForUser } from "../analyze.ts";
import { CALLBACK_PATTERNS } from "../callback_data.ts";
import { cardPress } from "../card_item.ts";
import { type BotContext } from "../context.ts";
import { analysisKeyboard } from "../keyboards.ts";
import { renderAnalysis } from "../render.ts";
import { type BotServices } from "../services.ts";

type StyleHeader = Extract<MessageKey, `feedback_style_${string}`>;

/** The re-explanation of each 👎 press, in order; past the end the variants are exhausted. */
export const REEXPLAIN_STEPS: readonly {
  mode: AnalysisMode;
  header: StyleHeader;
  anotherAspect?: boolean;
}[] = [
  { mode: "simple", header: "feedback_style_simple" },
  { mode: "examples", header: "feedback_style_examples" },
  { mode: "steps", header: "feedback_style_steps" },
  { mode: "analogy", header: "feedback_style_analogy" },
  { mode: "questions", header: "feedback_style_questions" },
  { mode: "questions", header: "feedback_style_another", anotherAspect: true },
];

/**
 * @example
 * ```ts
 * bot.use(feedbackFeature(services));
 * ```
 */
export function feedbackFeature(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.callbackQuery(CALLBACK_PATTERNS.vote, async (ctx) => {
    const { turn } = ctx;
    const press = await cardPress(ctx, services, "vote");
    if (!press) return void await ctx.answerCallbackQuery({ text: t(turn.lang, "stale_button") });
    const { action, item } = press;
    const now = turn.clock.now();
    if (action.vote === "up") {
      if (item.helpful) {
        return void await ctx.answerCallbackQuery({ text: t(turn.lang, "feedback_already") });
      }
      history.update(turn.tx, { ...item, helpful: true });
      feedback.record(turn.tx, {
        user_id: item.user_id,
        analysis_id: item.id,
        vote: "up",
        attempt: null,
      }, now);
      profiles.addTotal(turn.tx, item.user_id, "feedback");
      counters.add(turn.tx, "feedback_up");
      clearFeedbackAttempts(turn.state, item.id);
      return void await ctx.answerCallbackQuery({ text: t(turn.lang, "feedback_thanks") });
    }

    const attempt = item.feedback_attempts + 1;
    // Once the variants are exhausted (and said so), more presses store nothing: a card holds at
    // most one 👍 and REEXPLAIN_STEPS.length + 1 👎 rows (docs/SECURITY.md, "Storage bounds").
    if (attempt > REEXPLAIN_STEPS.length + 1) {
      return void await ctx.answerCallbackQuery({ text: t(turn.lang, "feedback_exhausted_short") });
    }
    history.update(turn.tx, { ...item, feedback_attempts: attempt });
    feedback.record(
      turn.tx,
      { user_id: item.user_id, analysis_id: item.id, vote: "down", attempt },
      now,
    );
    profiles.addTotal(turn.tx, item.user_id, "feedback");
    counters.add(turn.tx, "feedback_down");
    await ctx.answerCallbackQuery();
    const step = REEXPLAIN_STEPS[attempt - 1];
    if (!step) {
      clearFeedbackAttempts(turn.state, item.id);
      return void await ctx.reply(t(turn.lang, "feedback_exhausted"));
    }
    recordFeedbackAttempt(turn.state, item.id);
    // "Another aspect": explain what the first answer pointed at as consequences, not the event.
    const analysed = item.analysis as { impact_points?: string[] };
    const text = step.anotherAspect && analysed.impact_points?.length
      ? `${analysed.impact_points.join(". ")}. ${item.text}`
      : item.text;
    const { analysis, offlineNote } = await analyzeForUser(ctx, services, text, step.mode);
    await ctx.reply(
      renderAnalysis({ ...analysis, kind: item.kind }, turn.lang, {
        header: t(turn.lang, step.header),
        offlineNote,
      }),
      {
        parse_mode: "HTML",
        reply_markup: analysisKeyboard(turn.lang, item.id),
        reply_parameters: ctx.callbackQuery.message
          ? { message_id: ctx.callbackQuery.message.message_id, allow_sending_without_reply: true }
          : undefined,
      },
    );
  });

  return feature;
}
