/**
 * Dead letters for tests, written as the supervisor writes them.
 *
 * @module
 */
import { type FakeClock } from "../../src/core/clock.ts";
import { type DeadLetterInput, stageDeadLetter } from "../../src/store/dead_letters.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import { textUpdate } from "./runtime.ts";

/** A failed text update of a user (null: a channel's post, no user). */
export function deadLetterInput(
  updateId: number,
  userId: number | null,
  errorCode = "TURN_FAILED",
): DeadLetterInput {
  return {
    actor: userId === null ? "c:-100" : `u:${userId}`,
    user_id: userId,
    source: "tg",
    update_id: updateId,
    update: JSON.stringify(textUpdate(updateId, userId ?? 1)),
    reason: "TURN_FAILED",
    error_code: errorCode,
    attempts: 5,
  };
}

/** Writes letters one second apart (each its own commit); returns their ids in order. */
export async function seedDeadLetters(
  store: Store,
  clock: FakeClock,
  letters: DeadLetterInput[],
): Promise<string[]> {
  const ids: string[] = [];
  for (const letter of letters) {
    const tx = store.tx();
    ids.push(stageDeadLetter(tx, letter, clock.now()));
    await commitTx(store, tx);
    await clock.advance(1000);
  }
  return ids;
}

/** Updates 1, 2, 3 of users 7, 8, 7 with codes PROVIDER_DOWN, PROVIDER_DOWN, BUG. */
export function seedThree(store: Store, clock: FakeClock): Promise<string[]> {
  return seedDeadLetters(store, clock, [
    deadLetterInput(1, 7, "PROVIDER_DOWN"),
    deadLetterInput(2, 8, "PROVIDER_DOWN"),
    deadLetterInput(3, 7, "BUG"),
  ]);
}
