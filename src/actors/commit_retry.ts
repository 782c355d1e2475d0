/**
 * A turn's commit while KV fails: the same commit is retried (never the handler, whose replies
 * are out) until KV takes it or says no.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type AppError, DatabaseError } from "../core/errors.ts";
import { SchemaFenceError } from "../store/schema_fence.ts";
import { backoffDelay } from "../core/retry.ts";
import { type InboxEntry } from "./inbox.ts";
import { type RuntimeParts } from "./parts.ts";
import { checkInboxEntry, type Turn } from "./turn.ts";

/**
 * `versionstamp`: committed; `lost`: the lease was taken over; `already-done`: an earlier try
 * went through; `conflict`: one of the handler's own checks failed; `fenced`: the schema fence
 * refused it (the KV's schema is not this code's: nothing was written and the update stays
 * queued); an `AppError`: KV refused what the turn wrote.
 */
export type CommitOutcome =
  | { versionstamp: string }
  | "lost"
  | "already-done"
  | "conflict"
  | "fenced"
  | AppError;

/**
 * The versionstamp a turn's commit landed with, or null when it did not commit.
 *
 * @example
 * ```ts
 * if (committedAt(await commitDurably(parts, turn, entry, versionstamp))) settle();
 * ```
 */
export function committedAt(outcome: CommitOutcome): string | null {
  return typeof outcome === "object" && !(outcome instanceof Error) ? outcome.versionstamp : null;
}

const log = getLogger(["rvx", "actors", "supervisor"]);

/**
 * Commits a turn, retrying the same commit while KV fails. From the first retry on, an
 * inbox-entry check tells a commit that went through before a failure from one that did not.
 * An error that is not KV failing (a malformed key or value) is reported and returned: it would
 * fail every retry.
 *
 * @example
 * ```ts
 * const outcome = await commitDurably(parts, turn, entry, versionstamp);
 * ```
 */
export async function commitDurably(
  parts: RuntimeParts,
  turn: Turn,
  entry: InboxEntry,
  entryVersionstamp: string,
): Promise<CommitOutcome> {
  const { clock, committer, reportError } = parts;
  for (let attempt = 1;; attempt++) {
    if (attempt === 2) checkInboxEntry(turn.tx, entry, entryVersionstamp);
    try {
      const outcome = await committer.submit(turn.tx);
      if (outcome.ok) return { versionstamp: outcome.versionstamp };
      const failed = outcome.failedChecks.map((c) => String(c.key[0]));
      if (failed.includes("lease")) return "lost";
      if (failed.includes("inbox")) {
        // An earlier try went through: its tally counts are this process's to keep.
        parts.store.tally.add(turn.tx.tallies);
        return "already-done";
      }
      return "conflict";
    } catch (err) {
      if (err instanceof SchemaFenceError) return "fenced";
      if (!(err instanceof DatabaseError)) {
        return await reportError(err, "turn.commit", turn.userId ?? undefined);
      }
      // Reported once per turn: the store logs when commits start failing and when they
      // work again, so a long outage is not an error line (and audit write) per retry.
      if (attempt === 1) {
        await reportError(err, "turn.commit", turn.userId ?? undefined);
      } else {
        log.debug("Turn commit of {actor} failed again (attempt {attempt})", {
          actor: turn.actor,
          attempt,
        });
      }
      await clock.sleep(backoffDelay(attempt, { baseMs: 200, maxMs: 5000 }));
    }
  }
}
