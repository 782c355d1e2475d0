/**
 * The composition root: settings → logging → the first phase (KV, inbox, `/health`, the Telegram
 * webhook) → HTTP server; then, loaded in the background, the rest of the app (bot, runtime, full
 * API) takes over the server, and the Telegram transport starts (docs/ARCHITECTURE.md,
 * "Start-up"). Crons are registered at module top level (Deno Deploy requires it).
 *
 * Only what answers first is imported statically: everything else is a dynamic import, so the
 * process listens within a few tens of milliseconds of a bare `Deno.serve`.
 *
 * @module
 */
// `import type` (not an inline `type`) keeps these modules out of the graph loaded before the
// server listens: they are loaded in the background (docs/ARCHITECTURE.md, "Start-up").
import type { Polling } from "./src/bot/transport/polling.ts";
import type { App } from "./src/compose.ts";
import type { CronRegistry } from "./src/jobs/mod.ts";
import { StartGate } from "./src/api/start_gate.ts";
import { type Config, ConfigError, loadConfig } from "./src/config.ts";
import { VERSION } from "./src/core/version.ts";
import { describeKvPath } from "./src/core/kv_location.ts";
import { type FirstPhase, startFirstPhase } from "./src/first_phase.ts";
import { CRON_SCHEDULES, type CronName } from "./src/jobs/schedules.ts";
import { configureLogging, getLogger } from "./src/log.ts";

const log = getLogger(["rvx", "main"]);

// Deno Deploy only runs crons registered at module top level, before any server starts. A run
// that fires during the start (on Deploy a cron may be what starts the instance) waits for it.
let attachCrons: (crons: CronRegistry) => void = () => {};
const cronsReady = new Promise<CronRegistry>((resolve) => attachCrons = resolve);
const crons = {
  run: (name: CronName): Promise<void> => cronsReady.then((registry) => registry.run(name)),
};
Deno.cron("rvx minute", CRON_SCHEDULES.minute, () => crons.run("minute"));
Deno.cron("rvx session sweep", CRON_SCHEDULES.session_sweep, () => crons.run("session_sweep"));
Deno.cron(
  "rvx metrics snapshot",
  CRON_SCHEDULES.metrics_snapshot,
  () => crons.run("metrics_snapshot"),
);
Deno.cron("rvx backup", CRON_SCHEDULES.backup, () => crons.run("backup"));
Deno.cron("rvx retention", CRON_SCHEDULES.retention, () => crons.run("retention"));

async function readConfig(): Promise<Config> {
  try {
    return await loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // Logging is not configured yet: the settings that would configure it are what failed.
    Deno.stderr.writeSync(
      new TextEncoder().encode(`${err.message}\nSee docs/OPERATIONS.md, "Settings".\n`),
    );
    Deno.exit(1);
  }
}

/**
 * Connects the bot to Telegram as configured; returns the polling loop if any. On Deno Deploy the
 * webhook and commands belong to `deno task setup` (the pre-deploy step): an instance only checks,
 * in the background, that Telegram delivers to it, so a preview never repoints the live bot.
 */
async function startTransport(app: App): Promise<Polling | null> {
  const { config, bot } = app;
  if (config.botMode === "off") {
    log.info("No BOT_TOKEN: Telegram is off. The HTTP API runs; chat with the bot: deno task chat");
    return null;
  }
  const { checkWebhook, setWebhook } = await later<
    typeof import("./src/bot/transport/webhook_setup.ts")
  >("./src/bot/transport/webhook_setup.ts");
  if (config.onDeploy) {
    void checkWebhook(bot.api, config);
    return null;
  }
  const { registerCommands } = await later<typeof import("./src/bot/commands.ts")>(
    "./src/bot/commands.ts",
  );
  await registerCommands(bot.api, config.defaultLanguage).catch((err) =>
    log.warn("setMyCommands failed: {message}", { message: String(err) })
  );
  if (config.botMode === "webhook") {
    await setWebhook(bot.api, config);
    log.info("Webhook set to {url}", { url: config.webhookUrl });
    return null;
  }
  log.info("Polling Telegram for updates");
  const { startPolling } = await later<typeof import("./src/bot/transport/polling.ts")>(
    "./src/bot/transport/polling.ts",
  );
  return startPolling({ api: bot.api, inbox: app.inbox, clock: app.clock });
}

/** Prints a generated admin token once, on the terminal only (never into JSON logs). */
function announceAdminToken(app: App): void {
  const { token, generated, source } = app.adminToken;
  if (source === "disabled") {
    log.warn("ADMIN_API_TOKEN is not set: admin routes and pages are disabled on Deno Deploy");
  } else if (generated && token) {
    if (Deno.stdout.isTerminal()) {
      Deno.stdout.writeSync(new TextEncoder().encode(
        `\nAdmin token (shown once; set ADMIN_API_TOKEN to choose your own):\n  ${token}\n\n`,
      ));
    } else {
      log.warn(
        "Generated an admin token and stored it in KV; show it with `deno task apikey admin-token`, or set ADMIN_API_TOKEN",
      );
    }
  }
}

/**
 * Says once, when this process created it, where the backup signing key is and how to export
 * it: without a copy, backups cannot be restored onto a fresh installation (docs/OPERATIONS.md).
 */
async function announceBackupKey(app: App): Promise<void> {
  if (!app.backupKey.generated) return;
  const { backupKeyNotice } = await later<typeof import("./src/store/backup_signing.ts")>(
    "./src/store/backup_signing.ts",
  );
  const notice = backupKeyNotice(app.backupKey, describeKvPath(app.config.kvPath));
  if (Deno.stdout.isTerminal()) Deno.stdout.writeSync(new TextEncoder().encode(`\n${notice}\n\n`));
  else log.warn(notice);
}

/** How long the rest of the app waits for the request that woke the instance. */
const FIRST_REQUEST_GRACE_MS = 100;
/** A pause after that answer, so it is written out before loading starts. */
const ANSWER_FLUSH_MS = 10;

/** The rest of the app, loaded in steps of roughly equal cost (docs/ARCHITECTURE.md, "Start-up"). */
const LOAD_STEPS = [
  "./src/analysis/engine.ts",
  "./src/api/openapi.ts",
  "./src/bot/bot.ts",
  "./src/api/app.ts",
  "./src/store/backups.ts",
  "./src/jobs/mod.ts",
];

/**
 * Imports a module of the rest of the app. The specifier is built at run time on purpose: Deno
 * loads every dynamic import it can see in the source together with the entry module, before its
 * first line runs, which put the whole app's loading in front of the first request.
 */
function later<T>(path: string): Promise<T> {
  return import(new URL(path, import.meta.url).href);
}

/** The running app once the background phase has built it. */
interface Running {
  app: App;
  crons: CronRegistry;
  polling: Polling | null;
}

/**
 * Loads and builds the rest of the app, hands the server over to it, then starts what runs in
 * the background: the start-up inbox sweep and jobs, a stale backup, the Telegram transport.
 */
async function startRest(config: Config, first: FirstPhase, gate: StartGate): Promise<Running> {
  await gate.firstAnswered(FIRST_REQUEST_GRACE_MS);
  // Let that answer leave before the first step holds the thread.
  await new Promise((resolve) => setTimeout(resolve, ANSWER_FLUSH_MS));
  // Evaluating a module graph holds the one JS thread: in steps, a request that arrives meanwhile
  // waits for one step, not for the whole app.
  for (const step of LOAD_STEPS) {
    // Steps only spread the loading out; compose.ts below imports what the app needs.
    await later(step).catch((err) =>
      log.warn("Start-up step {step} could not be loaded: {error} (code {code})", {
        step,
        error: String(err),
        code: "START_STEP_MISSING",
      })
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const [{ composeApp }, { CronRegistry, backupIfStale }] = await Promise.all([
    later<typeof import("./src/compose.ts")>("./src/compose.ts"),
    later<typeof import("./src/jobs/mod.ts")>("./src/jobs/mod.ts"),
  ]);
  const app = await composeApp(config, { firstPhase: first });
  gate.open(app.api.fetch);
  const registry = new CronRegistry();
  registry.attach({
    store: app.store,
    clock: app.clock,
    config,
    reportError: app.reportError,
    supervisor: app.supervisor,
    jobs: app.jobs,
    backups: app.backups,
    metricsSummary: app.metricsSummary,
  });
  attachCrons(registry);
  void app.start().catch((err) => app.reportError(err, "start.sweep"));
  announceAdminToken(app);
  await announceBackupKey(app);
  void backupIfStale({
    store: app.store,
    clock: app.clock,
    cronEnabled: config.cronEnabled,
    reportError: app.reportError,
    backups: app.backups,
  });
  return { app, crons: registry, polling: await startTransport(app) };
}

async function main(): Promise<void> {
  const config = await readConfig();
  await configureLogging({
    level: config.logLevel,
    format: config.logFormat,
    destination: config.onDeploy ? "console" : "stderr",
  });
  for (const problem of config.deployProblems) {
    log.error("{problem} (code {code})", { problem, code: "DEPLOY_CONFIG" });
  }
  const first = await startFirstPhase(config);
  const gate = new StartGate({ firstPhase: first.api.fetch });
  const abort = new AbortController();
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    signal: abort.signal,
    onListen: ({ hostname, port }) =>
      log.info("RVX Bot {version} listening on http://{hostname}:{port} (KV: {kv})", {
        version: VERSION,
        hostname,
        port,
        kv: describeKvPath(config.kvPath),
      }),
  }, gate.fetch);
  const rest = startRest(config, first, gate);
  rest.catch((err) => {
    log.fatal("The app could not start: {error}", { error: String(err?.stack ?? err) });
    Deno.exit(1);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("Stopping on {signal}", { signal });
    const running = await rest;
    running.crons.detach();
    await running.polling?.stop();
    abort.abort();
    await server.finished;
    await running.app.stop();
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void stop(signal));
  }
}

if (import.meta.main) await main();
