/**
 * The supervisor: drains actors' inboxes with bounded concurrency, one turn at a time per actor
 * in inbox order, under a KV lease per actor so several processes (or Deploy isolates) can share
 * one KV. It retries failing turns with backoff, dead-letters what keeps failing, sweeps expired
 * sessions, and keeps at most `ACTOR_MAX_RESIDENT` actors in memory.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Clock, type TimerHandle } from "../core/clock.ts";
import { AppError, DatabaseError } from "../core/errors.ts";
import { randomId } from "../core/ids.ts";
import { type ReportError } from "../core/report.ts";
import { backoffDelay } from "../core/retry.ts";
import { signedCount, TURN_BUDGET, type Tx } from "../core/tx.ts";
import { asLang, type Lang, resolveLanguage } from "../i18n/mod.ts";
import { GroupCommitter } from "../store/committer.ts";
import * as counters from "../store/counters.ts";
import { stageDeadLetter } from "../store/dead_letters.ts";
import { runtimeKeys } from "../store/keys.ts";
import { commitTx, type Store } from "../store/kv.ts";
import {
  acquireLease,
  checkLease,
  type HeldLease,
  isLeaseLive,
  MAINTENANCE_LEASE,
  releaseLease,
  renewLease,
} from "../store/leases.ts";
import { languageOf, profileKey } from "../store/profiles.ts";
import { dueSessions, sessionKey, sessionRead, stageExpiry } from "../store/sessions.ts";
import {
  actorUserId,
  type InboxEntry,
  loadUpdate,
  MARKER_TTL_MS,
  resolveActor,
  stageInboxRemoval,
} from "./inbox.ts";
import { isTelegramOutage, OUTAGE_BACKOFF, type OutageBackoff, outagePauseMs } from "./outage.ts";
import { emptySession, normaliseSession, type SessionState } from "./session.ts";
import {
  checkInboxEntry,
  type LoadedSession,
  loadedSession,
  stageGaugeDelta,
  stageTurnCommit,
  type Turn,
  type TurnHandler,
} from "./turn.ts";

/** The settings the supervisor runs by. */
export interface SupervisorSettings {
  leaseTtlMs: number;
  actorIdleMs: number;
  actorMaxResident: number;
  turnMaxAttempts: number;
  sessionTtlMs: number;
  defaultLanguage: Lang;
  /** Pauses of an actor whose turn found Telegram unavailable. @default 2 s doubling to 30 s */
  outageBackoff?: OutageBackoff;
}

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

/** Supervisor-wide figures, from counters (not scans). */
export interface SupervisorStats {
  active_users: number;
  users_in_news: number;
  users_in_course: number;
  users_in_quiz: number;
  pending_feedback: number;
  resident_actors: number;
  inbox_depth: number;
  dead_letters: number;
}

interface ActorSlot {
  name: string;
  draining: boolean;
  /** New work was signalled while draining. */
  wanted: boolean;
  queued: boolean;
  lease: HeldLease | null;
  /** The lease this process last released on the actor: taking it again needs no read. */
  released: HeldLease | null;
  renewTimer: TimerHandle | null;
  /** Releases the lease once the actor stayed idle for {@linkcode LEASE_LINGER_MS}. */
  lingerTimer: TimerHandle | null;
  wakeTimer: TimerHandle | null;
  /** undefined: not loaded (reload from KV before the next turn). */
  session: LoadedSession | undefined;
  lang: Lang | null;
  /** The epoch of the last lease this process held on the actor. */
  lastEpoch: number;
  lastActive: number;
  /** Turns in a row that found Telegram unavailable (0 once one goes through). */
  outages: number;
  /** When a paused actor runs its turn again. */
  resumeAt: number;
}

/** `paused`: Telegram was unavailable; the same turn runs again at `resumeAt`, no attempt used. */
type TurnOutcome = "done" | "retry-later" | "paused" | "lost";

const INBOX_PAGE = 16;
/**
 * How long a drained actor keeps its lease: a user's next update within it skips a take-over
 * and a release (two commit waits). The release that ends it re-reads the inbox, so updates
 * another process queued meanwhile wait at most this long.
 */
const LEASE_LINGER_MS = 1000;
/** Busy slots one over-the-cap eviction looks past before giving up until the next call. */
const EVICT_BUSY_SCAN = 256;
const MAINTENANCE_RECHECK_MS = 1000;
const log = getLogger(["rvx", "actors", "supervisor"]);

/**
 * @example
 * ```ts
 * const supervisor = new Supervisor({ store, clock, reportError, handle, settings });
 * inbox.onQueued = (actor) => supervisor.schedule(actor);
 * await supervisor.start();
 * ```
 */
export class Supervisor {
  readonly owner: string;
  readonly #deps: SupervisorDeps;
  readonly #committer: GroupCommitter;
  readonly #concurrency: number;
  /** Resident actors in least-recently-active order. */
  #slots = new Map<string, ActorSlot>();
  #runQueue: ActorSlot[] = [];
  #active = 0;
  #stopping = false;
  #idleWaiters: (() => void)[] = [];
  /** The maintenance lease as last read: turns pause while a backup or restore holds it. */
  #maintenance = { live: false, checkedAt: Number.NEGATIVE_INFINITY };
  #evictTimer: TimerHandle | null = null;

  constructor(deps: SupervisorDeps) {
    this.#deps = deps;
    this.owner = deps.owner ?? `sup-${randomId(9)}`;
    this.#committer = new GroupCommitter(deps.store);
    this.#concurrency = deps.concurrency ?? 128;
  }

  /** Actors in memory now. */
  get residentActors(): number {
    return this.#slots.size;
  }

  /** Atomic commits made by turns (for benchmarks). */
  get commits(): number {
    return this.#committer.commits;
  }

  /** Drains every inbox nobody owns (start-up), and starts evicting idle actors. */
  async start(): Promise<void> {
    this.#scheduleEviction();
    await this.sweepInboxes();
  }

  /** Signals new work for an actor. */
  schedule(actor: string): void {
    if (this.#stopping) return;
    const slot = this.#slot(actor);
    if (slot.draining) {
      slot.wanted = true;
      return;
    }
    if (slot.queued) return;
    slot.queued = true;
    this.#runQueue.push(slot);
    this.#pump();
  }

  /**
   * Finds actors with queued updates and schedules them; an actor whose lease is live elsewhere
   * is left to its owner (taking it over waits for the lease to lapse).
   *
   * @returns the number of actors found.
   */
  async sweepInboxes(): Promise<number> {
    const { store } = this.#deps;
    let found = 0;
    let start: Deno.KvKey | undefined;
    while (true) {
      const selector = start
        ? { prefix: runtimeKeys.inboxAll, start }
        : { prefix: runtimeKeys.inboxAll };
      const iter = store.kv.list<InboxEntry>(selector, { limit: 1 });
      const next = await iter.next();
      if (next.done) return found;
      const actor = next.value.key[1] as string;
      found++;
      this.schedule(actor);
      start = runtimeKeys.inboxAfter(actor);
    }
  }

  /** Resolves once nothing is queued or draining (tests and benchmarks). */
  whenIdle(): Promise<void> {
    if (this.#active === 0 && this.#runQueue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops taking work, waits for turns in progress, and releases leases. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#evictTimer?.cancel();
    this.#runQueue = [];
    await this.whenIdle();
    for (const slot of this.#slots.values()) {
      slot.wakeTimer?.cancel();
      await this.#release(slot);
    }
    this.#slots.clear();
  }

  /** Supervisor-wide figures from counters. */
  async getStats(): Promise<SupervisorStats> {
    const { store } = this.#deps;
    const names = [
      "sessions_active",
      "sessions_in_news",
      "sessions_in_course",
      "sessions_in_quiz",
      "sessions_pending_feedback",
      "dead_letters",
    ];
    const values = await Promise.all(names.map((name) => counters.get(store, name)));
    const depth = await store.kv.get<Deno.KvU64>(runtimeKeys.gauge("inbox_depth"));
    return {
      active_users: values[0],
      users_in_news: values[1],
      users_in_course: values[2],
      users_in_quiz: values[3],
      pending_feedback: values[4],
      dead_letters: values[5],
      resident_actors: this.#slots.size,
      inbox_depth: Math.max(0, signedCount(depth.value)),
    };
  }

  /**
   * Removes expired sessions through the expiry index and takes their gauges back.
   *
   * @returns the number of sessions cleaned.
   */
  async cleanupExpiredSessions(batch = 200): Promise<number> {
    const { store, clock } = this.#deps;
    let cleaned = 0;
    while (true) {
      const now = clock.now();
      const due = await dueSessions(store, now, batch);
      if (due.length === 0) return cleaned;
      const outcomes = await Promise.all(due.map(async (entry) => {
        const tx = store.tx();
        await stageExpiry(store, tx, entry, now);
        stageGaugeDelta(tx, entry.gauges, null);
        counters.add(tx, "sessions_cleaned");
        const outcome = await this.#committer.submit(tx);
        const slot = this.#slots.get(entry.actor);
        if (
          outcome.ok && slot && !slot.draining && slot.session?.record.createdAt === entry.createdAt
        ) {
          slot.session = undefined;
        }
        return outcome.ok;
      }));
      cleaned += outcomes.filter(Boolean).length;
      if (due.length < batch) return cleaned;
    }
  }

  // === Scheduling

  #slot(actor: string): ActorSlot {
    let slot = this.#slots.get(actor);
    if (slot) {
      // Map order is the LRU order: move to the most recent end.
      this.#slots.delete(actor);
    } else {
      slot = {
        name: actor,
        draining: false,
        wanted: false,
        queued: false,
        lease: null,
        released: null,
        renewTimer: null,
        lingerTimer: null,
        wakeTimer: null,
        session: undefined,
        lang: null,
        lastEpoch: -1,
        lastActive: this.#deps.clock.now(),
        outages: 0,
        resumeAt: 0,
      };
    }
    // Make room before inserting: the slot asked for must never be the one evicted, or a second
    // slot for the same actor could drain it at the same time.
    this.#evict(false, 1);
    this.#slots.set(actor, slot);
    return slot;
  }

  #pump(): void {
    while (this.#active < this.#concurrency && this.#runQueue.length > 0) {
      const slot = this.#runQueue.shift()!;
      slot.queued = false;
      this.#active++;
      void this.#drain(slot).finally(() => {
        this.#active--;
        // Actors busy when others arrived may have pushed the count over the cap.
        this.#evict(false);
        if (slot.wanted && !this.#stopping) {
          slot.wanted = false;
          this.schedule(slot.name);
        }
        this.#pump();
        if (this.#active === 0 && this.#runQueue.length === 0) {
          for (const resolve of this.#idleWaiters.splice(0)) resolve();
          if (!this.#stopping) this.#deps.onIdle?.();
        }
      });
    }
  }

  #wakeAt(slot: ActorSlot, at: number): void {
    slot.wakeTimer?.cancel();
    slot.wakeTimer = this.#deps.clock.setTimeout(() => {
      slot.wakeTimer = null;
      this.schedule(slot.name);
    }, Math.max(0, at - this.#deps.clock.now()));
  }

  async #drain(slot: ActorSlot): Promise<void> {
    const { clock, settings } = this.#deps;
    slot.draining = true;
    slot.lingerTimer?.cancel();
    slot.lingerTimer = null;
    try {
      while (!this.#stopping) {
        slot.wanted = false;
        if (slot.resumeAt > clock.now()) {
          // Paused for a Telegram outage: new updates wait behind the one that found it.
          await this.#release(slot);
          this.#wakeAt(slot, slot.resumeAt);
          return;
        }
        if (!slot.lease && !await this.#acquire(slot)) {
          // Someone else holds it; if they crashed, it lapses and we try again.
          this.#wakeAt(slot, clock.now() + settings.leaseTtlMs);
          return;
        }
        const page = await this.#readInbox(slot.name, INBOX_PAGE);
        if (page.length === 0) {
          this.#linger(slot);
          return;
        }
        let finishedPage = true;
        for (const { entry, versionstamp } of page) {
          if (this.#stopping) return;
          if (await this.#maintenanceLive()) {
            await this.#release(slot);
            this.#wakeAt(slot, clock.now() + MAINTENANCE_RECHECK_MS);
            return;
          }
          if (entry.not_before > clock.now()) {
            await this.#release(slot);
            this.#wakeAt(slot, entry.not_before);
            return;
          }
          const outcome = await this.#runTurn(slot, entry, versionstamp);
          slot.lastActive = clock.now();
          if (outcome === "lost") {
            this.#forget(slot);
            return;
          }
          // Back at the top, a paused actor waits out its pause; a retry waits its not_before.
          if (outcome === "retry-later" || outcome === "paused") {
            finishedPage = false;
            break;
          }
        }
        // A short page done and nothing new signalled here: the inbox is drained, so skip
        // listing it again; the check after the linger's release catches other processes' work.
        if (finishedPage && page.length < INBOX_PAGE && !slot.wanted && slot.lease) {
          this.#linger(slot);
          return;
        }
      }
    } catch (err) {
      // KV trouble while reading or leasing: report, back off, and let the wake timer retry.
      await this.#deps.reportError(err, "supervisor.drain");
      this.#forget(slot);
      this.#wakeAt(slot, clock.now() + 1000);
    } finally {
      slot.draining = false;
    }
  }

  async #readInbox(actor: string, limit: number) {
    const page: { entry: InboxEntry; versionstamp: string }[] = [];
    for await (
      const item of this.#deps.store.kv.list<InboxEntry>({ prefix: runtimeKeys.inboxOf(actor) }, {
        limit,
      })
    ) page.push({ entry: item.value, versionstamp: item.versionstamp });
    return page;
  }

  // === Leases

  /**
   * Whether a backup or restore holds the maintenance lease (read at most once a second). When
   * it ends, the generation pointer may have moved: re-read it and drop cached sessions.
   */
  async #maintenanceLive(): Promise<boolean> {
    const { store, clock } = this.#deps;
    const now = clock.now();
    if (now - this.#maintenance.checkedAt < MAINTENANCE_RECHECK_MS) return this.#maintenance.live;
    const live = await isLeaseLive(store, MAINTENANCE_LEASE, now);
    if (this.#maintenance.live && !live) {
      await store.refreshGeneration();
      for (const slot of this.#slots.values()) slot.session = undefined;
    }
    this.#maintenance = { live, checkedAt: now };
    return live;
  }

  /**
   * Takes the actor's lease. An actor not in memory has its session and language read in the
   * same snapshot as the lease, checked unchanged by the take-over: one read, not three.
   */
  async #acquire(slot: ActorSlot): Promise<boolean> {
    const { store, clock, settings } = this.#deps;
    const load = slot.session === undefined ? this.#actorKeys(slot.name) : [];
    const lease = await acquireLease(
      store,
      slot.name,
      this.owner,
      settings.leaseTtlMs,
      clock.now(),
      this.#commitLease,
      { released: slot.released ?? undefined, alongside: load },
    );
    slot.released = null;
    if (!lease) return false;
    slot.lease = lease;
    if (load.length > 0) {
      this.#adoptActor(slot, lease.alongside);
    } else if (lease.epoch !== slot.lastEpoch + 1) {
      // Another owner held it since our last lease and may have changed the session: reload it.
      slot.session = undefined;
    }
    slot.lastEpoch = lease.epoch;
    if (lease.tookOverLapsed) await this.#countCrashedAttempt(slot);
    const renewEvery = Math.max(50, Math.floor(settings.leaseTtlMs / 3));
    const renew = () => {
      slot.renewTimer = clock.setTimeout(async () => {
        if (!slot.lease || slot.lease !== lease) return;
        try {
          const renewed = await renewLease(
            store,
            lease,
            settings.leaseTtlMs,
            clock.now(),
            this.#commitLease,
          );
          if (!renewed) {
            log.warn("Lost the lease of {actor}", { actor: slot.name });
            return;
          }
        } catch (err) {
          log.warn("Renewing the lease of {actor} failed: {reason}", {
            actor: slot.name,
            reason: err instanceof Error ? err.message : String(err),
          });
        }
        if (slot.lease === lease && !this.#stopping) renew();
      }, renewEvery);
    };
    renew();
    return true;
  }

  /** The previous owner crashed mid-turn: its update's attempt is counted before it runs again. */
  async #countCrashedAttempt(slot: ActorSlot): Promise<void> {
    const [first] = await this.#readInbox(slot.name, 1);
    if (!first || !slot.lease) return;
    const tx = this.#deps.store.tx();
    checkLease(tx, slot.lease);
    const key = runtimeKeys.inbox(slot.name, first.entry.update_id);
    tx.check(key, first.versionstamp).set(key, {
      ...first.entry,
      attempts: first.entry.attempts + 1,
    });
    await commitTx(this.#deps.store, tx);
  }

  /** Keeps a drained actor's lease a while, then releases it and looks for work queued elsewhere. */
  #linger(slot: ActorSlot): void {
    slot.lingerTimer?.cancel();
    slot.lingerTimer = this.#deps.clock.setTimeout(async () => {
      slot.lingerTimer = null;
      // Stopping releases every lease itself.
      if (this.#stopping || slot.draining || slot.queued || !slot.lease) return;
      await this.#release(slot);
      this.#evict(false);
      try {
        if ((await this.#readInbox(slot.name, 1)).length > 0) this.schedule(slot.name);
      } catch (err) {
        await this.#deps.reportError(err, "supervisor.linger");
        this.#wakeAt(slot, this.#deps.clock.now() + 1000);
      }
    }, Math.min(LEASE_LINGER_MS, Math.floor(this.#deps.settings.leaseTtlMs / 3)));
  }

  async #release(slot: ActorSlot): Promise<void> {
    slot.renewTimer?.cancel();
    slot.renewTimer = null;
    slot.lingerTimer?.cancel();
    slot.lingerTimer = null;
    const lease = slot.lease;
    slot.lease = null;
    if (!lease) return;
    try {
      if (await releaseLease(this.#deps.store, lease, this.#commitLease)) slot.released = lease;
    } catch {
      // Unreleased, it simply lapses after LEASE_TTL_SECONDS.
    }
  }

  /** Lease take-overs and releases share the turns' group commits (most drains are short). */
  #commitLease = (tx: Tx) => this.#committer.submit(tx);

  #forget(slot: ActorSlot): void {
    slot.renewTimer?.cancel();
    slot.renewTimer = null;
    slot.lingerTimer?.cancel();
    slot.lingerTimer = null;
    slot.lease = null;
    slot.released = null;
    slot.session = undefined;
  }

  // === Turns

  /** The keys an actor's turns start from: its session and, for a user, the profile (language). */
  #actorKeys(actor: string): Deno.KvKey[] {
    const { generation } = this.#deps.store;
    const userId = actorUserId(actor);
    return [
      sessionKey(generation, actor),
      ...userId === null ? [] : [profileKey(generation, userId)],
    ];
  }

  /** Takes an actor's session and language from the entries of {@linkcode Supervisor.#actorKeys}. */
  #adoptActor(slot: ActorSlot, [session, profile]: Deno.KvEntryMaybe<unknown>[]): LoadedSession {
    const { clock, settings } = this.#deps;
    const now = clock.now();
    const read = sessionRead<SessionState>(session, now);
    slot.session = read.status === "live"
      ? loadedSession({ ...read.record, state: normaliseSession(read.record.state) }, true)
      // An expired session KV still holds is left to the sweep, which takes its gauges back.
      : loadedSession(
        { state: emptySession(), createdAt: now, expiresAt: now + settings.sessionTtlMs },
        false,
      );
    slot.lang = profile ? languageOf(profile) : null;
    return slot.session;
  }

  async #loadSession(slot: ActorSlot, languageCode: string | undefined) {
    const { store, settings } = this.#deps;
    const session = slot.session ??
      this.#adoptActor(slot, await store.kv.getMany(this.#actorKeys(slot.name)));
    return {
      session,
      lang: slot.lang ?? resolveLanguage(languageCode, settings.defaultLanguage),
    };
  }

  async #runTurn(
    slot: ActorSlot,
    entry: InboxEntry,
    entryVersionstamp: string,
  ): Promise<TurnOutcome> {
    const { store, clock, settings } = this.#deps;
    const lease = slot.lease!;
    const update = await loadUpdate(store, entry);
    const ref = resolveActor(update, entry.source);
    const { session, lang } = await this.#loadSession(slot, ref.languageCode);
    const turn: Turn = {
      update,
      actor: slot.name,
      userId: ref.userId,
      chatId: ref.chatId,
      source: entry.source,
      local: entry.source === "local",
      state: session.record.state,
      tx: store.tx({ ...TURN_BUDGET, overflowCode: "TURN_TOO_LARGE" }),
      clock,
      lang,
      attempt: entry.attempts + 1,
    };
    // The handler changes the cached state in place: until the commit lands, a retry or the
    // next turn reloads it from KV (a deep copy per turn measured 4 % of the runtime's CPU).
    slot.session = undefined;
    const started = clock.now();
    try {
      await this.#deps.handle(turn);
    } catch (err) {
      if (isTelegramOutage(err)) return this.#pauseForOutage(slot, turn, err);
      return await this.#failTurn(slot, entry, entryVersionstamp, turn, err);
    }
    let committed;
    try {
      committed = stageTurnCommit(turn, {
        lease,
        entry,
        session,
        sessionTtlMs: settings.sessionTtlMs,
        now: clock.now(),
      });
      counters.observe(turn.tx, "turn_ms", clock.now() - started);
    } catch (err) {
      return await this.#failTurn(slot, entry, entryVersionstamp, turn, err);
    }
    const outcome = await this.#commitDurably(turn, entry, entryVersionstamp);
    if (outcome instanceof AppError) {
      // KV refused what the turn wrote: retrying cannot help, and its replies are out.
      return await this.#deadLetter(slot, entry, entryVersionstamp, "TURN_FAILED", outcome.code);
    }
    if (outcome === "committed") {
      slot.outages = 0;
      slot.session = committed;
      slot.lang = asLang(turn.lang) ?? slot.lang;
      return "done";
    }
    if (outcome === "lost") return "lost";
    if (outcome === "already-done") return "done";
    // One of the handler's own checks failed: never re-run a handler that already replied.
    return await this.#deadLetter(
      slot,
      entry,
      entryVersionstamp,
      "COMMIT_CONFLICT",
      "COMMIT_CONFLICT",
    );
  }

  /**
   * Commits a turn, retrying the same commit (never the handler) while KV fails. From the first
   * retry on, an inbox-entry check tells a commit that went through before a failure from one
   * that did not. An error that is not KV failing (a malformed key or value) is reported and
   * returned: it would fail every retry.
   */
  async #commitDurably(
    turn: Turn,
    entry: InboxEntry,
    entryVersionstamp: string,
  ): Promise<"committed" | "lost" | "already-done" | "conflict" | AppError> {
    const { clock } = this.#deps;
    for (let attempt = 1;; attempt++) {
      if (attempt === 2) checkInboxEntry(turn.tx, entry, entryVersionstamp);
      try {
        const outcome = await this.#committer.submit(turn.tx);
        if (outcome.ok) return "committed";
        const failed = outcome.failedChecks.map((c) => String(c.key[0]));
        if (failed.includes("lease")) return "lost";
        if (failed.includes("inbox")) return "already-done";
        return "conflict";
      } catch (err) {
        if (!(err instanceof DatabaseError)) {
          return await this.#deps.reportError(err, "turn.commit", turn.userId ?? undefined);
        }
        // Reported once per turn: the store logs when commits start failing and when they
        // work again, so a long outage is not an error line (and audit write) per retry.
        if (attempt === 1) {
          await this.#deps.reportError(err, "turn.commit", turn.userId ?? undefined);
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
   * Telegram was unavailable: nothing of the turn is kept and no attempt is counted (the inbox
   * entry stays as it was), so an outage of any length never dead-letters an update. The turn
   * runs again after a pause; its analysis comes from the cache then, not the provider.
   */
  #pauseForOutage(slot: ActorSlot, turn: Turn, err: unknown): TurnOutcome {
    const { clock, settings } = this.#deps;
    slot.outages++;
    const pauseMs = outagePauseMs(err, slot.outages, settings.outageBackoff ?? OUTAGE_BACKOFF);
    slot.resumeAt = clock.now() + pauseMs;
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

  async #failTurn(
    slot: ActorSlot,
    entry: InboxEntry,
    entryVersionstamp: string,
    turn: Turn,
    err: unknown,
  ): Promise<TurnOutcome> {
    const { store, clock, settings } = this.#deps;
    const reportTx = store.tx();
    const appError = await this.#deps.reportError(err, "turn", turn.userId ?? undefined, reportTx);
    const attempts = entry.attempts + 1;
    if (attempts === 1 && this.#deps.onTurnFailed) {
      await this.#deps.onTurnFailed(turn, appError).catch((notifyError) =>
        log.warn("Could not tell {actor} about a failed turn: {reason}", {
          actor: slot.name,
          reason: notifyError instanceof Error ? notifyError.message : String(notifyError),
        })
      );
    }
    if (attempts >= settings.turnMaxAttempts || appError.code === "TURN_TOO_LARGE") {
      return await this.#deadLetter(
        slot,
        entry,
        entryVersionstamp,
        "TURN_FAILED",
        appError.code,
        reportTx,
      );
    }
    const key = runtimeKeys.inbox(entry.actor, entry.update_id);
    checkLease(reportTx, slot.lease!);
    reportTx.check(key, entryVersionstamp).set(key, {
      ...entry,
      attempts,
      not_before: clock.now() + backoffDelay(attempts, { baseMs: 1000, maxMs: 30_000, jitter: 0 }),
    });
    return await this.#commitOwn(reportTx) ? "retry-later" : "lost";
  }

  async #deadLetter(
    slot: ActorSlot,
    entry: InboxEntry,
    entryVersionstamp: string,
    reason: string,
    errorCode: string,
    tx = this.#deps.store.tx(),
  ): Promise<TurnOutcome> {
    const { store, clock } = this.#deps;
    const update = await loadUpdate(store, entry);
    checkLease(tx, slot.lease!);
    tx.check(runtimeKeys.inbox(entry.actor, entry.update_id), entryVersionstamp);
    stageDeadLetter(tx, {
      actor: entry.actor,
      user_id: actorUserId(entry.actor),
      source: entry.source,
      update_id: entry.update_id,
      update: JSON.stringify(update),
      reason,
      error_code: errorCode,
      attempts: entry.attempts + 1,
    }, clock.now());
    stageInboxRemoval(tx, entry);
    tx.set(
      runtimeKeys.updateMarker(entry.source, entry.update_id),
      { state: "dead", actor: entry.actor, at: clock.now() },
      { expireIn: MARKER_TTL_MS },
    );
    counters.add(tx, "turns_failed");
    log.error("Update {updateId} of {actor} moved to dead letters: {reason} {code}", {
      updateId: entry.update_id,
      actor: entry.actor,
      reason,
      code: errorCode,
    });
    return await this.#commitOwn(tx) ? "done" : "lost";
  }

  /** Commits a supervisor-made tx (failure bookkeeping) through the group committer. */
  async #commitOwn(tx: ReturnType<Store["tx"]>): Promise<boolean> {
    const outcome = await this.#committer.submit(tx);
    return outcome.ok;
  }

  // === Memory

  #scheduleEviction(): void {
    const every = Math.max(1000, Math.floor(this.#deps.settings.actorIdleMs / 2));
    this.#evictTimer = this.#deps.clock.setTimeout(() => {
      this.#evict(true);
      if (!this.#stopping) this.#scheduleEviction();
    }, every);
  }

  /**
   * Drops idle actors (or, over the cap, the least recently active ones that are not busy).
   *
   * @param room slots about to be added, counted against the cap.
   */
  #evict(idleOnly: boolean, room = 0): void {
    const { clock, settings } = this.#deps;
    const cutoff = clock.now() - settings.actorIdleMs;
    let busySkipped = 0;
    for (const slot of this.#slots.values()) {
      const overCap = this.#slots.size + room > settings.actorMaxResident;
      if (!idleOnly && !overCap) break;
      const busy = slot.draining || slot.queued || slot.lease !== null || slot.wakeTimer !== null;
      if (busy) {
        // Under a backlog the oldest slots are queued ones: bound the cost of one call, the
        // next call (a drain ending, a new actor) goes on where busy ones became idle.
        if (!idleOnly && ++busySkipped > EVICT_BUSY_SCAN) break;
        continue;
      }
      if (overCap || slot.lastActive <= cutoff) this.#slots.delete(slot.name);
    }
  }
}
