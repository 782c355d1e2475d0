/**
 * The history item a card's button refers to: one of the presser's own analyses, or null for a
 * stale, foreign or forged button.
 *
 * @module
 */
import * as history from "../store/history.ts";
import { type HistoryItem } from "../store/history.ts";
import { type CallbackAction, parseCallback } from "./callback_data.ts";
import { type BotContext } from "./context.ts";
import { type BotServices } from "./services.ts";

/** A card button's action with the item it refers to. */
export type CardPress<K extends "vote" | "bookmark"> = {
  action: Extract<CallbackAction, { kind: K }>;
  item: HistoryItem;
};

/**
 * Parses a card button and loads its item from the presser's history.
 *
 * @example
 * ```ts
 * const press = await cardPress(ctx, services, "vote");
 * if (!press) return ctx.answerCallbackQuery({ text: t(lang, "stale_button") });
 * ```
 */
export async function cardPress<K extends "vote" | "bookmark">(
  ctx: BotContext,
  services: Pick<BotServices, "store">,
  kind: K,
): Promise<CardPress<K> | null> {
  const action = parseCallback(ctx.callbackQuery?.data);
  const userId = ctx.turn.userId;
  if (action?.kind !== kind || userId === null) return null;
  const { analysisId } = action as Extract<CallbackAction, { kind: "vote" | "bookmark" }>;
  const item = await history.get(services.store, userId, analysisId);
  return item ? { action: action as Extract<CallbackAction, { kind: K }>, item } : null;
}
