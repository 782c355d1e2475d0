/**
 * Running one turn: the actor's session and language (from memory, or read from KV), the
 * handler, and the turn's commit; failures go to `turn_failures.ts`.
 *
 * @module
 */
import { AppError } from "../core/errors.ts";
import { TURN_BUDGET } from "../core/tx.ts";
import { asLang, resolveLanguage } from "../i18n/mod.ts";
import * as counters from "../store/counters.ts";
import { doneStatus, type DoneUpdates } from "../store/done_updates.ts";
import { runtimeKeys } from "../store/keys.ts";
import { checkLease, type HeldLease } from "../store/leases.ts";
import { accountKeys, languageOf } from "../store/profiles.ts";
import { sessionKey, type SessionRead, sessionRead } from "../store/sessions.ts";
import { type ActorLeases } from "./actor_lease.ts";
import { commitDurably, type CommitGuard, committedAt } from "./commit_retry.ts";
import { DirectTurn } from "./direct_turn.ts";
import { type InboxEntry, loadUpdate, type ReadEntry, stageInboxRemoval } from "./inbox.ts";
import { actorUserId, resolveActor } from "./actor_ref.ts";
import { isTelegramOutage } from "./outage.ts";
import { type ActorSlot, type RuntimeParts, type TurnOutcome } from "./parts.ts";
import { emptySession, normaliseSession, type SessionState } from "./session.ts";
import { type TurnFailures } from "./turn_failures.ts";
import {
  type LoadedSession,
  loadedSession,
  stageTurnCommit,
  type Turn,
  type TurnHandler,
} from "./turn.ts";

/**
 * @example
 * ```ts
 * const runner = new TurnRunner(parts, handle, failures);
 * const outcome = await runner.run(slot, { entry, versionstamp });
 * ```
 */
export class TurnRunner {
  readonly #parts: RuntimeParts;
  readonly #handle: TurnHandler;
  readonly #failures: TurnFailures;
  readonly #leases: ActorLeases;

  constructor(
    parts: RuntimeParts,
    handle: TurnHandler,
    failures: TurnFailures,
    leases: ActorLeases,
  ) {
    this.#parts = parts;
    this.#handle = handle;
    this.#failures = failures;
    this.#leases = leases;
  }

  /**
   * The keys an actor's turns start from: its session and, for a user, the account (the
   * language, and what the bot reads on every turn: `Turn.account`).
   */
  actorKeys(actor: string): Deno.KvKey[] {
    return [sessionKey(this.#parts.store.generation, actor), ...this.accountKeys(actor)];
  }

  /** The keys of the actor's account (none for an actor that is not a user). */
  accountKeys(actor: string): Deno.KvKey[] {
    const userId = actorUserId(actor);
    return userId === null ? [] : accountKeys(this.#parts.store.generation, userId);
  }

  /**
   * Keeps the entries of {@linkcode TurnRunner.accountKeys}, read with another of the runtime's
   * reads, for the turn that runs next (`Turn.account`).
   */
  keepAccount(slot: ActorSlot, entries: Deno.KvEntryMaybe<unknown>[]): void {
    const userId = actorUserId(slot.name);
    slot.account = userId === null ? null : { userId, entries };
  }

  /**
   * Takes an actor's session, language and account from the entries of
   * {@linkcode TurnRunner.actorKeys}.
   */
  adopt(slot: ActorSlot, [session, ...account]: Deno.KvEntryMaybe<unknown>[]): LoadedSession {
    const { clock, settings } = this.#parts;
    const now = clock.now();
    const read = sessionRead<SessionState>(session, now);
    const versionstamp = session.versionstamp;
    const gauges = settings.sessionGauges ?? [];
    slot.session = read.status === "live"
      ? loadedSession(
        { ...read.record, state: normaliseSession(read.record.state) },
        true,
        gauges,
        versionstamp,
      )
      // An expired session KV still holds is left to the sweep, which takes its gauges back;
      // its finished-update ids carry over to the new incarnation.
      : loadedSession(
        {
          state: emptySession(),
          createdAt: now,
          expiresAt: now + settings.sessionTtlMs,
          ...carriedDone(read),
        },
        false,
        gauges,
        versionstamp,
      );
    slot.lang = account.length > 0 ? languageOf(account[0]) : null;
    this.keepAccount(slot, account);
    return slot.session;
  }

  /**
   * Runs the turn of one inbox entry under the actor's lease, and commits it.
   *
   * @param last the drain knows of no entry after this one: the commit may release the lease.
   */
  async run(slot: ActorSlot, item: ReadEntry | DirectTurn, last = false): Promise<TurnOutcome> {
    const { store, clock, settings } = this.#parts;
    const direct = item instanceof DirectTurn ? item : null;
    // A direct turn's update is in the inbox only once something put it there (DirectTurn).
    let ref = direct ? null : item as ReadEntry;
    const { entry } = item;
    /**
     * Hands the update to a failure path with its inbox entry (a direct turn's is put there
     * first: failures leave the update to the drain). When a redelivered copy already waits
     * there, that copy's entry it is: left alone, the drain would run a handler that replied.
     */
    const withEntry = async (
      then: (stored: ReadEntry) => TurnOutcome | Promise<TurnOutcome>,
    ): Promise<TurnOutcome> => {
      ref ??= await direct!.queue() ?? await this.#waitingCopy(entry);
      return ref ? await then(ref) : "queued";
    };
    const lease = slot.keeper!.lease;
    // A session that expired in memory is read again, as the sweep may take it from now on: KV
    // says whether it is still this incarnation (then a new one starts) or already a husk.
    const cached = (slot.session?.record.expiresAt ?? 0) > clock.now() ? slot.session : undefined;
    const session = cached ??
      this.adopt(slot, await store.kv.getMany(this.actorKeys(slot.name)));
    // The account the runtime's last read brought (here, a take-over's, or the inbox mark's)
    // serves this turn only: the next turn of a held lease reads it again, as fresh as its start.
    const { account } = slot;
    slot.account = null;
    const seen = entry.requeued ? "new" : doneStatus(session.record.done, entry.update_id);
    if (seen === "done") {
      if (!ref) return "duplicate";
      return await this.#settleRedelivery(ref, lease);
    }
    if (seen === "below-floor") {
      // Too many later updates finished since to tell: an operator decides (not lost, not rerun).
      return await withEntry((stored) =>
        this.#failures.deadLetter(slot, stored, "UNCERTAIN", "UPDATE_BELOW_DONE_WINDOW")
      );
    }
    const update = await loadUpdate(store, entry);
    const actorRef = resolveActor(update, entry.source);
    if (slot.carried?.updateId !== entry.update_id) {
      slot.carried = { updateId: entry.update_id, values: new Map() };
    }
    const turn: Turn = {
      update,
      actor: slot.name,
      userId: actorRef.userId,
      chatId: actorRef.chatId,
      source: entry.source,
      local: entry.source === "local",
      state: session.record.state,
      tx: store.tx({ ...TURN_BUDGET, overflowCode: "TURN_TOO_LARGE" }),
      clock,
      lang: slot.lang ?? resolveLanguage(actorRef.languageCode, settings.defaultLanguage),
      attempt: entry.attempts + 1,
      carried: slot.carried.values,
      account,
    };
    // The handler changes the cached state in place: until the commit lands, a retry or the
    // next turn reloads it from KV (a deep copy per turn measured 4 % of the runtime's CPU).
    slot.session = undefined;
    const started = clock.now();
    try {
      await this.#handle(turn);
    } catch (err) {
      return await withEntry((stored) =>
        isTelegramOutage(err)
          ? this.#failures.pauseForOutage(slot, turn, err)
          : this.#failures.fail(slot, stored, turn, err)
      );
    }
    // Queued meanwhile (the ingest stopped waiting), the update's entry goes with this commit.
    const queuedMeanwhile = direct?.beginCommit();
    // A put that failed may still have landed: an entry left behind is then a finished
    // update's, which its drain removes without running it.
    if (queuedMeanwhile) ref = await queuedMeanwhile.catch(() => null);
    let committed;
    let ending: number | null = null;
    try {
      ending = last ? this.#leases.endInSession(slot) : null;
      committed = stageTurnCommit(turn, {
        lease,
        entry,
        queued: ref !== null,
        session,
        sessionTtlMs: settings.sessionTtlMs,
        sessionGauges: settings.sessionGauges ?? [],
        now: clock.now(),
        endsLease: ending,
      });
      counters.tallyDuration(turn.tx, "turn_ms", clock.now() - started);
    } catch (err) {
      if (ending !== null) this.#leases.afterEnd(slot, "conflict");
      return await withEntry((stored) => this.#failures.fail(slot, stored, turn, err));
    }
    const guard: CommitGuard = ref
      ? { entry, versionstamp: ref.versionstamp }
      : { session: sessionKey(store.generation, slot.name), versionstamp: session.versionstamp };
    const outcome = await commitDurably(this.#parts, turn, guard);
    if (ending !== null) this.#leases.afterEnd(slot, outcome);
    if (outcome instanceof AppError) {
      // KV refused what the turn wrote: retrying cannot help, and its replies are out.
      return await withEntry((stored) =>
        this.#failures.deadLetter(slot, stored, "TURN_FAILED", outcome.code)
      );
    }
    const versionstamp = committedAt(outcome);
    if (versionstamp !== null) {
      slot.outages = 0;
      slot.session = { ...committed, versionstamp };
      slot.lang = asLang(turn.lang) ?? slot.lang;
      return "done";
    }
    if (outcome === "lost" || outcome === "fenced") return outcome;
    if (outcome === "already-done") return "done";
    // One of the handler's own checks failed: never re-run a handler that already replied.
    return await withEntry((stored) =>
      this.#failures.deadLetter(slot, stored, "COMMIT_CONFLICT", "COMMIT_CONFLICT")
    );
  }

  /** The inbox entry of the update's copy another ingest queued, while it still waits. */
  async #waitingCopy(entry: InboxEntry): Promise<ReadEntry | null> {
    const key = runtimeKeys.inbox(entry.actor, entry.update_id);
    const { value, versionstamp } = await this.#parts.store.kv.get<InboxEntry>(key);
    return value && versionstamp ? { entry: value, versionstamp } : null;
  }

  /**
   * A redelivered update whose turn already finished (its entry was queued again after the
   * first one went): its entry goes without running anything.
   */
  async #settleRedelivery(ref: ReadEntry, lease: HeldLease): Promise<TurnOutcome> {
    const tx = this.#parts.store.tx();
    checkLease(tx, lease);
    tx.check(runtimeKeys.inbox(ref.entry.actor, ref.entry.update_id), ref.versionstamp);
    stageInboxRemoval(tx, ref.entry);
    counters.add(tx, "ingest_duplicates");
    const outcome = await this.#parts.committer.submit(tx);
    if (outcome.ok) return "done";
    return outcome.failedChecks.some((c) => c.key[0] === "lease") ? "lost" : "done";
  }
}

/** The finished-update ids a new incarnation of a session takes over from what KV held. */
function carriedDone(read: SessionRead<SessionState>): { done?: DoneUpdates } {
  const done = read.status === "expired"
    ? read.record.done
    : read.status === "absent"
    ? read.done
    : undefined;
  return done ? { done } : {};
}
