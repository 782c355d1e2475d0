/**
 * `/history` (the last 10 analyses with previews) and `/export` (one text file with a section
 * from every per-user record family a feature declares: the history first).
 *
 * @module
 */
import { Composer, InputFile } from "grammy";
import { type Lang, t } from "../../i18n/mod.ts";
import * as history from "../../store/history.ts";
import { type Store } from "../../store/kv.ts";
import { type BotContext } from "../context.ts";
import { defineFeature, type FeatureCommand } from "../feature.ts";
import { escapeHtml, preview } from "../html.ts";
import { type BotServices } from "../services.ts";

/** Most analyses an export holds. */
const EXPORT_LIMIT = 1000;

const HISTORY: FeatureCommand = { name: "history", description: "command_history" };
const EXPORT: FeatureCommand = { name: "export", description: "command_export" };

/** Replies with the last 10 analyses. */
async function replyHistory(ctx: BotContext, services: BotServices): Promise<void> {
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

/** The history section of `/export`: every analysis, oldest first, with the user's votes. */
async function exportHistory(store: Store, userId: number, _lang: Lang): Promise<string | null> {
  const items = await history.list(store, userId, EXPORT_LIMIT);
  if (items.length === 0) return null;
  return items.reverse().map((item) => {
    const analysis = item.analysis as { summary?: string; impact_points?: string[] };
    const votes = [
      item.helpful ? "👍" : "",
      item.feedback_attempts > 0 ? `👎×${item.feedback_attempts}` : "",
    ].filter(Boolean).join(" ");
    return [
      `[${item.at.slice(0, 16).replace("T", " ")}] ${item.kind}${votes ? ` ${votes}` : ""}`,
      item.text,
      "",
      `> ${analysis.summary ?? ""}`,
      ...(analysis.impact_points ?? []).map((p) => `  - ${p}`),
    ].join("\n");
  }).join("\n\n");
}

function historyComposer(services: BotServices): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command(HISTORY.name, (ctx) => replyHistory(ctx, services));

  feature.command(EXPORT.name, async (ctx) => {
    const { lang, userId, clock } = ctx.turn;
    if (userId === null) return;
    const sections = await services.hub.exportSections(services.store, userId, lang);
    if (sections.length === 0) return void await ctx.reply(t(lang, "export_empty"));
    const count = (await history.list(services.store, userId, EXPORT_LIMIT)).length;
    const date = new Date(clock.now()).toISOString().slice(0, 16).replace("T", " ");
    const text = [t(lang, "export_header", { date }), "", ...sections].join("\n\n");
    await ctx.replyWithDocument(
      new InputFile(new TextEncoder().encode(text), "rvx-history.txt"),
      { caption: t(lang, "export_caption", { count }) },
    );
  });

  return feature;
}

/** `/history`, `/export` and the history menu item. */
export const historyFeature = defineFeature({
  name: "history",
  commands: [HISTORY, EXPORT],
  menu: [{ item: "history", label: "menu_history", order: 40, open: replyHistory }],
  records: [{ family: "history", export: exportHistory }],
  composer: historyComposer,
});
