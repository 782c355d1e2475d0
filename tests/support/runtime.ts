/**
 * The actor runtime assembled as `main.ts` does, for tests: inbox, committers, supervisor,
 * sinks, on a given store and clock.
 *
 * @module
 */
import { type Message, type Update, type User } from "grammy/types";
import { Inbox } from "../../src/actors/inbox.ts";
import { Supervisor, type SupervisorSettings } from "../../src/actors/supervisor.ts";
import { type Turn, type TurnHandler } from "../../src/actors/turn.ts";
import { type Clock, FakeClock } from "../../src/core/clock.ts";
import { type AppError } from "../../src/core/errors.ts";
import { createErrorReporter, type ReportError } from "../../src/core/report.ts";
import { KvAuditSink } from "../../src/store/audit.ts";
import { GroupCommitter } from "../../src/store/committer.ts";
import { KvMetricsSink } from "../../src/store/counters.ts";
import { type Store } from "../../src/store/kv.ts";

/** Settings small enough for tests. */
export const TEST_SETTINGS: SupervisorSettings = {
  leaseTtlMs: 30_000,
  actorIdleMs: 60_000,
  actorMaxResident: 10_000,
  turnMaxAttempts: 5,
  sessionTtlMs: 3_600_000,
  defaultLanguage: "en",
};

/** Options of {@linkcode createRuntime}. */
export interface RuntimeOptions {
  store: Store;
  handle: TurnHandler;
  clock?: Clock;
  settings?: Partial<SupervisorSettings>;
  onTurnFailed?: (turn: Turn, error: AppError) => Promise<void>;
  owner?: string;
  concurrency?: number;
  onIdle?: () => void;
  /**
   * Run a free actor's update as it arrives (direct turns, as `src/compose.ts` wires it).
   * @default false: every update is queued and drained
   */
  direct?: boolean;
}

/** What {@linkcode createRuntime} returns. */
export interface TestRuntime {
  clock: Clock;
  metrics: KvMetricsSink;
  reportError: ReportError;
  inbox: Inbox;
  supervisor: Supervisor;
}

/** Inbox + supervisor wired together. */
export function createRuntime(options: RuntimeOptions): TestRuntime {
  const clock = options.clock ?? new FakeClock(Date.UTC(2026, 0, 1));
  const metrics = new KvMetricsSink(options.store, { clock });
  const reportError = createErrorReporter({
    audit: new KvAuditSink(options.store, clock),
    metrics,
  });
  const inbox = new Inbox({
    store: options.store,
    committer: new GroupCommitter(options.store),
    clock,
    metrics,
  });
  const supervisor = new Supervisor({
    store: options.store,
    clock,
    reportError,
    handle: options.handle,
    onTurnFailed: options.onTurnFailed,
    settings: { ...TEST_SETTINGS, ...options.settings },
    owner: options.owner,
    concurrency: options.concurrency,
    onIdle: options.onIdle,
  });
  inbox.onQueued = (actor, updateId) => supervisor.schedule(actor, updateId);
  if (options.direct) inbox.runDirect = (direct) => supervisor.runDirect(direct);
  return { clock, metrics, reportError, inbox, supervisor };
}

/**
 * An inbox of its own on `store`, with no supervisor: a peer process that acknowledged updates
 * and left them queued (it died, or their user is held elsewhere).
 */
export function peerInbox(store: Store, clock: Clock): Inbox {
  return new Inbox({
    store,
    committer: new GroupCommitter(store),
    clock,
    metrics: new KvMetricsSink(store, { clock }),
  });
}

/** A promise the test resolves: a handler waits on it. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => {};
  const wait = new Promise<void>((resolve) => open = resolve);
  return { wait, open };
}

/** A private-chat text update from a user. */
export function textUpdate(
  updateId: number,
  userId: number,
  text = `message ${updateId}`,
): Update & { message: Message.TextMessage & { from: User } } {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1_767_225_600,
      chat: { id: userId, type: "private", first_name: `U${userId}` },
      from: { id: userId, is_bot: false, first_name: `U${userId}`, language_code: "en" },
      text,
    },
  };
}
