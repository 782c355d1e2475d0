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
import { doneStatus } from "../store/done_updates.ts";
import { type SessionRecord } from "../store/sessions.ts";
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
 * What tells a retried commit whose first try may have gone through from one that did not: the
 * inbox entry the commit removes, or, for a direct turn (no entry), the session it rewrites,
 * whose finished ids then list the update.
 */
export type CommitGuard =
  | { entry: InboxEntry; versionstamp: string }
  | { session: Deno.KvKey; versionstamp: string | null };

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
 * Commits a turn, retrying the same commit while KV fails. From the first retry on, a check on
 * the `guard` tells a commit that went through before a failure from one that did not.
 * An error that is not KV failing (a malformed key or value) is reported and returned: it would
 * fail every retry.
 *
 * @example
 * ```ts
 * const outcome = await commitDurably(parts, turn, { entry, versionstamp });
 * ```
 */
export async function commitDurably(
  parts: RuntimeParts,
  turn: Turn,
  guard: CommitGuard,
): Promise<CommitOutcome> {
  const { clock, committer, reportError } = parts;
  for (let attempt = 1;; attempt++) {
    if (attempt === 2) {
      if ("entry" in guard) checkInboxEntry(turn.tx, guard.entry, guard.versionstamp);
      else turn.tx.check(guard.session, guard.versionstamp);
    }
    try {
      const outcome = await committer.submit(turn.tx);
      if (outcome.ok) return { versionstamp: outcome.versionstamp };
      const failed = outcome.failedChecks.map((c) => String(c.key[0]));
      if (failed.includes("lease")) return "lost";
      if (failed.includes("inbox") || await sessionLists(parts, guard, turn, outcome)) {
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

/**
 * Whether a direct turn's retried commit failed its session check because the first try went
 * through (the session now lists the update as finished), not because something else changed it.
 */
async function sessionLists(
  parts: RuntimeParts,
  guard: CommitGuard,
  turn: Turn,
  outcome: { failedChecks: Deno.AtomicCheck[] },
): Promise<boolean> {
  if ("entry" in guard) return false;
  const key = guard.session;
  if (!outcome.failedChecks.some((c) => sameKey(c.key, key))) return false;
  const read = await parts.store.kv.get<SessionRecord<unknown>>(key);
  return read.value !== null && doneStatus(read.value.done, turn.update.update_id) === "done";
}

function sameKey(a: Deno.KvKey, b: Deno.KvKey): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}
