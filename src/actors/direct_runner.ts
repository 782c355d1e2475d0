/**
 * The supervisor's side of direct turns (docs/ARCHITECTURE.md, "Direct turns"): a just-arrived
 * update runs its turn at once when its actor is free in this process — nothing of it queued,
 * draining or waiting here, its lease held here or free, nothing in its inbox — and is queued
 * otherwise, before the actor's slot is let go so that per-user order holds. The ingest's side
 * (the update's entry, the ack deadline, the pace) is `direct_turn.ts`.
 *
 * @module
 */
import { runtimeKeys } from "../store/keys.ts";
import { SchemaFenceError } from "../store/schema_fence.ts";
import { type ActorLeases } from "./actor_lease.ts";
import { type DirectOutcome, DirectPace, type DirectTurn } from "./direct_turn.ts";
import { InboxLooks } from "./inbox_looks.ts";
import { type MaintenanceWatch } from "./maintenance_watch.ts";
import { type OutageProbe } from "./outage_probe.ts";
import { type ActorSlot, type RuntimeParts, type TurnOutcome } from "./parts.ts";
import { type ResidentActors } from "./residents.ts";
import { type Scheduler } from "./scheduler.ts";
import { type SettledTurns } from "./settled_turns.ts";
import { type TurnRunner } from "./turn_runner.ts";

/** The supervisor's parts a direct turn uses. */
export interface DirectRunnerDeps {
  parts: RuntimeParts;
  residents: ResidentActors;
  scheduler: Scheduler;
  leases: ActorLeases;
  runner: TurnRunner;
  maintenance: MaintenanceWatch;
  probe: OutageProbe;
  settled: SettledTurns;
}

/**
 * @example
 * ```ts
 * const directs = new DirectRunner({ parts, residents, scheduler, leases, runner, maintenance, probe, settled });
 * inbox.runDirect = (direct) => directs.run(direct);
 * ```
 */
export class DirectRunner {
  readonly #deps: DirectRunnerDeps;
  readonly #pace = new DirectPace();
  readonly #looks: InboxLooks;

  constructor(deps: DirectRunnerDeps) {
    this.#deps = deps;
    this.#looks = new InboxLooks(deps.parts.store);
  }

  /** Runs `direct`'s turn if its actor is free here; queues the update when it declines. */
  async run(direct: DirectTurn): Promise<DirectOutcome> {
    const { clock, store } = this.#deps.parts;
    const slot = this.#deps.residents.slot(direct.entry.actor);
    if (slot.resumeAt > clock.now() || slot.outages > 0) return "declined";
    if (store.fence && store.fence.status !== "current") return "declined";
    const ran = this.#deps.scheduler.runNow(slot, async () => {
      // Asked with the slot held: a later update of the user that the pace lets try cannot
      // run before this one is queued.
      const outcome = this.#pace.worthTrying() ? await this.#turn(slot, direct) : "declined";
      // Queued before the slot is let go: the drain that later ids of a batch scheduled reads
      // this update with them, and runs it first (per-user order).
      if (outcome === "declined") await direct.queue().catch(() => null);
      return outcome;
    });
    return await (ran ?? "declined");
  }

  async #turn(slot: ActorSlot, direct: DirectTurn): Promise<DirectOutcome> {
    const { leases, parts } = this.#deps;
    slot.lingerTimer?.cancel();
    slot.lingerTimer = null;
    let outcome: TurnOutcome | null = null;
    try {
      if (!await this.#claim(slot) || await this.#deps.maintenance.live()) return "declined";
      outcome = await this.#deps.runner.run(slot, direct, true);
      this.#pace.ended(direct.outlasted);
      this.#deps.probe.turnEnded(slot, false);
      slot.lastActive = parts.clock.now();
    } catch (err) {
      leases.forget(slot);
      if (!(err instanceof SchemaFenceError)) await parts.reportError(err, "supervisor.direct");
      return "declined";
    } finally {
      slot.account = null;
      // As a drain ends: keep the lease a while, or leave memory when the commit released it.
      if (slot.keeper) leases.linger(slot);
      else this.#deps.residents.evict(false);
    }
    switch (outcome) {
      case "done": {
        slot.carried = null;
        // Queued at the deadline, the update set the inbox mark: its versionstamp is the put's,
        // and the drain the put scheduled deletes the mark unless something was queued since.
        const queued = await direct.queued?.catch(() => null);
        if (queued) slot.inboxMark = queued.versionstamp;
        this.#deps.settled.settle(slot.name, direct.entry.update_id);
        return "done";
      }
      case "duplicate":
        return "duplicate";
      case "lost":
      case "fenced":
        leases.forget(slot);
        return "declined";
      default:
        // Failed or paused: its entry is queued, and the drain retries it.
        slot.wanted = true;
        return "queued";
    }
  }

  /**
   * Takes or keeps the actor's lease for a direct turn: true when it is this process's and
   * nothing waits in the actor's inbox. Whichever way, that costs one read: a take-over's
   * snapshot holds the inbox mark; a lease taken back without a read has the mark read with the
   * maintenance lease; a lease held here has its inbox looked at (shared looks), because a
   * process that queued an update for an actor held elsewhere leaves its run to the holder.
   * The first two bring the account for the turn too (`Turn.account`).
   */
  async #claim(slot: ActorSlot): Promise<boolean> {
    slot.inboxMark = undefined;
    if (slot.keeper) return !await this.#looks.waiting(slot.name);
    if (await this.#deps.leases.acquire(slot) !== true) return false;
    // What the take-over's snapshot read (acquire sets it; undefined: taken back without a read).
    let mark: string | null | undefined = slot.inboxMark;
    slot.inboxMark = undefined;
    if (mark === undefined) {
      const { runner } = this.#deps;
      const [markEntry, ...account] = await this.#deps.maintenance.readWith([
        runtimeKeys.inboxMark(slot.name),
        ...runner.accountKeys(slot.name),
      ]);
      mark = markEntry.versionstamp;
      runner.keepAccount(slot, account);
    }
    return mark === null;
  }
}
