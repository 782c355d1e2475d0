/**
 * Builds every service from the settings, in dependency order, for `main.ts`, the terminal chat
 * and end-to-end tests: KV → sinks → analysis → bot → inbox → supervisor → jobs → API.
 * Nothing here reads the environment or starts a transport.
 *
 * @module
 */
import { Api } from "grammy";
import { type Hono } from "hono";
import { type UserFromGetMe } from "grammy/types";
import { Inbox } from "./actors/inbox.ts";
import { JobRunner } from "./actors/jobs.ts";
import { Supervisor } from "./actors/supervisor.ts";
import {
  type AnalysisEngine,
  analysisEngineOptions,
  createAnalysisEngine,
} from "./analysis/engine.ts";
import { createApi } from "./api/app.ts";
import { type ApiEnv } from "./api/env.ts";
import { configuredWebhook } from "./api/routes/webhook.ts";
import { botFeatures, createBot, failureNotice, type RvxBot, turnHandler } from "./bot/bot.ts";
import { FEATURES } from "./bot/features/mod.ts";
import { FeatureRegistry } from "./bot/registry.ts";
import { type BotServices } from "./bot/services.ts";
import { LocalApi, LocalClient } from "./bot/transport/local.ts";
import { botApiRetry, type BotApiRetryOptions } from "./bot/transport/retry.ts";
import { type Config } from "./config.ts";
import { type FirstPhase, upgradeOrFence } from "./first_phase.ts";
import { type Clock, systemClock, type TimerHandle } from "./core/clock.ts";
import { createErrorReporter, type ReportError } from "./core/report.ts";
import { VERSION } from "./core/version.ts";
import { KvAuditSink } from "./store/audit.ts";
import { cachedBotInfo } from "./store/bot_info.ts";
import { GroupCommitter } from "./store/committer.ts";
import { KvMetricsSink } from "./store/counters.ts";
import { openStore, type Store } from "./store/kv.ts";
import { type AdminTokenResult, ensureAdminToken } from "./store/admin_token.ts";
import { type BackupKeyResult, ensureBackupKey } from "./store/backup_signing.ts";
import { loadCatalog } from "./learning/catalog.ts";
import { BackupService } from "./store/backups.ts";
import { getMetricsSummary, type MetricsSummary } from "./metrics/bot_metrics.ts";

/** The identity of the bot in local mode (no token, so no `getMe`). */
export const LOCAL_BOT_INFO: UserFromGetMe = {
  id: 1,
  is_bot: true,
  first_name: "RVX",
  username: "rvx_local_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as UserFromGetMe;

/** Least time between two job passes started by an idle supervisor. */
const JOBS_IDLE_INTERVAL_MS = 5000;

/** The application as {@linkcode composeApp} builds it. */
export interface App {
  config: Config;
  clock: Clock;
  store: Store;
  metrics: KvMetricsSink;
  reportError: ReportError;
  engine: AnalysisEngine;
  bot: RvxBot;
  /** Local mode's in-process Bot API (terminal chat, playground). */
  local: LocalApi;
  localClient: LocalClient;
  inbox: Inbox;
  supervisor: Supervisor;
  jobs: JobRunner;
  backups: BackupService;
  api: Hono<ApiEnv>;
  /** The admin token and whether this process generated it (then it prints it, once). */
  adminToken: AdminTokenResult;
  /** BotMetrics' summary as this process sees it (uptime from its start), for the snapshot cron. */
  metricsSummary(): Promise<MetricsSummary>;
  /** The backup signing key and whether this process created it (then it says where, once). */
  backupKey: BackupKeyResult;
  /** Drains what is waiting: inboxes nobody owns, unfinished jobs. */
  start(): Promise<void>;
  /** Stops taking work, finishes turns in progress, flushes counters, closes KV. */
  stop(closeStore?: boolean): Promise<void>;
}

/** Options of {@linkcode composeApp}. */
export interface ComposeOptions {
  clock?: Clock;
  /** An already open store (tests); otherwise `KV_PATH` is opened. */
  store?: Store;
  /** For providers (tests point it anywhere; default `fetch`). */
  fetch?: typeof fetch;
  /** Bounds of Bot API retries (tests shorten them); the clock is the app's. */
  botApiRetry?: Omit<BotApiRetryOptions, "clock">;
  /**
   * What `main.ts` started before loading this module (KV, inbox, webhook route): taken over
   * rather than built again (docs/ARCHITECTURE.md, "Start-up").
   */
  firstPhase?: FirstPhase;
}

/**
 * Builds the application.
 *
 * @example
 * ```ts
 * const app = await composeApp(config);
 * await app.start();
 * Deno.serve(app.api.fetch);
 * ```
 */
export async function composeApp(config: Config, options: ComposeOptions = {}): Promise<App> {
  const first = options.firstPhase;
  const clock = first?.clock ?? options.clock ?? systemClock;
  const startedAt = first?.startedAt ?? clock.now();
  const store = first?.store ?? options.store ?? await openStore(config.kvPath);
  if (!first) store.fence = await upgradeOrFence(store, config, clock);
  // A broken course file stops the start here, naming the file and field.
  const catalog = await loadCatalog();
  const backups = new BackupService({
    store,
    clock,
    backupDir: config.backupDir,
    retentionDays: config.retentionDays.backups,
    leaseTtlMs: config.leaseTtlSeconds * 1000,
    // Lets turns already running finish before the export reads.
    settleMs: 1500,
  });

  const metrics = first?.metrics ?? new KvMetricsSink(store, { clock });
  const audit = new KvAuditSink(store, clock);
  const reportError = createErrorReporter({ audit, metrics });
  const engine = createAnalysisEngine({
    ...analysisEngineOptions(config),
    store,
    metrics,
    clock,
    fetch: options.fetch,
  });

  const token = config.botToken;
  const botInfo = token
    ? await cachedBotInfo(
      store,
      token,
      () => new Api(token, { apiRoot: config.botApiRoot }).getMe(),
    )
    : LOCAL_BOT_INFO;
  const local = new LocalApi({ botInfo, clock, exclusive: !token, store });

  let jobs: JobRunner | null = null;
  let kick: TimerHandle | null = null;
  const registry = new FeatureRegistry(FEATURES);
  const services: BotServices = {
    catalog,
    hub: registry,
    config,
    store,
    engine,
    clock,
    // The job is staged in the current turn: look for it once that turn has committed.
    kickJobs: () => {
      kick ??= clock.setTimeout(() => {
        kick = null;
        void jobs?.runPending();
      }, 100);
    },
  };
  const bot = createBot({
    token: token ?? "0:local",
    apiRoot: config.botApiRoot,
    botInfo,
    features: botFeatures(registry, services),
    transformers: [
      local.transformer,
      ...(token ? [botApiRetry({ ...options.botApiRetry, clock })] : []),
    ],
  });
  // Broadcasts pace and retry themselves: a client without retries (local chats in-process).
  const pacedApi = new Api(token ?? "0:local", { apiRoot: config.botApiRoot });
  pacedApi.config.use(local.transformer);
  jobs = new JobRunner({
    store,
    clock,
    reportError,
    handlers: registry.jobHandlers({ ...services, pacedApi, backups }),
    leaseTtlMs: config.leaseTtlSeconds * 1000,
    onDone: async (job) => {
      const text = registry.jobNotice(job);
      if (text && job.notify) await bot.api.sendMessage(job.notify.chatId, text);
    },
  });

  const inbox = first?.inbox ??
    new Inbox({ store, committer: new GroupCommitter(store), clock, metrics });
  let lastIdleRun = Number.NEGATIVE_INFINITY;
  const supervisor = new Supervisor({
    store,
    clock,
    reportError,
    handle: turnHandler(bot, store),
    onTurnFailed: failureNotice(bot),
    // Jobs run when the supervisor has nothing to do, at most every few seconds.
    onIdle: () => {
      if (clock.now() - lastIdleRun < JOBS_IDLE_INTERVAL_MS) return;
      lastIdleRun = clock.now();
      void jobs?.runPending();
    },
    settings: {
      leaseTtlMs: config.leaseTtlSeconds * 1000,
      actorIdleMs: config.actorIdleSeconds * 1000,
      actorMaxResident: config.actorMaxResident,
      turnMaxAttempts: config.turnMaxAttempts,
      sessionTtlMs: config.sessionTtlSeconds * 1000,
      defaultLanguage: config.defaultLanguage,
      sessionGauges: registry.sessionGauges(),
      // On Deploy the minute cron finds orphaned work: polling would be metered reads per instance.
      discoveryIntervalMs: config.onDeploy ? 0 : undefined,
    },
  });
  inbox.onQueued = (actor, updateId) => supervisor.schedule(actor, updateId);
  inbox.runDirect = (direct) => supervisor.runDirect(direct);
  for (const actor of first?.takeQueued() ?? []) supervisor.schedule(actor);
  first?.attachRuntime(supervisor);
  const localClient = new LocalClient({ store, inbox, api: local, clock });

  const adminToken = await ensureAdminToken(store, config);
  const backupKey = await ensureBackupKey(store);
  const api = createApi({
    store,
    clock,
    startedAt,
    version: VERSION,
    reportError,
    config,
    adminToken: adminToken.token,
    adminTokenInKv: adminToken.source === "kv",
    engine,
    metrics,
    stats: () => supervisor.getStats(),
    scheduleActor: (actor, updateId) => supervisor.schedule(actor, updateId),
    backups,
    pages: { dashboard: true, playground: { local, client: localClient } },
    telegramWebhook: first
      ? first.telegramWebhook
      : configuredWebhook(config, { inbox, clock, runtime: Promise.resolve(supervisor) }),
  });

  const runner = jobs;
  return {
    config,
    clock,
    store,
    metrics,
    reportError,
    engine,
    bot,
    local,
    localClient,
    inbox,
    supervisor,
    jobs: runner,
    backups,
    api,
    adminToken,
    metricsSummary: () =>
      getMetricsSummary(store, {
        clock,
        version: VERSION,
        startedAt,
        stats: () => supervisor.getStats(),
        providerStatus: () => engine.providerStatus(),
      }),
    backupKey,
    async start(): Promise<void> {
      await supervisor.start();
      void runner.runPending();
    },
    async stop(closeStore = true): Promise<void> {
      kick?.cancel();
      await supervisor.stop();
      await runner.stop();
      await metrics.flush().catch(() => {});
      if (closeStore) store.close();
    },
  };
}
