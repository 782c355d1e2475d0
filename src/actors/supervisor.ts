/**
 * The supervisor: drains actors' inboxes with bounded concurrency, one turn at a time per actor
 * in inbox order, under a KV lease per actor so several processes (or Deploy isolates) can share
 * one KV. Its parts (`parts.ts` lists them) schedule drains, keep leases, run turns, retry
 * commits, handle failures and dead letters, find orphaned inboxes, sweep expired sessions,
 * evict idle actors, read the stats and run just-arrived updates' turns directly; this module
 * builds them and drains one actor's inbox with them.
 *
 * @module
 */
import { type Clock } from "../core/clock.ts";
import { type AppError } from "../core/errors.ts";
import { randomId } from "../core/ids.ts";
import { type ReportError } from "../core/report.ts";
import { GroupCommitter } from "../store/committer.ts";
import { type Store } from "../store/kv.ts";
import { SCHEMA_RECHECK_MS, SchemaFenceError } from "../store/schema_fence.ts";
import { TallyFlusher } from "../store/tally.ts";
import { ActorLeases } from "./actor_lease.ts";
import { Discovery, discoveryIntervalMs } from "./discovery.ts";
import { sweepExpiredSessions } from "./expired_sessions.ts";
import { sweepOrphanedLeases } from "./orphaned_leases.ts";
import { DirectRunner } from "./direct_runner.ts";
import { type DirectOutcome, type DirectTurn } from "./direct_turn.ts";
import { readInbox } from "./inbox.ts";
import { latestMark, MarkDeletions, readInboxMark } from "./inbox_mark.ts";
import { OUTAGE_BACKOFF } from "./outage.ts";
import { OutageProbe } from "./outage_probe.ts";
import { MAINTENANCE_RECHECK_MS, MaintenanceWatch } from "./maintenance_watch.ts";
import { type ActorSlot, type RuntimeParts, type SupervisorSettings } from "./parts.ts";
import { ResidentActors } from "./residents.ts";
import { SettledTurns } from "./settled_turns.ts";
import { Scheduler } from "./scheduler.ts";
import { runtimeStats, type SupervisorStats } from "./stats.ts";
import { TurnFailures } from "./turn_failures.ts";
import { TurnRunner } from "./turn_runner.ts";
import { type Turn, type TurnHandler } from "./turn.ts";

export type { SupervisorSettings } from "./parts.ts";
export type { SupervisorStats } from "./stats.ts";

/** What {@linkcode Supervisor} is built from. */
export interface SupervisorDeps {
  store: Store;
  clock: Clock;
  reportError: ReportError;
  handle: TurnHandler;
  /** Tells the user, once, that their update failed. */
  onTurnFailed?: (turn: Turn, error: AppError) => Promise<void>;
  settings: SupervisorSettings;
  /**
   * Actors drained at once. More actors in flight make larger group commits; measured here, 128
   * drained ~10 % more updates a second than 64 and keeps slow turns from idling the runtime.
   * @default 128
   */
  concurrency?: number;
  /** This process's lease owner id. @default random */
  owner?: string;
  /** Called when the last queued actor is drained (the job runner looks for work then). */
  onIdle?: () => void;
}

const INBOX_PAGE = 16;

/**
 * @example
 * ```ts
 * const supervisor = new Supervisor({ store, clock, reportError, handle, settings });
 * inbox.onQueued = (actor, updateId) => supervisor.schedule(actor, updateId);
 * await supervisor.start();
 * ```
 */
export class Supervisor {
  readonly owner: string;
  readonly #parts: RuntimeParts;
  readonly #residents: ResidentActors;
  readonly #scheduler: Scheduler;
  readonly #leases: ActorLeases;
  readonly #failures: TurnFailures;
  readonly #runner: TurnRunner;
  readonly #settled = new SettledTurns();
  readonly #directs: DirectRunner;
  readonly #probe: OutageProbe;
  /** Writes this process's tally of turns and inbox counts (`src/store/tally.ts`). */
  readonly #tally: TallyFlusher;
  /** Turns pause while a backup or restore holds the maintenance lease. */
  readonly #maintenance: MaintenanceWatch;
  readonly #discovery: Discovery;
  /** Inbox marks being deleted after drains (`#unmark`). */
  readonly #unmarks: MarkDeletions;

  constructor(deps: SupervisorDeps) {
    this.owner = deps.owner ?? `sup-${randomId(9)}`;
    const parts: RuntimeParts = {
      store: deps.store,
      clock: deps.clock,
      settings: deps.settings,
      reportError: deps.reportError,
      committer: new GroupCommitter(deps.store),
      owner: this.owner,
    };
    this.#parts = parts;
    this.#unmarks = new MarkDeletions(
      deps.store,
      parts.committer,
      deps.reportError,
      (actor) => this.schedule(actor),
    );
    // Turns count into the tally from the first drain, started or not.
    this.#tally = new TallyFlusher(deps.store, deps.clock);
    this.#tally.start();
    this.#residents = new ResidentActors(deps.clock, deps.settings);
    this.#maintenance = new MaintenanceWatch(deps.store, deps.clock, () => {
      for (const slot of this.#residents.values()) slot.session = undefined;
    });
    this.#scheduler = new Scheduler({
      clock: deps.clock,
      concurrency: deps.concurrency ?? 128,
      drain: (slot) => this.#drain(slot),
      reschedule: (actor) => this.schedule(actor),
      afterDrain: () => this.#residents.evict(false),
      onIdle: deps.onIdle,
    });
    this.#failures = new TurnFailures(parts, deps.onTurnFailed);
    const backoff = deps.settings.outageBackoff ?? OUTAGE_BACKOFF;
    this.#probe = new OutageProbe({
      clock: deps.clock,
      probeMs: backoff.probeMs ?? OUTAGE_BACKOFF.probeMs!,
      giveUpMs: backoff.maxMs,
      slots: () => this.#residents.values(),
      wake: (slot, at) => {
        slot.resumeAt = at;
        this.#scheduler.wakeAt(slot, at);
      },
    });
    this.#leases = new ActorLeases(parts, {
      actorKeys: (actor) => this.#runner.actorKeys(actor),
      adopt: (slot, entries) => void this.#runner.adopt(slot, entries),
      tookOverLapsed: (slot) => this.#failures.countCrashedAttempt(slot),
      givingUp: (slot) => this.#unmark(slot),
      afterLinger: () => this.#residents.evict(false),
      maintenance: this.#maintenance,
      stopping: () => this.#scheduler.stopping,
      othersBusy: () => this.#scheduler.busy > 1,
    });
    this.#runner = new TurnRunner(parts, deps.handle, this.#failures, this.#leases);
    this.#directs = new DirectRunner({
      parts,
      residents: this.#residents,
      scheduler: this.#scheduler,
      leases: this.#leases,
      runner: this.#runner,
      maintenance: this.#maintenance,
      probe: this.#probe,
      settled: this.#settled,
    });
    const { settings } = deps;
    this.#discovery = new Discovery({
      store: deps.store,
      clock: deps.clock,
      everyMs: settings.discoveryIntervalMs ?? discoveryIntervalMs(settings.leaseTtlMs),
      busyWith: (actor) => {
        const slot = this.#residents.get(actor);
        return slot !== undefined && (slot.draining || slot.queued || slot.wakeTimer !== null);
      },
      schedule: (actor) => this.schedule(actor),
      stopping: () => this.#scheduler.stopping,
    });
  }

  /** Actors in memory now. */
  get residentActors(): number {
    return this.#residents.size;
  }

  /** Atomic commits made by turns (for benchmarks). */
  get commits(): number {
    return this.#parts.committer.commits;
  }

  /**
   * Drains every inbox nobody owns (start-up), then keeps looking for such inboxes every
   * {@linkcode discoveryIntervalMs}, and starts evicting idle actors.
   */
  async start(): Promise<void> {
    this.#residents.startEvicting();
    await this.#discovery.sweep();
    this.#discovery.start();
  }

  /**
   * Signals new work for an actor: the update `updateId` was queued (when known, so one that
   * arrives below what its drain is about to run goes first).
   */
  schedule(actor: string, updateId?: number): void {
    if (this.#scheduler.stopping) return;
    const slot = this.#residents.slot(actor);
    if (updateId !== undefined) slot.queuedLowest = Math.min(slot.queuedLowest, updateId);
    this.#scheduler.schedule(slot);
  }

  /**
   * Finds actors with queued updates and schedules those this process is not already draining
   * or waiting on (`discovery.ts`).
   *
   * @returns the number of actors found.
   */
  sweepInboxes(): Promise<number> {
    return this.#discovery.sweep();
  }

  /**
   * Runs a just-arrived update's turn before it is queued, when its actor is free here
   * (`direct_runner.ts`). The turn's commit then makes the update durable (docs/ARCHITECTURE.md,
   * "Direct turns"); the ingest queues it otherwise.
   */
  runDirect(direct: DirectTurn): Promise<DirectOutcome> {
    return this.#directs.run(direct);
  }

  /**
   * Deletes the inbox mark of an actor whose drain ran its inbox empty (see `inbox_mark.ts`), once
   * this process gives the lease up: while it holds the lease, its own direct turns look at the
   * inbox, and an update queued meanwhile would only make the deletion fail. In the background:
   * when an update was queued since (the mark changed), the actor is scheduled again.
   */
  #unmark(slot: ActorSlot): void {
    const mark = slot.unmark;
    slot.unmark = undefined;
    if (mark !== undefined) this.#unmarks.delete(slot.name, mark);
  }

  /**
   * Resolves when the turn of `updateId` for `actor` is done in this process (committed or
   * dead-lettered), or when `signal` aborts; never rejects. The webhook waits on it when turns
   * run inside the request.
   */
  turnSettled(actor: string, updateId: number, signal: AbortSignal): Promise<void> {
    return this.#settled.wait(actor, updateId, signal);
  }

  /** Whether the turn of `updateId` for `actor` was done lately in this process. */
  isTurnSettled(actor: string, updateId: number): boolean {
    return this.#settled.isSettled(actor, updateId);
  }

  /** Resolves once nothing is queued, draining or unmarking (tests and benchmarks). */
  async whenIdle(): Promise<void> {
    await this.#scheduler.whenIdle();
    while (this.#unmarks.pending) {
      await this.#unmarks.settled();
      await this.#scheduler.whenIdle();
    }
  }

  /** Stops taking work, waits for turns in progress, releases leases, and writes the tally. */
  async stop(): Promise<void> {
    this.#discovery.stop();
    this.#residents.stopEvicting();
    this.#probe.stop();
    await this.#scheduler.stop();
    for (const slot of this.#residents.values()) {
      slot.wakeTimer?.cancel();
      await this.#leases.release(slot);
    }
    await this.#unmarks.settled();
    this.#residents.clear();
    await this.#tally.stop();
  }

  /** Supervisor-wide figures from counters. */
  getStats(): Promise<SupervisorStats> {
    const { store, settings } = this.#parts;
    return runtimeStats(store, this.#residents.size, settings.sessionGauges ?? []);
  }

  /**
   * Removes expired sessions through the expiry index and takes their gauges back.
   *
   * @returns the number of sessions cleaned.
   */
  cleanupExpiredSessions(batch = 200): Promise<number> {
    return sweepExpiredSessions(this.#parts, this.#residents, batch);
  }

  /**
   * Removes the lease records of actors without a session, among the next `batch` lease records
   * (`orphaned_leases.ts`).
   *
   * @returns the number removed.
   */
  removeOrphanedLeases(batch = 500): Promise<number> {
    return sweepOrphanedLeases(this.#parts, batch);
  }

  /** Runs the actor's queued turns in order while it holds the lease. */
  async #drain(slot: ActorSlot): Promise<void> {
    const { clock } = this.#parts;
    const scheduler = this.#scheduler;
    slot.draining = true;
    slot.lingerTimer?.cancel();
    slot.lingerTimer = null;
    /** What this drain knows the inbox mark was (`latestMark`). */
    let mark: string | null | undefined;
    try {
      while (!scheduler.stopping) {
        slot.wanted = false;
        if (slot.resumeAt > clock.now()) {
          // Paused for a Telegram outage: new updates wait behind the one that found it.
          await this.#leases.release(slot);
          scheduler.wakeAt(slot, slot.resumeAt);
          return;
        }
        if (await this.#fenced(slot)) return;
        if (!slot.keeper) {
          const taken = await this.#leases.acquire(slot);
          if (taken !== true) {
            // Someone else holds it; if they died, it lapses then and we take it over.
            scheduler.wakeAt(slot, taken.retryAt);
            return;
          }
        }
        slot.queuedLowest = Number.POSITIVE_INFINITY;
        // The inbox mark as it was before the page is read (inbox_mark.ts), deleted once the
        // page is run: the latest of what a take-over read and what the puts of the entries
        // this drain has read set it to.
        const seen = slot.inboxMark;
        slot.inboxMark = undefined;
        const page = await readInbox(this.#parts.store, slot.name, INBOX_PAGE);
        mark = latestMark(mark, seen, ...page.map((ref) => ref.versionstamp));
        slot.unmark = undefined;
        if (page.length === 0) {
          if (typeof mark === "string") slot.unmark = mark;
          else if (mark === undefined) {
            // Not known: read the mark, then the inbox again; empty still, the mark goes.
            slot.inboxMark = await readInboxMark(this.#parts.store, slot.name);
            if (slot.inboxMark !== null) continue;
            slot.inboxMark = undefined;
          }
          this.#leases.linger(slot);
          return;
        }
        let finishedPage = true;
        for (const ref of page) {
          if (scheduler.stopping) return;
          if (slot.queuedLowest < ref.entry.update_id) {
            // A lower id was queued since the page was read: the user's order says it goes
            // first, so the page is read again.
            finishedPage = false;
            break;
          }
          if (await this.#maintenance.live()) {
            await this.#leases.release(slot);
            scheduler.wakeAt(slot, clock.now() + MAINTENANCE_RECHECK_MS);
            return;
          }
          if (ref.entry.not_before > clock.now()) {
            await this.#leases.release(slot);
            scheduler.wakeAt(slot, ref.entry.not_before);
            return;
          }
          const resuming = slot.outages > 0;
          const last = page.length < INBOX_PAGE && ref === page[page.length - 1];
          const outcome = await this.#runner.run(slot, ref, last);
          this.#probe.turnEnded(slot, resuming);
          slot.lastActive = clock.now();
          if (outcome === "done") {
            slot.carried = null;
            this.#settled.settle(slot.name, ref.entry.update_id);
          }
          if (outcome === "lost" || outcome === "fenced") {
            this.#leases.forget(slot);
            if (outcome === "fenced") await this.#fenced(slot);
            return;
          }
          // Back at the top, a paused actor waits out its pause; a retry waits its not_before.
          if (outcome === "retry-later" || outcome === "paused") {
            finishedPage = false;
            break;
          }
        }
        // A short page done and nothing new signalled here: the inbox is drained, so skip
        // listing it again. Another process that queued work meanwhile runs it itself: it
        // retries the lease within a linger (see ActorLeases.acquire).
        if (finishedPage && page.length < INBOX_PAGE && !slot.wanted) {
          slot.unmark = mark as string;
          if (slot.keeper) {
            this.#leases.linger(slot);
          } else {
            // The last turn's commit released the lease.
            this.#unmark(slot);
            this.#residents.evict(false);
          }
          return;
        }
      }
    } catch (err) {
      this.#leases.forget(slot);
      // The schema fence closed while leasing or recording a failure: it logged why, once.
      if (err instanceof SchemaFenceError && await this.#fenced(slot)) return;
      // KV trouble while reading or leasing: report, back off, and let the wake timer retry.
      await this.#parts.reportError(err, "supervisor.drain");
      scheduler.wakeAt(slot, clock.now() + 1000);
    } finally {
      slot.draining = false;
      // Read by a take-over that ran no turn, the account would be stale for a later one.
      slot.account = null;
    }
  }

  /**
   * Whether the schema fence keeps this process from running turns (docs/OPERATIONS.md,
   * "Upgrading"). Waiting for a migration, the actor looks again later; stopped (the KV moved to
   * a newer schema), it never does: its inbox stays for a process of the new version.
   */
  async #fenced(slot: ActorSlot): Promise<boolean> {
    const fence = this.#parts.store.fence;
    if (!fence || await fence.ready()) return false;
    this.#leases.forget(slot);
    if (fence.status === "waiting") {
      this.#scheduler.wakeAt(slot, this.#parts.clock.now() + SCHEMA_RECHECK_MS);
    }
    return true;
  }
}
