/**
 * Dead letters: updates that failed every attempt or could not be committed, kept for admins.
 *
 * @module
 */
import { type Tx } from "../core/tx.ts";
import { dataKey, dataPrefix } from "./keys.ts";
import { listValues, type Store } from "./kv.ts";
import { capText } from "./text.ts";

/** One update given up on. */
export interface DeadLetter {
  actor: string;
  source: string;
  update_id: number;
  /** The update, as JSON text (capped). */
  update: string;
  /** `TURN_FAILED` after the last attempt, `COMMIT_CONFLICT`, `TURN_TOO_LARGE`… */
  reason: string;
  error_code: string;
  attempts: number;
  /** ISO 8601 UTC. */
  at: string;
}

/**
 * Stages a dead letter.
 *
 * @example
 * ```ts
 * stageDeadLetter(tx, { actor, source: "tg", update_id: 7, update, reason: "TURN_FAILED", error_code, attempts: 5 }, now);
 * ```
 */
export function stageDeadLetter(tx: Tx, letter: Omit<DeadLetter, "at">, now: number): void {
  tx.set(dataKey(tx.generation, "dead_letter", letter.source, letter.update_id), {
    ...letter,
    update: capText(letter.update, 16_000),
    at: new Date(now).toISOString(),
  });
}

/**
 * Dead letters, newest update first.
 *
 * @example
 * ```ts
 * const letters = await listDeadLetters(store, 50);
 * ```
 */
export function listDeadLetters(store: Store, limit = 50): Promise<DeadLetter[]> {
  return listValues<DeadLetter>(store, dataPrefix(store.generation, "dead_letter"), {
    reverse: true,
    limit,
  });
}
