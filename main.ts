/**
 * The composition root: settings → logging → services (KV, runtime, bot, API) → HTTP server →
 * Telegram transport. Crons are registered at module top level (Deno Deploy requires it).
 *
 * @module
 */
import { registerCommands } from "./src/bot/commands.ts";
import { checkWebhook, setWebhook } from "./src/bot/transport/webhook_setup.ts";
import { type Polling, startPolling } from "./src/bot/transport/polling.ts";
import { type App, composeApp } from "./src/compose.ts";
import { describeKvPath } from "./src/core/kv_location.ts";
import { backupKeyNotice } from "./src/store/backup_signing.ts";
import { type Config, ConfigError, loadConfig } from "./src/config.ts";
import { VERSION } from "./src/core/version.ts";
import { backupIfStale, CRON_SCHEDULES, CronRegistry } from "./src/jobs/mod.ts";
import { configureLogging, getLogger } from "./src/log.ts";

const log = getLogger(["rvx", "main"]);

// Deno Deploy only runs crons registered at module top level, before any server starts; their
// handlers reach the services once `main()` has built them.
const crons = new CronRegistry();
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
    Deno.stderr.writeSync(new TextEncoder().encode(`${err.message}\nSee README.md, "Settings".\n`));
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
  if (config.onDeploy) {
    void checkWebhook(bot.api, config);
    return null;
  }
  await registerCommands(bot.api, config.defaultLanguage).catch((err) =>
    log.warn("setMyCommands failed: {message}", { message: String(err) })
  );
  if (config.botMode === "webhook") {
    await setWebhook(bot.api, config);
    log.info("Webhook set to {url}", { url: config.webhookUrl });
    return null;
  }
  log.info("Polling Telegram for updates");
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
function announceBackupKey(app: App): void {
  if (!app.backupKey.generated) return;
  const notice = backupKeyNotice(app.backupKey, describeKvPath(app.config.kvPath));
  if (Deno.stdout.isTerminal()) Deno.stdout.writeSync(new TextEncoder().encode(`\n${notice}\n\n`));
  else log.warn(notice);
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
  const app = await composeApp(config);
  crons.attach({
    store: app.store,
    clock: app.clock,
    config,
    reportError: app.reportError,
    supervisor: app.supervisor,
    jobs: app.jobs,
    backups: app.backups,
    metricsSummary: app.metricsSummary,
  });
  await app.start();
  announceAdminToken(app);
  announceBackupKey(app);
  void backupIfStale({
    store: app.store,
    clock: app.clock,
    cronEnabled: config.cronEnabled,
    reportError: app.reportError,
    backups: app.backups,
  });

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
        kv: config.kvPath ?? "Deno Deploy",
      }),
  }, app.api.fetch);
  const polling = await startTransport(app);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("Stopping on {signal}", { signal });
    crons.detach();
    await polling?.stop();
    abort.abort();
    await server.finished;
    await app.stop();
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void stop(signal));
  }
}

if (import.meta.main) await main();
