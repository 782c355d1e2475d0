/**
 * The composition root: settings → logging → KV → migrations → services → API → serve.
 * Nothing else builds services; everything receives what it needs from here.
 *
 * @module
 */
import { createApi } from "./src/api/app.ts";
import { type Config, ConfigError, loadConfig } from "./src/config.ts";
import { systemClock } from "./src/core/clock.ts";
import { createErrorReporter } from "./src/core/report.ts";
import { VERSION } from "./src/core/version.ts";
import { configureLogging, getLogger } from "./src/log.ts";
import { KvAuditSink } from "./src/store/audit.ts";
import { KvMetricsSink } from "./src/store/counters.ts";
import { openStore } from "./src/store/kv.ts";
import { runMigrations } from "./src/store/migrations.ts";

const log = getLogger(["rvx", "main"]);

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

async function main(): Promise<void> {
  const config = await readConfig();
  await configureLogging({ level: config.logLevel, format: config.logFormat });
  const clock = systemClock;
  const startedAt = clock.now();

  const store = await openStore(config.kvPath);
  const applied = await runMigrations(store);
  if (applied.length > 0) log.info("Applied migrations {applied}", { applied });

  const metrics = new KvMetricsSink(store, { clock });
  const audit = new KvAuditSink(store, clock);
  const reportError = createErrorReporter({ audit, metrics });

  const app = createApi({ store, clock, startedAt, version: VERSION, reportError });
  const abort = new AbortController();
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    signal: abort.signal,
    onListen: ({ hostname, port }) => {
      log.info("RVX Bot {version} listening on http://{hostname}:{port} (KV: {kv})", {
        version: VERSION,
        hostname,
        port,
        kv: config.kvPath ?? "Deno Deploy",
      });
      if (config.botMode === "off") {
        log.info(
          "No BOT_TOKEN: Telegram is off. The HTTP API runs; talk to the bot with `deno task chat`.",
        );
      }
    },
  }, app.fetch);

  const stop = async (signal: string) => {
    log.info("Stopping on {signal}", { signal });
    abort.abort();
    await server.finished;
    await metrics.flush().catch(() => {});
    store.close();
    Deno.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => void stop(signal));
  }
}

if (import.meta.main) await main();
