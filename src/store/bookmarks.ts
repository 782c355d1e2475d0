/**
 * Bookmarks: analyses a user pinned with 📌, one per analysis.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { listValues, type Store } from "./kv.ts";
import { capText } from "./text.ts";

/** One pinned analysis. */
export interface Bookmark {
  user_id: number;
  analysis_id: string;
  /** A short title to list it by. */
  title: string;
  /** ISO 8601 UTC. */
  at: string;
}

/** Bookmarks one user can keep; at the bound a new one is refused politely (docs/SECURITY.md). */
export const MAX_BOOKMARKS_PER_USER = 100;

/**
 * Whether a user holds {@linkcode MAX_BOOKMARKS_PER_USER} bookmarks already.
 *
 * @example
 * ```ts
 * if (await isFull(store, 42)) await ctx.answerCallbackQuery({ text: t(lang, "bookmarks_full", { max: MAX_BOOKMARKS_PER_USER }) });
 * ```
 */
export async function isFull(store: Store, userId: number): Promise<boolean> {
  const prefix = dataPrefix(store.generation, "bookmark", userId);
  let held = 0;
  for await (const _ of store.kv.list({ prefix }, { limit: MAX_BOOKMARKS_PER_USER })) held++;
  return held >= MAX_BOOKMARKS_PER_USER;
}

/**
 * Stages a bookmark (pinning the same analysis twice keeps one).
 *
 * @example
 * ```ts
 * add(tx, { user_id: 42, analysis_id: id, title: "SEC approves ETF" }, Date.now());
 * ```
 */
export function add(tx: Tx, fields: Omit<Bookmark, "at">, now: number): Bookmark {
  const bookmark = {
    ...fields,
    title: capText(fields.title, 200),
    at: new Date(now).toISOString(),
  };
  tx.set(dataKey(tx.generation, "bookmark", fields.user_id, fields.analysis_id), bookmark);
  return bookmark;
}

/**
 * Stages the removal of a bookmark.
 *
 * @example
 * ```ts
 * remove(tx, 42, id);
 * ```
 */
export function remove(tx: Tx, userId: number, analysisId: string): void {
  tx.delete(dataKey(tx.generation, "bookmark", userId, analysisId));
}

/**
 * Whether an analysis is bookmarked.
 *
 * @example
 * ```ts
 * if (await has(store, 42, id)) remove(tx, 42, id);
 * ```
 */
export async function has(store: Store, userId: number, analysisId: string): Promise<boolean> {
  const entry = await store.kv.get(dataKey(store.generation, "bookmark", userId, analysisId));
  return entry.value !== null;
}

/**
 * A user's bookmarks, newest analysis first.
 *
 * @example
 * ```ts
 * const pinned = await list(store, 42);
 * ```
 */
export async function list(store: Store, userId: number, limit = 50): Promise<Bookmark[]> {
  return await listValues<Bookmark>(store, dataPrefix(store.generation, "bookmark", userId), {
    reverse: true,
    limit,
  });
}
