/**
 * The analysis card as Telegram HTML. Every string from the user or a model is escaped here.
 *
 * @module
 */
import { type Analysis } from "../analysis/schema.ts";
import { type Lang, t } from "../i18n/mod.ts";
import { escapeHtml } from "./html.ts";

/** Telegram's message length limit. */
export const MESSAGE_LIMIT = 4096;

/** Options of {@linkcode renderAnalysis}. */
export interface RenderOptions {
  /** A line above the card (e.g. the re-explanation style), already HTML. */
  header?: string;
  /** Says the built-in analyzer answered. */
  offlineNote?: boolean;
}

/**
 * Renders an analysis (news card or answer) as HTML within Telegram's limit.
 *
 * @example
 * ```ts
 * await ctx.reply(renderAnalysis(analysis, "en"), { parse_mode: "HTML" });
 * ```
 */
export function renderAnalysis(
  analysis: Analysis,
  lang: Lang,
  options: RenderOptions = {},
): string {
  const lines: string[] = [];
  if (options.header) lines.push(options.header, "");
  const question = analysis.kind === "question";
  lines.push(t(lang, question ? "card_answer" : "card_summary"), escapeHtml(analysis.summary), "");
  lines.push(t(lang, question ? "card_key_points" : "card_impact"));
  for (const point of analysis.impact_points) lines.push(`• ${escapeHtml(point)}`);
  lines.push("");
  if (!question) {
    const confidence = Math.round(analysis.sentiment.confidence * 100);
    lines.push(
      `${t(lang, "card_sentiment")}: ${
        t(lang, `sentiment_${analysis.sentiment.label}` as const)
      } (${confidence}%)`,
      `${t(lang, "card_risk")}: ${t(lang, `risk_${analysis.risk}` as const)} · ${
        t(lang, "card_horizon")
      }: ${t(lang, `horizon_${analysis.horizon}` as const)}`,
    );
    if (analysis.assets.length > 0) {
      lines.push(`${t(lang, "card_assets")}: ${analysis.assets.map(escapeHtml).join(", ")}`);
    }
    lines.push("");
  }
  lines.push(t(lang, "card_question"), `<i>${escapeHtml(analysis.learning_question)}</i>`);
  if (options.offlineNote) lines.push("", t(lang, "analysis_offline_note"));
  const html = lines.join("\n");
  // Schema limits keep a card far below the limit; this guards future fields.
  return html.length <= MESSAGE_LIMIT ? html : `${html.slice(0, MESSAGE_LIMIT - 1)}…`;
}
