/**
 * Direct turns: an update whose actor is free in this process runs its turn as it arrives, and
 * the turn's commit is what makes it durable, so it never costs an inbox entry and its removal
 * (docs/ARCHITECTURE.md, "Direct turns"). The update goes into the inbox instead when the actor
 * is busy or held elsewhere, when something already waits there, when the turn fails, and when
 * the turn is still running after {@linkcode DIRECT_ACK_MS}: the ack never waits on slow work.
 *
 * @module
 */
import { type TimerHandle } from "../core/clock.ts";
import { type InboxEntry, type ReadEntry } from "./inbox.ts";

/**
 * How long an ingest waits for a direct turn before it queues the update and acknowledges it:
 * a turn that only replies takes a few ms; one that calls a provider takes seconds, and the
 * update then waits in the inbox like any other while the turn goes on.
 */
export const DIRECT_ACK_MS = 250;

/**
 * How a direct turn ended: `done` (committed), `duplicate` (the update was among the actor's
 * finished ones), `declined` (the actor was not free here: queue the update), `queued` (the turn
 * failed or paused and put the update into the inbox for the drain's retries).
 */
export type DirectOutcome = "done" | "duplicate" | "declined" | "queued";

/**
 * Puts an update into its actor's inbox: the stored entry, or null when an entry for the same
 * update already waits there (a redelivery that reached another ingest).
 */
export type PutEntry = () => Promise<ReadEntry | null>;

/**
 * One update on the direct path. Its entry reaches the inbox at most once, whoever asks first:
 * the ingest's deadline, a failing turn, or an ingest the turn declined.
 *
 * @example
 * ```ts
 * const direct = new DirectTurn(entry, put);
 * const queued = direct.beginCommit(); // null: the commit removes no inbox entry
 * ```
 */
export class DirectTurn {
  /** The update as an inbox entry would hold it (the update itself always inline). */
  readonly entry: InboxEntry;
  readonly #put: PutEntry;
  #queued: Promise<ReadEntry | null> | null = null;
  #committing = false;
  #outlasted = false;

  constructor(entry: InboxEntry, put: PutEntry) {
    this.entry = entry;
    this.#put = put;
  }

  /** Whether the turn was still running at the ack deadline. */
  get outlasted(): boolean {
    return this.#outlasted;
  }

  /** The update's entry, once something put it into the inbox (null: another copy waits). */
  get queued(): Promise<ReadEntry | null> | null {
    return this.#queued;
  }

  /** Puts the update into the inbox, once; a failed put may be tried again. */
  queue(): Promise<ReadEntry | null> {
    this.#queued ??= this.#put().catch((err) => {
      this.#queued = null;
      throw err;
    });
    return this.#queued;
  }

  /**
   * The ingest's deadline: queues the update unless the turn's commit has begun (then the
   * ingest waits for that commit, which is as soon).
   */
  queueUnlessCommitting(): Promise<ReadEntry | null> | null {
    if (this.#committing) return null;
    this.#outlasted = true;
    return this.queue();
  }

  /**
   * The turn's commit begins: the update's inbox entry when it was queued meanwhile (the commit
   * removes it), else null, and the deadline no longer queues it.
   */
  beginCommit(): Promise<ReadEntry | null> | null {
    this.#committing = true;
    return this.#queued;
  }
}

/** Of the updates that skip the direct path while it is slow, every this many try it anyway. */
const SLOW_PROBE_EVERY = 8;

/**
 * Whether direct turns are worth trying now. When most recent ones outlasted the ack deadline
 * (a slow provider, Telegram answering 429s), each would only hold its ack for the deadline
 * before queuing anyway: updates then go to the inbox at once, and one in
 * {@linkcode SLOW_PROBE_EVERY} still tries, so the runtime notices when turns are quick again.
 *
 * @example
 * ```ts
 * if (!pace.worthTrying()) return "declined";
 * pace.ended(direct.outlasted);
 * ```
 */
export class DirectPace {
  /** A moving share of recent direct turns that outlasted the deadline (0–1). */
  #slowShare = 0;
  #skipped = 0;

  worthTrying(): boolean {
    if (this.#slowShare <= 0.5) return true;
    if (++this.#skipped < SLOW_PROBE_EVERY) return false;
    this.#skipped = 0;
    return true;
  }

  /** A direct turn ended; `outlasted`: it was still running at the ack deadline. */
  ended(outlasted: boolean): void {
    this.#slowShare = this.#slowShare * 0.9 + (outlasted ? 0.1 : 0);
  }
}

/** What an ingest learns from the direct path. */
export type DirectIngest = "done" | "duplicate" | { queued: ReadEntry | null };

/**
 * Runs `direct` through `run` and resolves once the update is safe to acknowledge: its turn
 * committed, it was a duplicate, or its entry is durable in the inbox (after the turn declined
 * or failed, or at {@linkcode DIRECT_ACK_MS} while the turn goes on). Rejects only when the
 * update could not be queued (KV failing): then nothing may be acknowledged.
 *
 * @example
 * ```ts
 * const deadlines = new FixedDelayTimers(clock, DIRECT_ACK_MS);
 * const outcome = await ingestDirect(direct, (d) => supervisor.runDirect(d), deadlines);
 * ```
 *
 * @param deadlines timers of {@linkcode DIRECT_ACK_MS} (`FixedDelayTimers`: one clock timer
 * for every ingest).
 */
export function ingestDirect(
  direct: DirectTurn,
  run: (direct: DirectTurn) => Promise<DirectOutcome>,
  deadlines: { setTimeout(fn: () => void): TimerHandle },
): Promise<DirectIngest> {
  return new Promise<DirectIngest>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: DirectIngest) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      resolve(outcome);
    };
    const timer = deadlines.setTimeout(() => {
      // A failed put here is not the ingest's failure: the turn may still commit.
      direct.queueUnlessCommitting()?.then((queued) => finish({ queued }), () => {});
    });
    run(direct).catch((): DirectOutcome => "declined").then((outcome) => {
      if (outcome === "done" || outcome === "duplicate") return finish(outcome);
      direct.queue().then((queued) => finish({ queued }), (err) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        reject(err);
      });
    });
  });
}
