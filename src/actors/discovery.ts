/**
 * Discovery: finding inboxes with updates nobody here is working on (what a dead process left,
 * or work queued while another process held the actor) and scheduling their actors, at start
 * and then every {@linkcode discoveryIntervalMs} (docs/ARCHITECTURE.md, "Recovery").
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Clock, type TimerHandle } from "../core/clock.ts";
import { runtimeKeys } from "../store/keys.ts";
import { type Store } from "../store/kv.ts";
import { type InboxEntry } from "./inbox.ts";

const log = getLogger(["rvx", "actors", "supervisor"]);

/**
 * How often a supervisor looks for work nobody is doing (what a dead process left): half the
 * lease TTL, so a dead owner's users run again within about one TTL and a half of its death
 * (docs/ARCHITECTURE.md, "Recovery").
 */
export function discoveryIntervalMs(leaseTtlMs: number): number {
  return Math.max(250, Math.floor(leaseTtlMs / 2));
}

/** What {@linkcode Discovery} needs. */
export interface DiscoveryDeps {
  store: Store;
  clock: Clock;
  /** Between passes, ms; 0: no passes of its own (the minute cron sweeps instead). */
  everyMs: number;
  /** Whether this process is already draining the actor, has it queued or waits on it. */
  busyWith(actor: string): boolean;
  schedule(actor: string): void;
  stopping(): boolean;
}

/**
 * @example
 * ```ts
 * const discovery = new Discovery({ store, clock, everyMs: 2500, busyWith, schedule, stopping });
 * await discovery.sweep();
 * discovery.start();
 * ```
 */
export class Discovery {
  readonly #deps: DiscoveryDeps;
  #timer: TimerHandle | null = null;
  /** A pass failed and none has worked since (logged once per streak). */
  #failing = false;

  constructor(deps: DiscoveryDeps) {
    this.#deps = deps;
  }

  /**
   * Finds actors with queued updates and schedules those this process is not already draining
   * or waiting on; an actor whose lease is live elsewhere is left to its owner (this process
   * wakes when that lease would lapse, and takes it over if it did). Costs one KV read per
   * actor with queued updates, plus one.
   *
   * @returns the number of actors found.
   */
  async sweep(): Promise<number> {
    const { store, busyWith, schedule } = this.#deps;
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
      if (!busyWith(actor)) schedule(actor);
      start = runtimeKeys.inboxAfter(actor);
    }
  }

  /** Sweeps every {@linkcode DiscoveryDeps.everyMs} until stopped. */
  start(): void {
    const { clock, everyMs } = this.#deps;
    if (everyMs <= 0) return;
    this.#timer = clock.setTimeout(async () => {
      this.#timer = null;
      if (this.#deps.stopping()) return;
      try {
        await this.sweep();
        this.#failing = false;
      } catch (err) {
        // KV trouble: the drains report it; one line here per streak, not one per pass.
        if (!this.#failing) {
          log.warn("Looking for orphaned inboxes failed: {reason}", {
            code: "DISCOVERY_FAILED",
            reason: err instanceof Error ? err.message : String(err),
          });
        }
        this.#failing = true;
      }
      if (!this.#deps.stopping()) this.start();
    }, everyMs);
  }

  stop(): void {
    this.#timer?.cancel();
    this.#timer = null;
  }
}
