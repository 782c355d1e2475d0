/**
 * Feedback on analyses: each 👍 or 👎 a user gave, with the style it asked for.
 *
 * @module
 */
import { timeOrderedId } from "../core/ids.ts";
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { listValues, type Store } from "./kv.ts";

/** One vote. */
export interface FeedbackRow {
  id: string;
  user_id: number;
  analysis_id: string;
  vote: "up" | "down";
  /** For 👎: the 1-based attempt on that analysis. */
  attempt: number | null;
  /** ISO 8601 UTC. */
  at: string;
}

/**
 * Stages a vote.
 *
 * @example
 * ```ts
 * record(tx, { user_id: 42, analysis_id: id, vote: "down", attempt: 1 }, Date.now());
 * ```
 */
export function record(
  tx: Tx,
  fields: Omit<FeedbackRow, "id" | "at">,
  now: number,
): FeedbackRow {
  const row: FeedbackRow = { id: timeOrderedId(now), at: new Date(now).toISOString(), ...fields };
  tx.set(dataKey(tx.generation, "feedback", row.user_id, row.id), row);
  return row;
}

/**
 * A user's votes, newest first.
 *
 * @example
 * ```ts
 * const votes = await list(store, 42);
 * ```
 */
export async function list(store: Store, userId: number, limit = 100): Promise<FeedbackRow[]> {
  return await listValues<FeedbackRow>(store, dataPrefix(store.generation, "feedback", userId), {
    reverse: true,
    limit,
  });
}
