/**
 * What the supervisor's parts share: the settings, the services, and the slot each resident
 * actor has in memory. The parts themselves: `scheduler.ts` (which actor drains when),
 * `residents.ts` (which actors stay in memory), `actor_lease.ts` (owning an actor),
 * `turn_runner.ts` (one turn), `commit_retry.ts` (a turn's commit while KV fails),
 * `turn_failures.ts` (retries, outages, dead letters), `outage_probe.ts` (resuming after an
 * outage), `settled_turns.ts` (turns done, for waiting webhook requests), `stats.ts`,
 * `direct_turn.ts`, `direct_runner.ts` and `inbox_looks.ts` (direct turns), `discovery.ts`
 * (orphaned inboxes), `expired_sessions.ts` (the session sweep), `orphaned_leases.ts` (lease
 * records nothing else removes); `supervisor.ts` builds them and drains an actor's inbox with
 * them.
 *
 * @module
 */
import { type Clock, type TimerHandle } from "../core/clock.ts";
import { type ReportError } from "../core/report.ts";
import { type Lang } from "../i18n/mod.ts";
import { type AccountRead } from "../store/profiles.ts";
import { type GroupCommitter } from "../store/committer.ts";
import { type Store } from "../store/kv.ts";
import { type LeaseKeeper } from "../store/lease_keeper.ts";
import { type HeldLease } from "../store/leases.ts";
import { type OutageBackoff } from "./outage.ts";
import { type SessionGauge } from "./session.ts";
import { type LoadedSession } from "./turn.ts";

/** The settings the supervisor runs by. */
export interface SupervisorSettings {
  leaseTtlMs: number;
  actorIdleMs: number;
  actorMaxResident: number;
  turnMaxAttempts: number;
  sessionTtlMs: number;
  defaultLanguage: Lang;
  /**
   * Pauses of an actor whose turn found Telegram unavailable, and the probe's interval.
   * @default 2 s doubling to 30 s; a probe every 2 s
   */
  outageBackoff?: OutageBackoff;
  /**
   * How often to look for inboxes nobody works on; 0: never (on Deploy, where every read is
   * metered and instances come and go, the minute cron sweeps instead). @default half `leaseTtlMs`
   */
  discoveryIntervalMs?: number;
  /**
   * Session gauges besides `sessions_active`, counted on every commit and reported by
   * `getStats()`: the bot's (its features' session slices). @default none
   */
  sessionGauges?: readonly SessionGauge[];
}

/** The services every part uses. */
export interface RuntimeParts {
  store: Store;
  clock: Clock;
  settings: SupervisorSettings;
  reportError: ReportError;
  /** Turns, lease changes and failure bookkeeping share one group committer. */
  committer: GroupCommitter;
  /** This process's lease owner id. */
  owner: string;
}

/** A resident actor. */
export interface ActorSlot {
  name: string;
  draining: boolean;
  /** New work was signalled while draining. */
  wanted: boolean;
  /**
   * The lowest update id queued in this process since the drain read its inbox page (+∞: none):
   * a lower id than the page's next entry sends the drain back to read the page again.
   */
  queuedLowest: number;
  queued: boolean;
  /** The actor's lease while this process holds it, kept renewed. */
  keeper: LeaseKeeper | null;
  /** The lease this process last released on the actor: taking it again needs no read. */
  released: HeldLease | null;
  /** When this process last released the actor's lease (−∞: never). */
  releasedAt: number;
  /**
   * The lease was taken soon after this process released it (the user came back within the
   * linger): the drain keeps it a while instead of releasing it with its last turn.
   */
  lingers: boolean;
  /**
   * The inbox mark's versionstamp as the latest take-over read it (null: no mark), for what runs
   * next: a direct turn, or a drain about to read its first page (`inbox_mark.ts`). undefined:
   * not read since it was last used.
   */
  inboxMark: string | null | undefined;
  /**
   * The inbox mark to delete when this process gives the lease up: the drain ran the inbox
   * empty and kept the lease (a mark matters only to a process taking the actor over).
   */
  unmark: string | undefined;
  /** Releases the lease once the actor stayed idle a while (`actor_lease.ts`). */
  lingerTimer: TimerHandle | null;
  wakeTimer: TimerHandle | null;
  /** undefined: not loaded (reload from KV before the next turn). */
  session: LoadedSession | undefined;
  lang: Lang | null;
  /** The account the runtime's last read of the actor brought, until a turn takes it. */
  account: AccountRead | null;
  lastActive: number;
  /** Turns in a row that found Telegram unavailable (0 once one goes through). */
  outages: number;
  /** When an actor paused for a Telegram outage runs its turn again. */
  resumeAt: number;
  /** Until when Telegram asked the actor to wait (a 429's `retry_after`); 0: it did not. */
  askedUntil: number;
  /** What the runs of the update at the head of the inbox carry over (`Turn.carried`). */
  carried: { updateId: number; values: Map<string, unknown> } | null;
}

/**
 * How a turn ended for the drain: `retry-later` (its entry waits for `not_before`), `paused`
 * (Telegram was unavailable; the same turn runs again at `resumeAt`), `lost` (the lease was),
 * `fenced` (the schema fence refused its commit: the entry stays for a process of the KV's schema).
 * A direct turn may also end `duplicate` (its update was among the finished ones) or `queued`
 * (another copy of its update waits in the inbox and goes through the drain).
 */
export type TurnOutcome =
  | "done"
  | "retry-later"
  | "paused"
  | "lost"
  | "fenced"
  | "duplicate"
  | "queued";

/** A slot for an actor just come into memory. */
export function newSlot(name: string, now: number): ActorSlot {
  return {
    name,
    draining: false,
    wanted: false,
    queuedLowest: Number.POSITIVE_INFINITY,
    queued: false,
    keeper: null,
    released: null,
    releasedAt: Number.NEGATIVE_INFINITY,
    lingers: false,
    inboxMark: undefined,
    unmark: undefined,
    lingerTimer: null,
    wakeTimer: null,
    session: undefined,
    lang: null,
    account: null,
    lastActive: now,
    outages: 0,
    resumeAt: 0,
    askedUntil: 0,
    carried: null,
  };
}
