/**
 * News and questions: plain text of 10+ characters and `/ask`. A "thinking…" message is edited
 * into the analysis card (a re-run of the same update edits the one already sent); the daily
 * quota and the flood cooldown are enforced with clear replies.
 *
 * @module
 */
import { Composer } from "grammy";
import { normalizeInput } from "../../analysis/hygiene.ts";
import { isQuestionText } from "../../analysis/providers/offline.ts";
import { t } from "../../i18n/mod.ts";
import { whenText } from "../../i18n/time.ts";
import * as counters from "../../store/counters.ts";
import * as history from "../../store/history.ts";
import * as profiles from "../../store/profiles.ts";
import { peek, reserveInTurn } from "../../store/quotas.ts";
import { analysisQuota, analyzeForUser } from "../analyze.ts";
import { type BotContext } from "../context.ts";
import { defineFeature, type FeatureCommand } from "../feature.ts";
import { MESSAGE_LIMIT, renderAnalysis } from "../render.ts";
import { type BotServices } from "../services.ts";
import { sessionSlice, type SliceTurn } from "../session_slice.ts";

/** Shortest text worth analysing. */
export const MIN_TEXT = 10;

const ASK: FeatureCommand = { name: "ask", description: "command_ask" };

/** The last news text analysed, for re-explanations (counted as "in news" in `/api/v1/stats`). */
export const lastNews = sessionSlice<
  { text: string; analysisId: string | null; at: number } | null
>({
  key: "lastNews",
  initial: () => null,
  valid: (v): v is { text: string; analysisId: string | null; at: number } =>
    v === null || (typeof v === "object" && typeof (v as { text?: unknown }).text === "string"),
  gauge: { name: "sessions_in_news", stat: "users_in_news", active: (v) => v !== null },
});

/** When the last accepted analysis started (epoch ms): the flood clock. */
const floodClock = sessionSlice<number | null>({
  key: "lastAnalysisAt",
  initial: () => null,
  valid: (v): v is number | null => v === null || typeof v === "number",
});

/** What {@linkcode checkFlood} decided. */
export interface FloodDecision {
  allowed: boolean;
  /** How long until the next analysis is allowed (0 when allowed). */
  retryAfterMs: number;
}

/**
 * Enforces the minimum gap between two analyses. An allowed attempt starts the clock; a refused
 * one does not reset it.
 *
 * @example
 * ```ts
 * const flood = checkFlood(ctx.turn, 3000);
 * ```
 */
export function checkFlood(turn: SliceTurn, cooldownMs: number): FloodDecision {
  const now = turn.clock.now();
  const last = floodClock.get(turn);
  if (last !== null && now - last < cooldownMs) {
    return { allowed: false, retryAfterMs: cooldownMs - (now - last) };
  }
  floodClock.set(turn, now);
  return { allowed: true, retryAfterMs: 0 };
}

function analysisComposer(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const privateChats = feature.chatType("private");

  privateChats.command(ASK.name, async (ctx) => {
    const question = ctx.match.trim();
    if (!question) return void await ctx.reply(t(ctx.turn.lang, "analysis_ask_usage"));
    await analyse(ctx, services, question, true);
  });

  privateChats.on("message:text", async (ctx, next) => {
    if (ctx.message.text.startsWith("/")) return await next();
    await analyse(ctx, services, ctx.message.text, false);
  });

  return feature;
}

/** News and questions: `/ask`, plain text, the analysis card and the "explain news" menu item. */
export const analysisFeature = defineFeature({
  name: "analysis",
  commands: [ASK],
  menu: [{
    item: "analyze",
    label: "menu_analyze",
    order: 10,
    open: async (ctx) => void await ctx.reply(t(ctx.turn.lang, "menu_analyze_hint")),
  }],
  session: [lastNews, floodClock],
  composer: analysisComposer,
});

/** A "thinking…" message already sent for this update. */
interface Placeholder {
  chatId: number;
  messageId: number;
}

const PLACEHOLDER = "analysis.placeholder";

/**
 * The "thinking…" message: the one an earlier run of this update sent, if this is a re-run (a
 * Telegram outage stopped the card's edit), so no orphaned "thinking…" is left behind; else a
 * new one. After a restart a re-run cannot know it and sends another (docs/ARCHITECTURE.md,
 * "Telegram outages").
 */
async function placeholder(ctx: BotContext, text: string): Promise<Placeholder> {
  const earlier = ctx.turn.carried.get(PLACEHOLDER) as Placeholder | undefined;
  if (earlier) return earlier;
  const sent = await ctx.reply(text);
  const ref: Placeholder = { chatId: sent.chat.id, messageId: sent.message_id };
  ctx.turn.carried.set(PLACEHOLDER, ref);
  return ref;
}

async function analyse(
  ctx: BotContext,
  services: BotServices,
  text: string,
  forceQuestion: boolean,
): Promise<void> {
  const { turn } = ctx;
  const { lang } = turn;
  const trimmed = text.trim();
  // Measured after invisible characters go: twenty zero-width spaces are not a news text.
  if (normalizeInput(trimmed).length < MIN_TEXT) {
    return void await ctx.reply(t(lang, "analysis_too_short"));
  }
  if (trimmed.length > MESSAGE_LIMIT) {
    return void await ctx.reply(
      t(lang, "analysis_too_long", { length: trimmed.length, limit: MESSAGE_LIMIT }),
    );
  }
  const now = turn.clock.now();
  const quotaSpec = analysisQuota(ctx, services);
  const quota = await peek(services.store, quotaSpec, now);
  if (!quota.allowed) {
    return void await ctx.reply(
      t(lang, "analysis_quota", { limit: quota.limit, when: whenText(lang, quota.resetAt, now) }),
    );
  }
  const flood = checkFlood(turn, services.config.floodCooldownSeconds * 1000);
  if (!flood.allowed) {
    return void await ctx.reply(
      t(lang, "analysis_flood", { seconds: Math.ceil(flood.retryAfterMs / 1000) }),
    );
  }
  await reserveInTurn(services.store, turn.tx, quotaSpec, now);
  // The same rule the offline analyzer answers by, so the wait says what is being done.
  const asked = forceQuestion || isQuestionText(trimmed);
  const thinking = await placeholder(
    ctx,
    t(lang, asked ? "analysis_thinking_question" : "analysis_thinking"),
  );
  const { analysis, offlineNote } = await analyzeForUser(
    ctx,
    services,
    trimmed,
    forceQuestion ? "answer" : "default",
  );
  const kind = forceQuestion ? "question" : analysis.kind;
  const userId = turn.userId!;
  const item = history.append(turn.tx, userId, { kind, text: trimmed, analysis }, now);
  profiles.addTotal(turn.tx, userId, kind === "question" ? "questions" : "analyses");
  counters.add(turn.tx, kind === "question" ? "questions_total" : "analyses_total");
  if (analysis.source === "offline") counters.add(turn.tx, "analyses_offline");
  lastNews.set(turn, { text: trimmed, analysisId: item.id, at: now });
  await ctx.api.editMessageText(
    thinking.chatId,
    thinking.messageId,
    renderAnalysis({ ...analysis, kind }, lang, { offlineNote }),
    {
      parse_mode: "HTML",
      reply_markup: services.hub.cardKeyboard({
        analysisId: item.id,
        analysis: { ...analysis, kind },
        lang,
      }),
    },
  );
}
