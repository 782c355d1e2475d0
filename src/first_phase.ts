/**
 * The first phase of a start (docs/ARCHITECTURE.md, "Start-up"): KV with its schema brought up to
 * date (or, on Deploy, waited for) and commits fenced by it, the metrics sink, the inbox with its committer, `/health` and the Telegram webhook, with
 * only the modules they need loaded. `main.ts` listens as soon as this is built and loads the rest
 * of the app (`compose.ts`: bot, analysis, the full API) in the background; `composeApp` takes
 * these services over, so both phases ingest through one inbox and one committer.
 *
 * @module
 */
import { Hono } from "hono";
import { Inbox } from "./actors/inbox.ts";
import { accessLog } from "./api/middleware/access_log.ts";
import { requestContext } from "./api/middleware/request_context.ts";
import { securityHeaders } from "./api/middleware/security_headers.ts";
import { sendError } from "./api/respond.ts";
import { type ApiEnv } from "./api/env.ts";
import { healthCheck, healthProbe } from "./api/routes/health_check.ts";
import { configuredWebhook, type TurnSource } from "./api/routes/webhook.ts";
import { type Config } from "./config.ts";
import { type Clock, systemClock } from "./core/clock.ts";
import { VERSION } from "./core/version.ts";
import { t } from "./i18n/mod.ts";
import { GroupCommitter } from "./store/committer.ts";
import { KvMetricsSink } from "./store/counters.ts";
import { openStore, type Store } from "./store/kv.ts";
import { metaKeys } from "./store/keys.ts";
import { SchemaFence } from "./store/schema_fence.ts";
import { runMigrations } from "./store/schema_upgrade.ts";
import { getLogger } from "./log.ts";

const log = getLogger(["rvx", "start"]);

/** What the first phase built. */
export interface FirstPhase {
  clock: Clock;
  /** When the process started (epoch ms). */
  startedAt: number;
  store: Store;
  metrics: KvMetricsSink;
  inbox: Inbox;
  /** `POST /telegram/webhook` in webhook mode with a secret; the full API mounts this one too. */
  telegramWebhook?: Hono<ApiEnv>;
  /**
   * `/health` and the webhook; any other request gets 503 `UNAVAILABLE` with `Retry-After`
   * (the start gate sends it here only when the full app is late).
   */
  api: Hono<ApiEnv>;
  /** Actors that got updates before a supervisor listened; each is returned once. */
  takeQueued(): string[];
  /** Hands the supervisor over: webhook requests waiting for their turns can wait on it now. */
  attachRuntime(runtime: TurnSource): void;
}

/**
 * Brings the schema up to date and fences this process's commits by it (docs/OPERATIONS.md,
 * "Upgrading"). On Deno Deploy a KV holding data is migrated only by `deno task setup` (cold
 * starts would race to migrate, and an old revision may still serve): an instance on a KV behind
 * its code refuses updates until it is migrated. A KV that holds nothing yet is set up here.
 *
 * @example
 * ```ts
 * store.fence = await upgradeOrFence(store, config, clock);
 * ```
 */
export async function upgradeOrFence(
  store: Store,
  config: Config,
  clock: Clock,
): Promise<SchemaFence> {
  const stored = (await store.kv.get<number>(metaKeys.schemaVersion)).value;
  if (!config.onDeploy || stored === null) {
    const { applied } = await runMigrations(store, { backupDir: config.backupDir, clock });
    if (config.onDeploy && applied.length > 0) {
      log.warn(
        "Set up an empty KV at schema {version} on a cold start: set `deno task setup` as the pre-deploy command (code {code})",
        { version: applied.at(-1), code: "MIGRATION_AT_START" },
      );
    }
  }
  return await SchemaFence.open(store, clock);
}

/** Options of {@linkcode startFirstPhase}. */
export interface FirstPhaseOptions {
  clock?: Clock;
  /** An already open store (tests); otherwise `KV_PATH` is opened. */
  store?: Store;
}

/**
 * Opens KV, migrates, and builds the services and routes that answer first.
 *
 * @example
 * ```ts
 * const first = await startFirstPhase(config);
 * const gate = new StartGate({ firstPhase: first.api.fetch });
 * Deno.serve(gate.fetch);
 * ```
 */
export async function startFirstPhase(
  config: Config,
  options: FirstPhaseOptions = {},
): Promise<FirstPhase> {
  const clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const store = options.store ?? await openStore(config.kvPath);
  store.fence = await upgradeOrFence(store, config, clock);
  const metrics = new KvMetricsSink(store, { clock });
  const inbox = new Inbox({ store, committer: new GroupCommitter(store), clock, metrics });
  const queued = new Set<string>();
  inbox.onQueued = (actor) => queued.add(actor);
  let attachRuntime: (runtime: TurnSource) => void = () => {};
  const runtime = new Promise<TurnSource>((resolve) => attachRuntime = resolve);
  const telegramWebhook = configuredWebhook(config, { inbox, clock, runtime });

  const api = new Hono<ApiEnv>();
  api.use(requestContext(clock, {
    clientIp: { trustProxy: config.trustProxy, proxyHops: config.trustedProxyHops },
  }));
  api.use(accessLog(metrics));
  api.use(securityHeaders());
  api.get(
    "/health",
    healthCheck(clock, healthProbe({ store, clock, startedAt, version: VERSION })),
  );
  if (telegramWebhook) api.route("/", telegramWebhook);
  api.all("*", (c) => {
    c.header("Retry-After", "1");
    return sendError(c, clock, 503, "UNAVAILABLE", t(c.get("lang"), "api_starting"));
  });

  return {
    clock,
    startedAt,
    store,
    metrics,
    inbox,
    telegramWebhook,
    api,
    attachRuntime,
    takeQueued() {
      const actors = [...queued];
      queued.clear();
      return actors;
    },
  };
}
