/**
 * What happens when a turn fails: a failing turn is reported, its user told once, its attempt
 * counted and retried after a backoff (1 s doubling to 30 s), and after `TURN_MAX_ATTEMPTS` the
 * update goes to the dead letters; a turn that found Telegram unavailable pauses its actor and
 * uses no attempt (`outage.ts`, `outage_probe.ts`); a turn whose owner died mid-turn has that attempt counted when
 * its lease is taken over.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type AppError } from "../core/errors.ts";
import { backoffDelay } from "../core/retry.ts";
import { type Tx } from "../core/tx.ts";
import * as counters from "../store/counters.ts";
import { stageDeadLetter } from "../store/dead_letters.ts";
import { runtimeKeys } from "../store/keys.ts";
import { checkLease } from "../store/leases.ts";
import { sessionKey, type SessionRecord, stageFinishedWithoutTurn } from "../store/sessions.ts";
import { actorUserId } from "./actor_ref.ts";
import { loadUpdate, type ReadEntry, readInbox, stageInboxRemoval } from "./inbox.ts";
import { askedWaitMs, OUTAGE_BACKOFF, outagePauseMs } from "./outage.ts";
import { type ActorSlot, type RuntimeParts, type TurnOutcome } from "./parts.ts";
import { type Turn } from "./turn.ts";

/** Tells the user, once, that their update failed. */
export type OnTurnFailed = (turn: Turn, error: AppError) => Promise<void>;

const log = getLogger(["rvx", "actors", "supervisor"]);
/** Commits of a dead letter tried while a sweep keeps changing the session (it does once). */
const SESSION_RACE_ATTEMPTS = 3;

function sameKey(a: Deno.KvKey, b: Deno.KvKey): boolean {
  return a.length === b.length && a.every((part, i) => part === b[i]);
}

/**
 * @example
 * ```ts
 * const failures = new TurnFailures(parts, onTurnFailed);
 * return await failures.fail(slot, ref, turn, err);
 * ```
 */
export class TurnFailures {
  readonly #parts: RuntimeParts;
  readonly #onTurnFailed?: OnTurnFailed;

  constructor(parts: RuntimeParts, onTurnFailed?: OnTurnFailed) {
    this.#parts = parts;
    this.#onTurnFailed = onTurnFailed;
  }

  /** Counts the attempt of a turn that failed; retries it later or dead-letters it. */
  async fail(slot: ActorSlot, ref: ReadEntry, turn: Turn, err: unknown): Promise<TurnOutcome> {
    const { store, clock, settings, reportError } = this.#parts;
    const { entry } = ref;
    const reportTx = store.tx();
    const appError = await reportError(err, "turn", turn.userId ?? undefined, reportTx);
    const attempts = entry.attempts + 1;
    if (attempts === 1 && this.#onTurnFailed) {
      await this.#onTurnFailed(turn, appError).catch((notifyError) =>
        log.warn("Could not tell {actor} about a failed turn: {reason}", {
          actor: slot.name,
          reason: notifyError instanceof Error ? notifyError.message : String(notifyError),
        })
      );
    }
    if (attempts >= settings.turnMaxAttempts || appError.code === "TURN_TOO_LARGE") {
      return await this.deadLetter(slot, ref, "TURN_FAILED", appError.code, reportTx);
    }
    const key = runtimeKeys.inbox(entry.actor, entry.update_id);
    checkLease(reportTx, slot.keeper!.lease);
    reportTx.check(key, ref.versionstamp).set(key, {
      ...entry,
      attempts,
      not_before: clock.now() + backoffDelay(attempts, { baseMs: 1000, maxMs: 30_000, jitter: 0 }),
    });
    return await this.#commit(reportTx) ? "retry-later" : "lost";
  }

  /**
   * Telegram was unavailable: nothing of the turn is kept and no attempt is counted (the inbox
   * entry stays as it was), so an outage of any length never dead-letters an update. The turn
   * runs again after a pause (slow work it did, such as a provider call, is cached by the bot).
   */
  pauseForOutage(slot: ActorSlot, turn: Turn, err: unknown): TurnOutcome {
    const { clock, settings } = this.#parts;
    slot.outages++;
    const pauseMs = outagePauseMs(err, slot.outages, settings.outageBackoff ?? OUTAGE_BACKOFF);
    slot.resumeAt = clock.now() + pauseMs;
    slot.askedUntil = askedWaitMs(err) === undefined ? 0 : slot.resumeAt;
    const fields = {
      actor: slot.name,
      updateId: turn.update.update_id,
      pauseMs,
      outages: slot.outages,
      code: "TELEGRAM_UNAVAILABLE",
      reason: err instanceof Error ? err.message : String(err),
    };
    // One line when an actor starts waiting, not one per retry of a long outage.
    if (slot.outages === 1) {
      log.warn("Telegram unavailable: {actor} pauses {pauseMs} ms ({reason})", fields);
    } else log.debug("Telegram still unavailable: {actor} pauses {pauseMs} ms", fields);
    return "paused";
  }

  /**
   * Moves the update to the dead letters, in one commit with its inbox removal and with its id
   * listed among the actor's finished ones. `report` holds what the failure staged besides (its
   * audit row and error counts).
   */
  async deadLetter(
    slot: ActorSlot,
    ref: ReadEntry,
    reason: string,
    errorCode: string,
    report: Tx = this.#parts.store.tx(),
  ): Promise<TurnOutcome> {
    const { store, clock } = this.#parts;
    const { entry } = ref;
    const key = sessionKey(store.generation, entry.actor);
    const update = JSON.stringify(await loadUpdate(store, entry));
    log.error("Update {updateId} of {actor} moved to dead letters: {reason} {code}", {
      updateId: entry.update_id,
      actor: entry.actor,
      reason,
      code: errorCode,
    });
    // The session in memory lacks the id listed here: the next turn reads the record again.
    slot.session = undefined;
    for (let attempt = 1;; attempt++) {
      const session = await store.kv.get<SessionRecord<unknown>>(key);
      const tx = store.tx().absorb(report);
      checkLease(tx, slot.keeper!.lease);
      tx.check(runtimeKeys.inbox(entry.actor, entry.update_id), ref.versionstamp);
      stageDeadLetter(tx, {
        actor: entry.actor,
        user_id: actorUserId(entry.actor),
        source: entry.source,
        update_id: entry.update_id,
        update,
        reason,
        error_code: errorCode,
        attempts: entry.attempts + 1,
      }, clock.now());
      stageInboxRemoval(tx, entry);
      // Finished for deduplication too: a redelivery must not run it behind the operator's back.
      stageFinishedWithoutTurn(tx, session, entry.update_id, clock.now());
      counters.add(tx, "turns_failed");
      const outcome = await this.#parts.committer.submit(tx);
      if (outcome.ok) return "done";
      // Only the session changed: a sweep replaced it by a husk meanwhile (the lease keeps
      // every other writer out). Listing the id in what is there now keeps the update from
      // being taken for lost and run again — its handler may have replied already.
      const sessionOnly = outcome.failedChecks.every((check) => sameKey(check.key, key));
      if (!sessionOnly || attempt === SESSION_RACE_ATTEMPTS) return "lost";
    }
  }

  /** The previous owner crashed mid-turn: its update's attempt is counted before it runs again. */
  async countCrashedAttempt(slot: ActorSlot): Promise<void> {
    const { store } = this.#parts;
    const [first] = await readInbox(store, slot.name, 1);
    if (!first || !slot.keeper) return;
    const tx = store.tx();
    checkLease(tx, slot.keeper.lease);
    const key = runtimeKeys.inbox(slot.name, first.entry.update_id);
    tx.check(key, first.versionstamp).set(key, {
      ...first.entry,
      attempts: first.entry.attempts + 1,
    });
    await this.#commit(tx);
  }

  /** Failure bookkeeping goes through the turns' group committer. */
  async #commit(tx: Tx): Promise<boolean> {
    return (await this.#parts.committer.submit(tx)).ok;
  }
}
