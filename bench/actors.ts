/**
 * Actors benchmark: our runtime (ingest → durable inbox → supervisor → turn → group commit)
 * against grammY's `session()` on a plain Deno KV adapter with per-chat sequentializing, on
 * file-backed KV in a temp dir, in one run, with the same trivial handler (count in the session,
 * reply "ok") and Bot API calls answered in-process by {@linkcode LocalApi} (`exclusive: true`).
 * Logging stays unconfigured (silent); a failed turn fails the group instead.
 *
 * Run: `deno run -A bench/actors.ts`. The bench runner imports {@linkcode runActorsBench}.
 *
 * Figures:
 * - `baseline_updates_per_s`, `actors_updates_per_s`, `actors_vs_baseline_ratio`: 20 000 updates
 *   over 2 000 users (seeded random order), 64 in flight, end to end (first update offered until
 *   every turn is committed). Ours runs once; the baseline runs half before and half after it.
 * - `commits_per_update`, `kv_writes_per_update`, `kv_reads_per_update`, `cpu_ms_per_update`,
 *   `kv_kb_written_per_update` and the baseline's: what that run cost per update. Commits: every
 *   atomic commit (ingest and turn group commits, lease take-overs and releases; the baseline's
 *   `kv.set`). Writes: sets, deletes and sums inside them. Reads: `get`, `getMany` and `list`
 *   calls. CPU: the process's user + system time, all threads (JS and KV's SQLite worker). KiB
 *   written: what the process handed to write calls (`wchar` of /proc/self/io: SQLite's
 *   write-ahead log frames, one 4 KiB page each, and checkpoints into the database file).
 * - `ingest_ack_p50_ms`, `ingest_ack_p99_ms`, `turn_p50_ms`, `turn_p99_ms`, `paced_drain_ms`: a
 *   paced run offering one update per ms on real timers, after the throughput run. Ack = one
 *   `ingest` call until its promise resolves (for a direct turn, after its commit). Turn = that
 *   call until the commit whose session record lists the update as finished is durable (seen by
 *   wrapping the store's `kv.atomic`): the lease, the reads, the handler and the group commit,
 *   and for a queued update the wait for a drain. Drain = how long after the last ack the last
 *   turn committed.
 * - `rss_growth_mb_100k_users`, `baseline_rss_growth_mb_100k_users`, `heap_growth_mb_100k_users`:
 *   in a fresh child process started with `--expose-gc`, RSS after driving 100 000 distinct users
 *   through one update each minus RSS before (both after GCs), with the default settings
 *   (`ACTOR_MAX_RESIDENT` 10 000); the baseline the same way. The probes' KV files live on tmpfs
 *   when there is one (see {@linkcode probeDir}); the throughput and latency runs use the disk.
 *   `rss_outside_heap_mb_100k_users` and the baseline's: the anonymous RSS growth minus what V8
 *   reports for its heap (`heapTotal`): heap pages the last full GC freed, which V8's memory pool
 *   keeps for 8 s (`--memory-pool-timeout`) before giving them back, and memory the C allocator
 *   keeps after KV's native code freed it. The pool is as large as the old generation was at its
 *   peak, and V8 lets that grow to several times its live size between full GCs, so the figure
 *   follows the live heap (ours holds up to `ACTOR_MAX_RESIDENT` actors), not a leak.
 *   `rss_retained_mb_100k_users` and the baseline's, `heap_retained_mb_100k_users`: the same
 *   growth with both readings taken once the process has been quiet for {@linkcode QUIET_MS}
 *   (then GCs): what the users left behind once V8 gave its pool back.
 *
 * - `idle_returning_user_kv_writes_per_update`, `idle_returning_user_kv_reads_per_update`: the
 *   same users once more, one update each, to a fresh runtime on that KV file (users coming
 *   back to an isolate that never saw them: their sessions exist).
 * - `idle_user_kv_writes_per_update`, `idle_user_kv_reads_per_update`, `serial_commits_idle_user`:
 *   on a fresh runtime and KV file, 20 users send one update each, one at a time (a
 *   Deploy isolate's usual load), each measured from its ingest until its actor's lease is
 *   released after the linger. Both idle runs wire the runtime as on Deploy: no discovery pass
 *   of its own (the minute cron looks for orphaned inboxes there), so a long-lived process's
 *   0.4 `list` calls a second of them are not charged to the few updates. Serial commits: atomic commits between the ingest call and the
 *   handler's reply (what the user waits for besides the handler: the take-over for a direct
 *   turn; the inbox entry and the take-over for a queued one). The progress lines also give
 *   the writes per update by record family, for this run and the 64-in-flight one.
 *
 * Targets: ratio ≥ 3, KiB written per update and RSS growth ≤ the baseline's, ack p99 ≤ 20 ms,
 * idle-user writes ≤ 2.5 and reads ≤ 1.
 *
 * @module
 */
import process from "node:process";
import {
  Bot,
  Composer,
  type Context,
  session,
  type SessionFlavor,
  type StorageAdapter,
} from "grammy";
import { type Update, type User, type UserFromGetMe } from "grammy/types";
import { Inbox } from "../src/actors/inbox.ts";
import { Supervisor, type SupervisorSettings } from "../src/actors/supervisor.ts";
import { createBot, turnHandler } from "../src/bot/bot.ts";
import { type BotContext } from "../src/bot/context.ts";
import { LocalApi } from "../src/bot/transport/local.ts";
import { createConfig } from "../src/config.ts";
import { systemClock } from "../src/core/clock.ts";
import { createErrorReporter, type ReportError } from "../src/core/report.ts";
import { KvAuditSink } from "../src/store/audit.ts";
import { GroupCommitter } from "../src/store/committer.ts";
import { KvMetricsSink } from "../src/store/counters.ts";
import { type KvCounts, type KvObserver, observeKv } from "./kv_observer.ts";
import { openStore, type Store } from "../src/store/kv.ts";
import { SchemaFence } from "../src/store/schema_fence.ts";
import { runMigrations } from "../src/store/schema_upgrade.ts";
import { percentile, print, progress, round, runBounded, runPaced } from "./support.ts";

const UPDATES = 20_000;
const USERS = 2_000;
const IN_FLIGHT = 64;
const WARMUP_UPDATES = 1_000;
const PACED_UPDATES = 5_000;
const RSS_USERS = 100_000;
/**
 * How long the memory probe waits before a quiet reading: V8 shrinks an idle heap 8 s after its
 * last GC (`--memory-reducer-delay-ms`) and gives the pages it freed back 8 s after that
 * (`--memory-pool-timeout`); measured here, both sides' RSS stopped falling within 20–30 s.
 */
const QUIET_MS = 30_000;
/** User ids of the measured runs start here; warm-ups use their own range. */
const USER_BASE = 1_000_000;
const WARMUP_USER_BASE = 9_000_000;
/** Idle users sent one update each, one at a time, after the other runs. */
const IDLE_USERS = 20;
const IDLE_USER_BASE = 7_000_000;
/** Longer than the drained actor's lease linger (1 s), so each update's release is counted. */
const IDLE_LINGER_WAIT_MS = 1200;

const BOT_INFO = {
  id: 1,
  is_bot: true,
  first_name: "RVX",
  username: "rvx_bench_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

// === Workload

/** A private-chat text message from a user, as Telegram sends it. */
function textUpdate(updateId: number, userId: number): Update {
  const from: User = { id: userId, is_bot: false, first_name: `U${userId}`, language_code: "en" };
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1_767_225_600,
      chat: { id: userId, type: "private", first_name: from.first_name },
      from,
      text: `message ${updateId}`,
    },
  };
}

/** A small deterministic generator, so both sides get the same order every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return function next() {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` updates with ids from `firstId`, each from one of `users` users picked at random. */
function workload(count: number, users: number, userBase: number, firstId: number): Update[] {
  const random = seededRandom(count * 31 + users);
  return Array.from(
    { length: count },
    (_, i) => textUpdate(firstId + i, userBase + Math.floor(random() * users)),
  );
}

// === Baseline: grammY session() on a plain KV adapter

interface CounterSession {
  count: number;
}

type BaselineContext = Context & SessionFlavor<CounterSession>;

/** grammY's storage contract over plain `kv.get`/`kv.set`: one read and one write per update. */
function kvSessionStorage(kv: Deno.Kv): StorageAdapter<CounterSession> {
  return {
    async read(key) {
      return (await kv.get<CounterSession>(["session", key])).value ?? undefined;
    },
    async write(key, value) {
      await kv.set(["session", key], value);
    },
    async delete(key) {
      await kv.delete(["session", key]);
    },
  };
}

interface Baseline {
  /** Handles one update after the previous one of its chat. */
  handle(update: Update): Promise<void>;
  readonly handled: number;
}

function createBaseline(kv: Deno.Kv): Baseline {
  const bot = new Bot<BaselineContext>("0:bench", { botInfo: BOT_INFO });
  bot.api.config.use(
    new LocalApi({ botInfo: BOT_INFO, clock: systemClock, exclusive: true })
      .transformer,
  );
  bot.use(session({ initial: () => ({ count: 0 }), storage: kvSessionStorage(kv) }));
  let handled = 0;
  bot.on("message", async (ctx) => {
    ctx.session.count++;
    handled++;
    await ctx.reply("ok");
  });
  // Per-chat sequentializing: each update of a chat waits for the one before it.
  const tails = new Map<number, Promise<void>>();
  return {
    get handled() {
      return handled;
    },
    handle(update) {
      const chatId = update.message!.chat.id;
      const run = (tails.get(chatId) ?? Promise.resolve()).then(() => bot.handleUpdate(update));
      tails.set(chatId, run);
      return run.finally(() => {
        if (tails.get(chatId) === run) tails.delete(chatId);
      });
    },
  };
}

// === Ours: ingest + supervisor + turns in local mode

interface Runtime {
  store: Store;
  inbox: Inbox;
  supervisor: Supervisor;
  observer: KvObserver;
  readonly handled: number;
  /**
   * The commit count when the latest handler replied. One number, not one per update: the memory
   * probe drives 100 000 users through this runtime, and a map of them would be charged to it.
   */
  readonly commitsAtLastReply: number;
  /** Throws when any turn failed (logging is off, so failures would otherwise pass unseen). */
  assertNoFailures(): void;
  close(): Promise<void>;
}

/**
 * The runtime as `main.ts` wires it, with the default settings.
 *
 * @param onDeploy wire it as on Deno Deploy, where the minute cron looks for orphaned inboxes
 * instead of a discovery pass every 2.5 s (one `list` each, whatever the traffic).
 */
async function createRuntime(path: string, onDeploy = false): Promise<Runtime> {
  const config = createConfig({});
  const settings: SupervisorSettings = {
    discoveryIntervalMs: onDeploy ? 0 : undefined,
    leaseTtlMs: config.leaseTtlSeconds * 1000,
    actorIdleMs: config.actorIdleSeconds * 1000,
    actorMaxResident: config.actorMaxResident,
    turnMaxAttempts: config.turnMaxAttempts,
    sessionTtlMs: config.sessionTtlSeconds * 1000,
    defaultLanguage: config.defaultLanguage,
  };
  const clock = systemClock;
  const store = await openStore(path);
  await runMigrations(store);
  // Commits carry the schema fence's check, as in main.ts (docs/OPERATIONS.md, "Upgrading").
  store.fence = await SchemaFence.open(store, clock);
  const observer = observeKv(store.kv);
  const metrics = new KvMetricsSink(store, { clock });
  const failures: string[] = [];
  const report = createErrorReporter({ audit: new KvAuditSink(store, clock), metrics });
  const reportError: ReportError = (err, operation, userId, tx) => {
    failures.push(`${operation}: ${err instanceof Error ? err.message : String(err)}`);
    return report(err, operation, userId, tx);
  };
  const local = new LocalApi({ botInfo: BOT_INFO, clock, exclusive: true });
  let handled = 0;
  let commitsAtLastReply = 0;
  const feature = new Composer<BotContext>();
  feature.on("message", async (ctx) => {
    const { state } = ctx.turn;
    state.count = (typeof state.count === "number" ? state.count : 0) + 1;
    handled++;
    commitsAtLastReply = observer.counts.commits;
    await ctx.reply("ok");
  });
  const bot = createBot({
    token: "0:bench",
    botInfo: BOT_INFO,
    features: [feature],
    transformers: [local.transformer],
  });
  const inbox = new Inbox({ store, committer: new GroupCommitter(store), clock, metrics });
  const supervisor = new Supervisor({
    store,
    clock,
    reportError,
    handle: turnHandler(bot, store),
    settings,
  });
  inbox.onQueued = (actor, updateId) => supervisor.schedule(actor, updateId);
  inbox.runDirect = (direct) => supervisor.runDirect(direct);
  await supervisor.start();
  return {
    store,
    inbox,
    supervisor,
    observer,
    get handled() {
      return handled;
    },
    get commitsAtLastReply() {
      return commitsAtLastReply;
    },
    assertNoFailures() {
      if (failures.length > 0) {
        throw new Error(
          `Cannot report actors figures: ${failures.length} turns failed, first: ${failures[0]}`,
        );
      }
    },
    async close() {
      await supervisor.stop();
      await metrics.flush();
      store.close();
    },
  };
}

/** Ingests one update, refusing anything but "queued" (a benchmark of dropped updates is void). */
async function ingestOne(inbox: Inbox, update: Update): Promise<void> {
  const [result] = await inbox.ingest([update], "tg");
  if (result.status !== "queued") {
    throw new Error(`Cannot benchmark: update ${update.update_id} was ${result.status}`);
  }
}

// === Runs

interface Side {
  updates: number;
  seconds: number;
  /** Process CPU time (every thread: JS and KV's SQLite worker), ms. */
  cpuMs: number;
  /** Bytes the process wrote to files (KV's write-ahead log and checkpoints); NaN off Linux. */
  writtenBytes: number;
  counts: KvCounts;
}

function emptySide(): Side {
  return {
    updates: 0,
    seconds: 0,
    cpuMs: 0,
    writtenBytes: 0,
    counts: { commits: 0, writes: 0, reads: 0, keysRead: 0 },
  };
}

function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** Bytes this process has passed to write calls (`wchar` of /proc/self/io, Linux). */
function writtenBytes(): number {
  try {
    return Number(/^wchar: (\d+)$/m.exec(Deno.readTextFileSync("/proc/self/io"))?.[1]);
  } catch {
    return NaN;
  }
}

/** Adds what `run` did to `side`: its time, CPU, file writes and the KV calls made meanwhile. */
async function measure(side: Side, observer: KvObserver, count: number, run: () => Promise<void>) {
  const before = { ...observer.counts };
  const cpuBefore = cpuMs();
  const writtenBefore = writtenBytes();
  const started = performance.now();
  await run();
  side.seconds += (performance.now() - started) / 1000;
  side.cpuMs += cpuMs() - cpuBefore;
  side.writtenBytes += writtenBytes() - writtenBefore;
  side.updates += count;
  for (const name of ["commits", "writes", "reads"] as const) {
    side.counts[name] += observer.counts[name] - before[name];
  }
}

/** What moved in `after` since `before`, by name. */
function familiesDelta(
  before: Map<string, number>,
  after: Map<string, number>,
): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [name, n] of after) {
    const moved = n - (before.get(name) ?? 0);
    if (moved > 0) delta.set(name, moved);
  }
  return delta;
}

function perUpdate(side: Side, name: keyof KvCounts): number {
  return round(side.counts[name] / side.updates, 3);
}

async function runBaseline(baseline: Baseline, updates: Update[]): Promise<void> {
  const before = baseline.handled;
  await runBounded(updates.length, IN_FLIGHT, (i) => baseline.handle(updates[i]));
  if (baseline.handled - before !== updates.length) {
    throw new Error(`Baseline handled ${baseline.handled - before} of ${updates.length} updates`);
  }
}

/** From the first ingest until every turn is committed. */
async function runOurs(runtime: Runtime, updates: Update[]): Promise<void> {
  const before = runtime.handled;
  await runBounded(updates.length, IN_FLIGHT, (i) => ingestOne(runtime.inbox, updates[i]));
  await runtime.supervisor.whenIdle();
  if (runtime.handled - before !== updates.length) {
    throw new Error(`Our runtime handled ${runtime.handled - before} of ${updates.length} updates`);
  }
}

/** What one update costs from an idle user, one at a time (a Deploy isolate's usual load). */
interface IdleUserRun {
  writesPerUpdate: number;
  readsPerUpdate: number;
  commitsPerUpdate: number;
  /** Commits between the ingest's ack and the handler's first reply. */
  serialCommits: number;
  /** Writes by record family over the run. */
  families: Map<string, number>;
}

/**
 * Sends one update each from `updates.length` users never seen before, one at a time, each
 * measured from its ingest until its actor's lease is released after the linger.
 */
async function runIdleUsers(runtime: Runtime, updates: Update[]): Promise<IdleUserRun> {
  const { observer } = runtime;
  const before = { ...observer.counts };
  const familiesBefore = new Map(observer.families);
  let serial = 0;
  for (const update of updates) {
    // The runtime is idle: every commit from here to the reply is one the user waits on.
    const beforeIngest = observer.counts.commits;
    await ingestOne(runtime.inbox, update);
    await runtime.supervisor.whenIdle();
    // One update at a time: the latest reply is this update's.
    serial += runtime.commitsAtLastReply - beforeIngest;
    // The drained actor keeps its lease for a second, then releases it.
    await new Promise((resolve) => setTimeout(resolve, IDLE_LINGER_WAIT_MS));
  }
  return {
    writesPerUpdate: round((observer.counts.writes - before.writes) / updates.length, 3),
    readsPerUpdate: round((observer.counts.reads - before.reads) / updates.length, 3),
    commitsPerUpdate: round((observer.counts.commits - before.commits) / updates.length, 3),
    serialCommits: round(serial / updates.length, 3),
    families: familiesDelta(familiesBefore, observer.families),
  };
}

/** Writes per update by family, as a progress line. */
function familyLine(families: Map<string, number>, updates: number): string {
  return [...families].sort(([, a], [, b]) => b - a)
    .map(([name, n]) => `${name} ${round(n / updates, 3)}`).join(", ");
}

interface LatencyRun {
  ackP50Ms: number;
  ackP99Ms: number;
  turnP50Ms: number;
  turnP99Ms: number;
  /** How far behind the runtime finished: last commit after the last ack. */
  drainMs: number;
}

async function runPacedLatency(runtime: Runtime, updates: Update[]): Promise<LatencyRun> {
  const acks: number[] = [];
  const offeredAt = new Map<number, number>();
  let lastAck = 0;
  runtime.observer.processedAt.clear();
  runtime.observer.recording = true;
  await runPaced(updates.length, 1, async (i) => {
    const began = performance.now();
    offeredAt.set(updates[i].update_id, began);
    await ingestOne(runtime.inbox, updates[i]);
    const at = performance.now();
    acks.push(at - began);
    lastAck = at;
  });
  await runtime.supervisor.whenIdle();
  runtime.observer.recording = false;
  const turns: number[] = [];
  let lastCommit = lastAck;
  for (const [id, offered] of offeredAt) {
    const committed = runtime.observer.processedAt.get(id);
    if (committed === undefined) throw new Error(`Update ${id} was never seen committed`);
    turns.push(committed - offered);
    lastCommit = Math.max(lastCommit, committed);
  }
  const drainMs = lastCommit - lastAck;
  return {
    ackP50Ms: percentile(acks, 50),
    ackP99Ms: percentile(acks, 99),
    turnP50Ms: percentile(turns, 50),
    turnP99Ms: percentile(turns, 99),
    drainMs,
  };
}

// === Memory

/** Anonymous and file-backed RSS from /proc (Linux): heap and allocations vs mapped files. */
function rssParts(): { anon: number; file: number } {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
    return { anon: kb("RssAnon") * 1024, file: kb("RssFile") * 1024 };
  } catch {
    return { anon: NaN, file: NaN };
  }
}

/**
 * A temp dir for a memory probe's KV file: on tmpfs when there is one. The probe measures
 * memory, not the disk: without fsync waits 100 000 turns take a fraction of the time, and a
 * tmpfs file's pages are not part of the process's RSS (SQLite reads them with pread).
 */
async function probeDir(): Promise<{ path: string; tmpfs: boolean }> {
  try {
    const path = await Deno.makeTempDir({ dir: "/dev/shm", prefix: "rvx-bench-rss-" });
    return { path, tmpfs: true };
  } catch {
    return { path: await Deno.makeTempDir({ prefix: "rvx-bench-rss-" }), tmpfs: false };
  }
}

/** The KV file with its write-ahead log (most recent writes live there until a checkpoint). */
async function kvFileBytes(path: string): Promise<number> {
  let bytes = 0;
  for (const file of [path, `${path}-wal`]) {
    bytes += await Deno.stat(file).then((info) => info.size, () => 0);
  }
  return bytes;
}

/** What a memory probe drives: ours or the baseline, behind one shape. */
interface ProbeTarget {
  handle(update: Update): Promise<void>;
  idle(): Promise<void>;
  residentActors(): number;
  close(): Promise<void>;
}

type ProbeSide = "ours" | "baseline";

async function probeTarget(side: ProbeSide, dir: string): Promise<ProbeTarget> {
  if (side === "ours") {
    const runtime = await createRuntime(`${dir}/probe.kv`);
    return {
      handle: (update) => ingestOne(runtime.inbox, update),
      async idle() {
        await runtime.supervisor.whenIdle();
        runtime.assertNoFailures();
      },
      residentActors: () => runtime.supervisor.residentActors,
      close: () => runtime.close(),
    };
  }
  const kv = await Deno.openKv(`${dir}/probe.kv`);
  const baseline = createBaseline(kv);
  return {
    handle: (update) => baseline.handle(update),
    idle: () => Promise.resolve(),
    residentActors: () => 0,
    close: () => Promise.resolve(kv.close()),
  };
}

/** Memory growth of one fresh process driving `users` distinct users through one update each. */
async function runRssProbe(side: ProbeSide, users: number): Promise<Record<string, number>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      gc?.();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const reading = () => ({ ...Deno.memoryUsage(), ...rssParts() });
  const quietReading = async () => {
    await new Promise((resolve) => setTimeout(resolve, QUIET_MS));
    await settle();
    return reading();
  };
  const { path: dir, tmpfs } = await probeDir();
  try {
    const target = await probeTarget(side, dir);
    try {
      // Load every code path and open every cache before the first reading.
      const warmup = workload(2_000, 2_000, WARMUP_USER_BASE, 1);
      await runBounded(warmup.length, IN_FLIGHT, (i) => target.handle(warmup[i]));
      await target.idle();
      await settle();
      const before = reading();
      const quietBefore = await quietReading();
      const started = performance.now();
      await runBounded(users, IN_FLIGHT, (i) => {
        return target.handle(textUpdate(warmup.length + 1 + i, USER_BASE + i));
      });
      await target.idle();
      const seconds = (performance.now() - started) / 1000;
      await settle();
      const after = reading();
      const quietAfter = await quietReading();
      const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
      return {
        rss_growth_mb: mb(after.rss - before.rss),
        rss_retained_mb: mb(quietAfter.rss - quietBefore.rss),
        heap_retained_mb: mb(quietAfter.heapUsed - quietBefore.heapUsed),
        heap_used_growth_mb: mb(after.heapUsed - before.heapUsed),
        heap_total_growth_mb: mb(after.heapTotal - before.heapTotal),
        anon_growth_mb: mb(after.anon - before.anon),
        outside_heap_growth_mb: mb(after.anon - before.anon - (after.heapTotal - before.heapTotal)),
        file_growth_mb: mb(after.file - before.file),
        kv_file_mb: mb(await kvFileBytes(`${dir}/probe.kv`)),
        updates_per_s: Math.round(users / seconds),
        resident_actors: target.residentActors(),
        gc: gc ? 1 : 0,
        tmpfs: tmpfs ? 1 : 0,
      };
    } finally {
      await target.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs {@linkcode runRssProbe} in a fresh child process, so earlier runs' heaps do not blur it. */
async function runRssProbeInChild(side: ProbeSide): Promise<Record<string, number>> {
  progress(`actors: memory, ${side}, ${RSS_USERS} distinct users (child process)`);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--v8-flags=--expose-gc",
      new URL(import.meta.url).pathname,
      "--rss-probe",
      side,
    ],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`The ${side} memory probe failed (exit ${output.code})`);
  const lines = new TextDecoder().decode(output.stdout).trim().split("\n");
  const figures: Record<string, number> = JSON.parse(lines[lines.length - 1]);
  progress(
    `actors: memory, ${side}: RSS +${figures.rss_growth_mb} MB (JS heap used ` +
      `+${figures.heap_used_growth_mb}, reserved +${figures.heap_total_growth_mb}; anonymous ` +
      `+${figures.anon_growth_mb}, file-backed +${figures.file_growth_mb}); quiet ` +
      `${QUIET_MS / 1000} s later +${figures.rss_retained_mb} MB (JS heap used ` +
      `+${figures.heap_retained_mb}); KV file ` +
      `${figures.kv_file_mb} MB; ${figures.updates_per_s} updates/s; ` +
      `${figures.resident_actors} actors resident; gc ${figures.gc === 1}; ` +
      `tmpfs ${figures.tmpfs === 1}`,
  );
  return figures;
}

// === The group

/**
 * Runs the actors benchmark.
 *
 * @returns the figures described in the module doc.
 * @example
 * ```ts
 * const figures = await runActorsBench();
 * figures.actors_vs_baseline_ratio; // e.g. 3.6
 * ```
 */
export async function runActorsBench(): Promise<Record<string, number>> {
  const dir = await Deno.makeTempDir({ prefix: "rvx-bench-actors-" });
  const updates = workload(UPDATES, USERS, USER_BASE, 1);
  const warmup = workload(WARMUP_UPDATES, WARMUP_UPDATES / 10, WARMUP_USER_BASE, UPDATES + 1);
  const paced = workload(PACED_UPDATES, USERS, USER_BASE, UPDATES + WARMUP_UPDATES + 1);
  const baselineKv = await Deno.openKv(`${dir}/baseline.kv`);
  const baselineObserver = observeKv(baselineKv);
  let runtime: Runtime | null = null;
  try {
    runtime = await createRuntime(`${dir}/actors.kv`);
    const baseline = createBaseline(baselineKv);
    progress(`actors: warm-up, ${WARMUP_UPDATES} updates a side`);
    await runBaseline(baseline, warmup);
    await runOurs(runtime, warmup);

    // Ours runs once over all updates (a backlog building up is part of "end to end"); the
    // baseline keeps no backlog, so its halves go on either side, cancelling drift in the load.
    const ours = emptySide();
    const theirs = emptySide();
    const half = updates.length / 2;
    const runHalf = (slice: Update[]) =>
      measure(theirs, baselineObserver, slice.length, () => runBaseline(baseline, slice));
    progress(`actors: throughput, ${UPDATES} updates over ${USERS} users a side`);
    await runHalf(updates.slice(0, half));
    const familiesBeforeOurs = new Map(runtime.observer.families);
    await measure(ours, runtime.observer, updates.length, () => runOurs(runtime!, updates));
    await runHalf(updates.slice(half));
    progress(
      `actors: throughput: ours ${Math.round(ours.updates / ours.seconds)}/s, ` +
        `baseline ${Math.round(theirs.updates / theirs.seconds)}/s (load average ` +
        `${Deno.loadavg()[0].toFixed(2)})`,
    );

    progress(
      `actors: writes per update by family at ${IN_FLIGHT} in flight: ` +
        familyLine(familiesDelta(familiesBeforeOurs, runtime.observer.families), UPDATES),
    );

    progress(`actors: latency, ${PACED_UPDATES} updates offered at 1 000/s`);
    const latency = await runPacedLatency(runtime, paced);
    progress(`actors: ${IDLE_USERS} idle users, one update at a time`);
    runtime.assertNoFailures();
    await runtime.close();
    // A fresh runtime on its own file: nothing the runs above left behind is counted.
    runtime = await createRuntime(`${dir}/idle.kv`, true);
    const idle = await runIdleUsers(runtime, workload(IDLE_USERS, IDLE_USERS, IDLE_USER_BASE, 1));
    const idleFamilies = familyLine(idle.families, IDLE_USERS);
    progress(
      `actors: idle users, writes per update by family: ${idleFamilies}; ` +
        `${idle.commitsPerUpdate} commits per update`,
    );
    runtime.assertNoFailures();
    await runtime.close();
    // The same users again, to a process that never saw them (a Deploy isolate's usual case:
    // a user who comes back): their sessions exist, so no new session is counted or indexed.
    progress(`actors: the same ${IDLE_USERS} users returning to a fresh process`);
    runtime = await createRuntime(`${dir}/idle.kv`, true);
    const returning = await runIdleUsers(
      runtime,
      workload(IDLE_USERS, IDLE_USERS, IDLE_USER_BASE, 1 + IDLE_USERS),
    );
    progress(
      `actors: returning users, writes per update by family: ` +
        `${
          familyLine(returning.families, IDLE_USERS)
        }; ${returning.commitsPerUpdate} commits per update`,
    );
    runtime.assertNoFailures();
    await runtime.close();
    runtime = null;

    const rss = await runRssProbeInChild("ours");
    const baselineRss = await runRssProbeInChild("baseline");

    const oursPerSecond = ours.updates / ours.seconds;
    const theirsPerSecond = theirs.updates / theirs.seconds;
    return {
      actors_updates_per_s: Math.round(oursPerSecond),
      baseline_updates_per_s: Math.round(theirsPerSecond),
      actors_vs_baseline_ratio: round(oursPerSecond / theirsPerSecond, 2),
      commits_per_update: perUpdate(ours, "commits"),
      baseline_commits_per_update: perUpdate(theirs, "commits"),
      kv_writes_per_update: perUpdate(ours, "writes"),
      baseline_kv_writes_per_update: perUpdate(theirs, "writes"),
      kv_reads_per_update: perUpdate(ours, "reads"),
      baseline_kv_reads_per_update: perUpdate(theirs, "reads"),
      cpu_ms_per_update: round(ours.cpuMs / ours.updates, 3),
      baseline_cpu_ms_per_update: round(theirs.cpuMs / theirs.updates, 3),
      kv_kb_written_per_update: round(ours.writtenBytes / ours.updates / 1024, 1),
      baseline_kv_kb_written_per_update: round(theirs.writtenBytes / theirs.updates / 1024, 1),
      ingest_ack_p50_ms: round(latency.ackP50Ms, 2),
      ingest_ack_p99_ms: round(latency.ackP99Ms, 2),
      turn_p50_ms: round(latency.turnP50Ms, 2),
      turn_p99_ms: round(latency.turnP99Ms, 2),
      paced_drain_ms: Math.round(latency.drainMs),
      idle_user_kv_writes_per_update: idle.writesPerUpdate,
      idle_returning_user_kv_writes_per_update: returning.writesPerUpdate,
      idle_returning_user_kv_reads_per_update: returning.readsPerUpdate,
      idle_user_kv_reads_per_update: idle.readsPerUpdate,
      serial_commits_idle_user: idle.serialCommits,
      rss_growth_mb_100k_users: rss.rss_growth_mb,
      baseline_rss_growth_mb_100k_users: baselineRss.rss_growth_mb,
      heap_growth_mb_100k_users: rss.heap_used_growth_mb,
      rss_outside_heap_mb_100k_users: rss.outside_heap_growth_mb,
      baseline_rss_outside_heap_mb_100k_users: baselineRss.outside_heap_growth_mb,
      rss_retained_mb_100k_users: rss.rss_retained_mb,
      baseline_rss_retained_mb_100k_users: baselineRss.rss_retained_mb,
      heap_retained_mb_100k_users: rss.heap_retained_mb,
      rss_probe_kv_file_mb: rss.kv_file_mb,
      baseline_rss_probe_kv_file_mb: baselineRss.kv_file_mb,
    };
  } finally {
    await runtime?.close();
    baselineKv.close();
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const probe = Deno.args.indexOf("--rss-probe");
  if (probe !== -1) {
    // `--rss-probe ours|baseline [users]`: what the runner starts; a user count to try it alone.
    const side: ProbeSide = Deno.args[probe + 1] === "baseline" ? "baseline" : "ours";
    const users = Number(Deno.args[probe + 2] ?? RSS_USERS);
    print(JSON.stringify(await runRssProbe(side, users)));
  } else {
    for (const [name, value] of Object.entries(await runActorsBench())) print(`${name}=${value}`);
  }
}
