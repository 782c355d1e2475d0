/**
 * `/history` (the last 10 analyses with previews) and `/export` (all of them as a text file).
 *
 * @module
 */
import { Composer, InputFile } from "grammy";
import { t } from "../../i18n/mod.ts";
import * as history from "../../store/history.ts";
import { type BotContext } from "../context.ts";
import { escapeHtml, preview } from "../html.ts";
import { type BotServices } from "../services.ts";

/** Most analyses an export holds. */
const EXPORT_LIMIT = 1000;

/** Replies with the last 10 analyses. */
export async function replyHistory(ctx: BotContext, services: BotServices): Promise<void> {
  const { lang, userId } = ctx.turn;
  const items = userId === null ? [] : await history.list(services.store, userId, 10);
  if (items.length === 0) return void await ctx.reply(t(lang, "history_empty"));
  const lines = items.map((item) => {
    const icon = item.kind === "question" ? "❓" : "📰";
    const summary = String((item.analysis as { summary?: unknown }).summary ?? "");
    return `${icon} <b>${item.at.slice(0, 10)}</b> ${escapeHtml(preview(item.text, 60))}\n   <i>${
      escapeHtml(preview(summary, 100))
    }</i>`;
  });
  await ctx.reply([t(lang, "history_title"), "", ...lines].join("\n"), { parse_mode: "HTML" });
}

/**
 * @example
 * ```ts
 * bot.use(historyFeature(services));
 * ```
 */
export function historyFeature(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("history", (ctx) => replyHistory(ctx, services));

  feature.command("export", async (ctx) => {
    const { lang, userId, clock } = ctx.turn;
    const items = userId === null ? [] : await history.list(services.store, userId, EXPORT_LIMIT);
    if (items.length === 0) return void await ctx.reply(t(lang, "export_empty"));
    const date = new Date(clock.now()).toISOString().slice(0, 16).replace("T", " ");
    const blocks = items.reverse().map((item) => {
      const analysis = item.analysis as { summary?: string; impact_points?: string[] };
      return [
        `[${item.at.slice(0, 16).replace("T", " ")}] ${item.kind}`,
        item.text,
        "",
        `> ${analysis.summary ?? ""}`,
        ...(analysis.impact_points ?? []).map((p) => `  - ${p}`),
      ].join("\n");
    });
    const text = [t(lang, "export_header", { date }), "", ...blocks].join("\n\n");
    await ctx.replyWithDocument(
      new InputFile(new TextEncoder().encode(text), "rvx-history.txt"),
      { caption: t(lang, "export_caption", { count: items.length }) },
    );
  });

  return feature;
}
