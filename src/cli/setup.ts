/**
 * `deno task setup`: the one-time Telegram setup, and Deno Deploy's pre-deploy step. It validates
 * every setting first (Deploy's impossible ones included, so a bad configuration fails the deploy
 * rather than live traffic), runs pending migrations, then, where it may touch Telegram, caches
 * `getMe`, registers the commands in Russian and English and sets the webhook. On Deploy only the
 * production timeline touches Telegram; other timelines validate and stop (a preview started with
 * the production token must not repoint the live bot). Run by hand outside Deploy, it applies.
 *
 * @module
 */
import { Api } from "grammy";
import { LANGUAGES } from "../i18n/mod.ts";
import { registerCommands } from "../bot/commands.ts";
import { setWebhook, webhookMaxConnections } from "../bot/transport/webhook_setup.ts";
import { type Config } from "../config.ts";
import { describeKvPath } from "../core/kv_location.ts";
import { backupKeyNotice, ensureBackupKey } from "../store/backup_signing.ts";
import { cachedBotInfo } from "../store/bot_info.ts";
import { type Store } from "../store/kv.ts";
import { type CliIo, runCliTask } from "./main.ts";

/** What the setup task works with. */
export interface SetupContext {
  config: Config;
  store: Store;
  io: CliIo;
  /** The Bot API client (tests point it at the fake server). */
  api?: Api;
}

/**
 * Runs the setup on an open, migrated store; returns the exit code.
 *
 * @example
 * ```ts
 * Deno.exitCode = await runSetup({ config, store, io });
 * ```
 */
export async function runSetup({ config, store, io, api }: SetupContext): Promise<number> {
  io.out(`Settings are valid. KV: ${describeKvPath(config.kvPath)}, schema up to date.`);
  if (config.onDeploy && config.timeline !== "production") {
    io.out(
      `Timeline ${
        config.timeline ?? "unknown"
      }: Telegram is left untouched (only the production timeline sets the webhook).`,
    );
    return 0;
  }
  io.out(backupKeyNotice(await ensureBackupKey(store), describeKvPath(config.kvPath)));
  const token = config.botToken;
  if (!token || config.botMode === "off") {
    io.out("No BOT_TOKEN (or BOT_MODE=off): nothing to set up with Telegram.");
    return 0;
  }
  const client = api ?? new Api(token, { apiRoot: config.botApiRoot });
  const me = await cachedBotInfo(store, token, () => client.getMe());
  io.out(`Bot: @${me.username} (${me.id}).`);
  await registerCommands(client, config.defaultLanguage);
  io.out(`Commands registered in ${LANGUAGES.join(", ")} (default ${config.defaultLanguage}).`);
  if (config.botMode === "webhook") {
    await setWebhook(client, config);
    io.out(
      `Webhook set to ${config.webhookUrl} with its secret, at most ${
        webhookMaxConnections(config)
      } connections.`,
    );
  } else {
    io.out("BOT_MODE polling: `deno task start` removes any webhook and polls.");
  }
  return 0;
}

if (import.meta.main) {
  await runCliTask((context) => runSetup(context), {
    validate: (config) => config.deployProblems,
    migrate: true,
  });
}
