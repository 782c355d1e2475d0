/**
 * The `recovery` group: how long a dead process's users wait. Two `main.ts` children (webhook
 * mode, default settings, offline analysis) share one KV file; a burst of news texts from 300
 * users goes to the first only, over 40 connections, and the first is SIGKILLed once 60 % of the
 * burst is acknowledged. The second keeps running; nobody tells it about the first's users and no
 * new update comes from them.
 *
 * - `recovery_after_kill_s`: from the kill until every update the killed process acknowledged
 *   has been handled (the survivor's `/api/v1/stats` shows an empty inbox, polled every 50 ms,
 *   and every acknowledged update's user has at least as many cards as acknowledged updates).
 * - `recovery_pending_at_kill`: acknowledged updates whose card had not been delivered at the
 *   kill (what the survivor had to finish; 0 would make the figure meaningless).
 * - `lease_renewals_per_busy_actor_s`: lease writes per second of an actor whose turn runs a
 *   minute (default TTL, injected clock, KV file): what keeping a lease costs.
 * - `discovery_reads_per_pass_idle`, `discovery_reads_per_pass_100_foreign`: KV reads per
 *   discovery pass of a supervisor over a minute, with every inbox empty, and with 100 actors
 *   holding queued updates under a live peer's leases (injected clock, one KV file, two stores).
 *
 * Run: `deno run -A bench/recovery.ts`, or `deno task bench ops` (the runner imports
 * {@linkcode runRecoveryBench} into the `ops` group).
 *
 * @module
 */
import { discoveryIntervalMs } from "../src/actors/discovery.ts";
import { createConfig } from "../src/config.ts";
import { FakeClock } from "../src/core/clock.ts";
import { type Store } from "../src/store/kv.ts";
import { startFakeBotApi } from "../tests/support/fake_bot_api.ts";
import { createRuntime, textUpdate } from "../tests/support/runtime.ts";
import { fileStore } from "../tests/support/store.ts";
import { post } from "../tests/system/driver.ts";
import { type BotProcess, cardsByChat, spawnBot, stats, tail } from "../tests/system/support.ts";
import { print, progress, round } from "./support.ts";

const USERS = 300;
const PER_USER = 4;
const CONNECTIONS = 40;
const KILL_AT_SHARE = 0.6;
const ENV = {
  FLOOD_COOLDOWN_SECONDS: "0",
  // The survivor's stats are polled every 50 ms.
  API_RATE_LIMIT_REQUESTS: "100000",
};

function newsText(user: number, n: number): string {
  return `Exchange ${user}-${n} lists a new token after bitcoin ETF inflows hit a record high`;
}

function pendingAcked(acked: Map<number, number>, cards: Map<number, number>): number {
  let pending = 0;
  for (const [user, n] of acked) pending += Math.max(0, n - (cards.get(user) ?? 0));
  return pending;
}

/** Counts a store's KV reads and its writes of lease expiries from now on. */
function countKv(store: Store): { reads: number; leaseWrites: number } {
  const counts = { reads: 0, leaseWrites: 0 };
  const kv = store.kv as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of ["get", "getMany", "list"]) {
    const method = kv[name].bind(kv);
    kv[name] = (...args: unknown[]) => {
      counts.reads++;
      return method(...args);
    };
  }
  const atomic = store.kv.atomic.bind(store.kv);
  kv.atomic = () => {
    const op = atomic();
    const mutate = op.mutate.bind(op);
    op.mutate = (...mutations) => {
      counts.leaseWrites += mutations.filter((m) => m.key[0] === "lease_expiry").length;
      return mutate(...mutations);
    };
    return op;
  };
  return counts;
}

/** What keeping leases and looking for orphaned work cost (see the module doc). */
async function measureLeaseCosts(dir: string): Promise<Record<string, number>> {
  const leaseTtlMs = createConfig({}).leaseTtlSeconds * 1000;
  const settings = { leaseTtlMs };
  const minute = 60_000;
  const advance = async (clock: FakeClock, ms: number, idle: () => Promise<void>) => {
    for (let t = 0; t < ms; t += 250) {
      await clock.advance(250);
      await idle();
    }
  };
  // One actor busy for a minute.
  const store = await fileStore(`${dir}/renewal.kv`);
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const busy = createRuntime({ store, clock, settings, handle: () => clock.sleep(2 * minute) });
  await busy.inbox.ingest([textUpdate(1, 1)]);
  const renewal = countKv(store);
  await advance(clock, minute, () => Promise.resolve());
  // Its turn never ends on this clock: the store closes under it, and its timers never fire.
  store.close();
  // A supervisor looking while a live peer holds 0 or 100 actors with queued updates.
  const discovery: number[] = [];
  for (const foreign of [0, 100]) {
    const path = `${dir}/discovery-${foreign}.kv`;
    const [mine, theirs] = [await fileStore(path), await fileStore(path)];
    const shared = new FakeClock(Date.UTC(2026, 0, 1));
    const peer = createRuntime({
      store: theirs,
      clock: shared,
      owner: "peer",
      settings,
      handle: () => new Promise(() => {}),
    });
    for (let u = 1; u <= foreign; u++) {
      await peer.inbox.ingest([textUpdate(u * 2, u), textUpdate(u * 2 + 1, u)]);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const looking = createRuntime({
      store: mine,
      clock: shared,
      settings,
      handle: () => Promise.resolve(),
    });
    await looking.supervisor.start();
    const counts = countKv(mine);
    await advance(shared, minute, () => looking.supervisor.whenIdle());
    discovery.push(counts.reads / (minute / discoveryIntervalMs(leaseTtlMs)));
    await looking.supervisor.stop();
    mine.close();
    theirs.close();
  }
  return {
    lease_renewals_per_busy_actor_s: round(renewal.leaseWrites / (minute / 1000), 2),
    discovery_reads_per_pass_idle: round(discovery[0], 1),
    discovery_reads_per_pass_100_foreign: round(discovery[1], 1),
  };
}

/** Measures the group's figures (see the module doc). */
export async function runRecoveryBench(): Promise<Record<string, number>> {
  const dir = await Deno.makeTempDir({ prefix: "rvx-bench-recovery-" });
  await using fake = startFakeBotApi();
  const kvPath = `${dir}/rvx.kv`;
  let doomed: BotProcess | undefined;
  let survivor: BotProcess | undefined;
  try {
    doomed = await spawnBot({ fake, kvPath, env: ENV });
    survivor = await spawnBot({ fake, kvPath, env: ENV });
    const target = doomed;
    // Each user's updates go one after another, as a person types them.
    const acked = new Map<number, number>();
    let ackedTotal = 0;
    let killedAt = 0;
    const killed = Promise.withResolvers<void>();
    const users = Array.from({ length: USERS }, (_, i) => 1_000 + i);
    progress(`recovery: ${USERS * PER_USER} updates to one process, killed at 60 %`);
    const send = async (user: number) => {
      for (let n = 0; n < PER_USER && killedAt === 0; n++) {
        const status = await post(
          target.hook,
          fake.textUpdate({ userId: user, text: newsText(user, n) }),
        );
        if (status !== 200 || killedAt !== 0) return;
        acked.set(user, (acked.get(user) ?? 0) + 1);
        if (++ackedTotal >= USERS * PER_USER * KILL_AT_SHARE && killedAt === 0) {
          killedAt = performance.now();
          target.child.kill("SIGKILL");
          killed.resolve();
        }
      }
    };
    const senders = Array.from({ length: CONNECTIONS }, async (_, worker) => {
      for (let i = worker; i < users.length; i += CONNECTIONS) await send(users[i]);
    });
    await Promise.race([killed.promise, Promise.all(senders)]);
    if (killedAt === 0) throw new Error("Cannot measure recovery: the burst ended before the kill");
    const pendingAtKill = pendingAcked(acked, cardsByChat(fake));
    await Promise.all(senders);
    await target.done;
    const deadline = killedAt + 120_000;
    while (true) {
      const now = performance.now();
      if (now > deadline) {
        throw new Error(`Acknowledged updates still unanswered after 120 s\n${tail(survivor)}`);
      }
      const depth = (await stats(survivor)).inbox_depth;
      if (depth === 0 && pendingAcked(acked, cardsByChat(fake)) === 0) {
        const figures = {
          recovery_after_kill_s: round((now - killedAt) / 1000, 2),
          recovery_pending_at_kill: pendingAtKill,
        };
        await survivor.kill();
        return { ...figures, ...await measureLeaseCosts(dir) };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await doomed?.kill();
    await survivor?.kill();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const figures = await runRecoveryBench();
  for (const [name, value] of Object.entries(figures)) print(`${name}=${value}`);
}
