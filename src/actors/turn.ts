/**
 * One turn: an update handled for one actor with its session state, staging everything it
 * changes into one tx that commits together with the session (which lists the update as
 * finished) and the inbox removal (docs/ARCHITECTURE.md, "An update's path").
 *
 * @module
 */
import { type Update } from "grammy/types";
import { type Clock } from "../core/clock.ts";
import { type Tx } from "../core/tx.ts";
import { type Lang } from "../i18n/mod.ts";
import { type AccountRead } from "../store/profiles.ts";
import * as counters from "../store/counters.ts";
import { runtimeKeys } from "../store/keys.ts";
import { checkLease, type HeldLease } from "../store/leases.ts";
import { type SessionGauges, type SessionRecord, stageSession } from "../store/sessions.ts";
import { withDone } from "../store/done_updates.ts";
import { type InboxEntry, stageInboxRemoval, type UpdateSource } from "./inbox.ts";
import { type SessionGauge, type SessionState } from "./session.ts";

/** What a handler gets for one update (`ctx.turn` in the bot). */
export interface Turn {
  update: Update;
  /** `u:<id>`, `c:<id>`, `local:<n>` or `system`. */
  actor: string;
  userId: number | null;
  chatId: number | null;
  source: UpdateSource;
  /** A local-mode user (terminal chat, playground, benchmarks). */
  local: boolean;
  /** The session, mutable; stored when the turn commits. */
  state: SessionState;
  /** The staging area: every KV change of the turn goes here. */
  tx: Tx;
  clock: Clock;
  /** The user's language; a feature may change it (e.g. /language). */
  lang: Lang;
  /** 1 on the first try of this update. */
  attempt: number;
  /**
   * What an earlier run of this same update left for a re-run (after a Telegram outage or a
   * failure), such as a message it already sent. In memory only: never committed, gone after a
   * restart or once another process runs the update (docs/ARCHITECTURE.md, "Telegram outages").
   */
  carried: Map<string, unknown>;
  /**
   * The sender's account (profile, admin flags) as the runtime's own read brought it just before
   * this turn — a take-over's snapshot, or the inbox mark's read when a lease is taken back — so
   * the bot need not read it again; null when there was no such read (then the bot reads it;
   * docs/ARCHITECTURE.md, "What the bot itself reads").
   */
  account: AccountRead | null;
}

/** Handles one turn (the bot: `bot.handleUpdate` with `ctx.turn`). */
export type TurnHandler = (turn: Turn) => Promise<void>;

/**
 * The gauges a session state counts towards, by counter name: `sessions_active` and those the
 * bot gives (its features' slices).
 *
 * @example
 * ```ts
 * sessionGauges(turn.state, settings.sessionGauges ?? []); // { sessions_active: true, … }
 * ```
 */
export function sessionGauges(
  state: SessionState,
  gauges: readonly SessionGauge[],
): SessionGauges {
  const counted: SessionGauges = { sessions_active: true };
  for (const gauge of gauges) counted[gauge.counter] = gauge.counts(state);
  return counted;
}

/**
 * Stages the counter changes from one set of gauges to another (null: no session).
 *
 * @example
 * ```ts
 * stageGaugeDelta(tx, before, after);
 * ```
 */
export function stageGaugeDelta(
  tx: Tx,
  before: SessionGauges | null,
  after: SessionGauges | null,
): void {
  const names = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const name of names) {
    const delta = Number(after?.[name] ?? false) - Number(before?.[name] ?? false);
    if (delta !== 0) counters.add(tx, name, delta);
  }
}

/** The session as the actor holds it between turns. */
export interface LoadedSession {
  record: SessionRecord<SessionState>;
  /** Whether this incarnation is already stored (false: new, or recreated after expiry). */
  stored: boolean;
  /**
   * The gauges the stored record counts towards. Kept apart from the state because a turn
   * changes the state in place: the commit needs what it was.
   */
  gauges: SessionGauges;
  /**
   * The versionstamp of the session's key as read or last committed (null: no record), which
   * tells a direct turn's retried commit whether the first try went through.
   */
  versionstamp: string | null;
}

/**
 * A session as loaded from KV (or new), with the gauges its state counts towards.
 *
 * @example
 * ```ts
 * const session = loadedSession(record, true, settings.sessionGauges ?? [], entry.versionstamp);
 * ```
 */
export function loadedSession(
  record: SessionRecord<SessionState>,
  stored: boolean,
  gauges: readonly SessionGauge[],
  versionstamp: string | null,
): LoadedSession {
  return { record, stored, gauges: sessionGauges(record.state, gauges), versionstamp };
}

/** What the commit of a turn needs besides the turn. */
export interface TurnCommitParts {
  lease: HeldLease;
  entry: InboxEntry;
  /** Whether the update is in the inbox (false: a direct turn's, which has no entry to remove). */
  queued: boolean;
  session: LoadedSession;
  sessionTtlMs: number;
  /** The gauges the bot's sessions count towards (besides `sessions_active`). */
  sessionGauges: readonly SessionGauge[];
  now: number;
  /** The lease epoch this commit ends (the drain's last turn), if it does. */
  endsLease?: number | null;
}

/**
 * Adds the turn's bookkeeping to its tx: the lease check, the session with the update among its
 * finished ids, its gauges, and the inbox removal (when the update was queued).
 *
 * The lease check is the only one: a commit holds up to 100 checks, so one per turn lets a
 * group commit carry twice the turns. Whether an inbox entry is still there is checked only
 * when retrying a commit whose outcome is unknown ({@linkcode checkInboxEntry}).
 *
 * @returns the session as it is once the tx commits.
 * @example
 * ```ts
 * const committed = stageTurnCommit(turn, { lease, entry, queued: true, session, sessionTtlMs, now });
 * await committer.submit(turn.tx);
 * ```
 */
export function stageTurnCommit(turn: Turn, parts: TurnCommitParts): LoadedSession {
  const { tx } = turn;
  const { entry, session, now } = parts;
  checkLease(tx, parts.lease);
  const record: SessionRecord<SessionState> = {
    state: turn.state,
    createdAt: session.record.createdAt,
    expiresAt: now + parts.sessionTtlMs,
    done: withDone(session.record.done, entry.update_id, now),
    ...typeof parts.endsLease === "number" ? { lease: parts.endsLease } : {},
  };
  const after = sessionGauges(turn.state, parts.sessionGauges);
  if (session.stored) {
    stageGaugeDelta(tx, session.gauges, after);
  } else {
    stageGaugeDelta(tx, null, after);
    counters.tally(tx, "sessions_created");
  }
  stageSession(
    tx,
    turn.actor,
    record,
    after,
    session.stored ? session.record.expiresAt : undefined,
    now,
    session.stored ? session.gauges : undefined,
  );
  if (parts.queued) stageInboxRemoval(tx, entry);
  else counters.tally(tx, "turns_direct");
  counters.tally(tx, "turns_total");
  // The versionstamp is the commit's, known once it lands.
  return { record, stored: true, gauges: after, versionstamp: null };
}

/**
 * Adds a check that the turn's inbox entry is unchanged, for the retry of a commit whose
 * outcome is unknown: if the first try went through, the entry is gone and the retry fails.
 *
 * @example
 * ```ts
 * checkInboxEntry(turn.tx, entry, versionstamp);
 * ```
 */
export function checkInboxEntry(tx: Tx, entry: InboxEntry, versionstamp: string): void {
  tx.check(runtimeKeys.inbox(entry.actor, entry.update_id), versionstamp);
}
