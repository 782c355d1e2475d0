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
import { type MessageKey, t } from "../../i18n/mod.ts";
import * as counters from "../../store/counters.ts";
import * as feedback from "../../store/feedback.ts";
import * as history from "../../store/history.ts";
import * as profiles from "../../store/profiles.ts";
import { analyzeForUser } from "../analyze.ts";
import { callbackKind, oneOf } from "../callback_kind.ts";
import { ANALYSIS_ID, cardPress } from "../card_item.ts";
import { type BotContext } from "../context.ts";
import { defineFeature } from "../feature.ts";
import { renderAnalysis } from "../render.ts";
import { type BotServices } from "../services.ts";
import { answerStale } from "../show.ts";
import { sessionSlice, type SliceTurn } from "../session_slice.ts";
import { type UserRecordFamily } from "../hub.ts";

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

/** 👍 and 👎 under a card: `v:up:<analysis id>`, `v:down:<analysis id>`. */
const voteButton = callbackKind("v", { vote: oneOf(["up", "down"]), analysisId: ANALYSIS_ID });

/** 👎 attempts per analysis still being re-explained (the "pending feedback" gauge). */
const feedbackAttempts = sessionSlice<Record<string, number>>({
  key: "feedbackAttempts",
  initial: () => ({}),
  valid: (v): v is Record<string, number> => typeof v === "object" && v !== null,
  gauge: {
    name: "sessions_pending_feedback",
    stat: "pending_feedback",
    active: (v) => Object.keys(v).length > 0,
  },
});

function recordFeedbackAttempt(turn: SliceTurn, analysisId: string): void {
  const attempts = feedbackAttempts.get(turn);
  feedbackAttempts.set(turn, { ...attempts, [analysisId]: (attempts[analysisId] ?? 0) + 1 });
}

function clearFeedbackAttempts(turn: SliceTurn, analysisId: string): void {
  const { [analysisId]: _, ...rest } = feedbackAttempts.get(turn);
  feedbackAttempts.set(turn, rest);
}

/** Votes are kept per user; the export lists them by analysis. */
const FEEDBACK_RECORDS: UserRecordFamily = {
  family: "feedback",
  export: { omitted: "a vote is shown on its analysis in the history section (👍/👎 count)" },
};

function feedbackComposer(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.callbackQuery(voteButton.pattern, async (ctx) => {
    const { turn } = ctx;
    const press = await cardPress(ctx, services, voteButton);
    if (!press) return void await answerStale(ctx);
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
      clearFeedbackAttempts(turn, item.id);
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
      clearFeedbackAttempts(turn, item.id);
      return void await ctx.reply(t(turn.lang, "feedback_exhausted"));
    }
    recordFeedbackAttempt(turn, item.id);
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
        reply_markup: services.hub.cardKeyboard({
          analysisId: item.id,
          analysis: { ...analysis, kind: item.kind },
          lang: turn.lang,
        }),
        reply_parameters: ctx.callbackQuery.message
          ? { message_id: ctx.callbackQuery.message.message_id, allow_sending_without_reply: true }
          : undefined,
      },
    );
  });

  return feature;
}

/** 👍 and 👎 on analysis cards, and re-explanations. */
export const feedbackFeature = defineFeature({
  name: "feedback",
  callbacks: [voteButton],
  card: {
    row: 0,
    order: 0,
    buttons: ({ analysisId, lang }) => [
      {
        text: t(lang, "button_helpful"),
        callback_data: voteButton.pack({ vote: "up", analysisId }),
      },
      {
        text: t(lang, "button_not_helpful"),
        callback_data: voteButton.pack({ vote: "down", analysisId }),
      },
    ],
  },
  session: [feedbackAttempts],
  records: [FEEDBACK_RECORDS],
  composer: feedbackComposer,
});
