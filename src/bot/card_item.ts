/**
 * The history item a card's button refers to: one of the presser's own analyses, or null for a
 * stale, foreign or forged button.
 *
 * @module
 */
import * as history from "../store/history.ts";
import { type HistoryItem } from "../store/history.ts";
import { type CallbackKind, text } from "./callback_kind.ts";
import { type BotContext } from "./context.ts";
import { type BotServices } from "./services.ts";

/** An analysis id in a card button (`history.append`'s ids). */
export const ANALYSIS_ID = text("[0-9a-z]{20}");

/** A card button's value with the item it refers to. */
export type CardPress<V extends { analysisId: string }> = { action: V; item: HistoryItem };

/**
 * Parses a card button of `kind` and loads its item from the presser's history.
 *
 * @example
 * ```ts
 * const press = await cardPress(ctx, services, voteButton);
 * if (!press) return await answerStale(ctx);
 * ```
 */
export async function cardPress<V extends { analysisId: string }>(
  ctx: BotContext,
  services: Pick<BotServices, "store">,
  kind: CallbackKind<V>,
): Promise<CardPress<V> | null> {
  const action = kind.parse(ctx.callbackQuery?.data);
  const userId = ctx.turn.userId;
  if (!action || userId === null) return null;
  const item = await history.get(services.store, userId, action.analysisId);
  return item ? { action, item } : null;
}
