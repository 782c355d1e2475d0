/**
 * Analysis history: every analysis a user received, newest first. The record also carries the
 * feedback attempts made on it, so 👎 on an old card still knows which style comes next.
 *
 * @module
 */
import { timeOrderedId } from "../core/ids.ts";
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { listValues, type Store } from "./kv.ts";
import { capText } from "./text.ts";

/** One analysis as kept in history. */
export interface HistoryItem {
  id: string;
  user_id: number;
  /** ISO 8601 UTC. */
  at: string;
  kind: "news" | "question";
  /** The user's text, capped. */
  text: string;
  /** The analysis as shown (any JSON object; the analysis engine owns its shape). */
  analysis: Record<string, unknown>;
  /** 👎 re-explanations asked for on this analysis (the first analysis is not an attempt). */
  feedback_attempts: number;
  /** The user's 👍 on it, once given. */
  helpful: boolean;
}

/**
 * Stages a new history item and returns it (with its id).
 *
 * @example
 * ```ts
 * const item = append(tx, 42, { kind: "news", text, analysis }, Date.now());
 * ```
 */
export function append(
  tx: Tx,
  userId: number,
  fields: Pick<HistoryItem, "kind" | "text" | "analysis">,
  now: number,
): HistoryItem {
  const item: HistoryItem = {
    id: timeOrderedId(now),
    user_id: userId,
    at: new Date(now).toISOString(),
    kind: fields.kind,
    text: capText(fields.text),
    analysis: fields.analysis,
    feedback_attempts: 0,
    helpful: false,
  };
  tx.set(dataKey(tx.generation, "history", userId, item.id), item);
  return item;
}

/**
 * Stages an updated item (e.g. with a new attempt count).
 *
 * @example
 * ```ts
 * update(tx, { ...item, feedback_attempts: item.feedback_attempts + 1 });
 * ```
 */
export function update(tx: Tx, item: HistoryItem): void {
  tx.set(dataKey(tx.generation, "history", item.user_id, item.id), item);
}

/**
 * One item, or null.
 *
 * @example
 * ```ts
 * const item = await get(store, 42, id);
 * ```
 */
export async function get(store: Store, userId: number, id: string): Promise<HistoryItem | null> {
  return (await store.kv.get<HistoryItem>(dataKey(store.generation, "history", userId, id))).value;
}

/**
 * A user's items, newest first.
 *
 * @example
 * ```ts
 * const latest = await list(store, 42, 10);
 * ```
 */
export async function list(store: Store, userId: number, limit = 20): Promise<HistoryItem[]> {
  return await listValues<HistoryItem>(store, dataPrefix(store.generation, "history", userId), {
    reverse: true,
    limit,
  });
}
