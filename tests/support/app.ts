/**
 * The whole application as `main.ts` composes it, against the fake Bot API server, on a temp KV
 * file: for end-to-end tests.
 *
 * @module
 */
import { type Polling, startPolling } from "../../src/bot/transport/polling.ts";
import { type App, composeApp } from "../../src/compose.ts";
import { type Config, createConfig } from "../../src/config.ts";
import { type FakeBotApi, type RecordedCall } from "./fake_bot_api.ts";

/** The webhook secret of {@linkcode webhookConfig}. */
export const WEBHOOK_TEST_SECRET = "webhook_test_secret_0123456789";

/** Settings of an app in webhook mode against `fake`, on `kvPath`, with extra settings. */
export function webhookConfig(
  fake: FakeBotApi,
  kvPath: string,
  env: Record<string, string> = {},
): Config {
  return createConfig({
    BOT_TOKEN: fake.token,
    BOT_API_ROOT: fake.url,
    BOT_MODE: "webhook",
    WEBHOOK_URL: "https://bot.test/telegram/webhook",
    WEBHOOK_SECRET: WEBHOOK_TEST_SECRET,
    KV_PATH: kvPath,
    FLOOD_COOLDOWN_SECONDS: "0",
    ...env,
  });
}

/** A running app with polling, and what a test needs to drive it. */
export interface TestApp extends AsyncDisposable {
  app: App;
  polling: Polling | null;
  kvPath: string;
  /** Stops polling and the app (keeps the KV file for a restart). */
  stop(): Promise<void>;
}

/** Starts the app in polling mode against `fake`, with the given extra settings. */
export async function startTestApp(
  fake: FakeBotApi,
  env: Record<string, string> = {},
  kvPath?: string,
): Promise<TestApp> {
  const dir = kvPath ? null : await Deno.makeTempDir({ prefix: "rvx-e2e-" });
  const path = kvPath ?? `${dir}/rvx.kv`;
  const config = createConfig({
    BOT_TOKEN: fake.token,
    BOT_API_ROOT: fake.url,
    KV_PATH: path,
    FLOOD_COOLDOWN_SECONDS: "0",
    ...env,
  });
  const app = await composeApp(config);
  await app.start();
  const polling = startPolling({
    api: app.bot.api,
    inbox: app.inbox,
    clock: app.clock,
    timeoutSeconds: 1,
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await polling.stop();
    await app.stop();
  };
  return {
    app,
    polling,
    kvPath: path,
    stop,
    async [Symbol.asyncDispose]() {
      await stop();
      if (dir) await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** The app in local mode (no BOT_TOKEN: the playground's transport), pages mounted. */
export interface LocalTestApp extends AsyncDisposable {
  app: App;
}

/**
 * Starts the app as `main.ts` would without a bot token, on a temp KV file, with the admin
 * token and the given extra settings.
 */
export async function startLocalApp(
  adminToken: string,
  env: Record<string, string> = {},
): Promise<LocalTestApp> {
  const dir = await Deno.makeTempDir({ prefix: "rvx-local-" });
  const config = createConfig({
    KV_PATH: `${dir}/rvx.kv`,
    ADMIN_API_TOKEN: adminToken,
    FLOOD_COOLDOWN_SECONDS: "0",
    DEFAULT_LANGUAGE: "en",
    ...env,
  });
  const app = await composeApp(config);
  await app.start();
  return {
    app,
    async [Symbol.asyncDispose]() {
      await app.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** A predicate: a call of `method` to `chatId`. */
export function callTo(method: string, chatId: number): (call: RecordedCall) => boolean {
  return (call) => call.method === method && Number(call.params.chat_id) === chatId;
}

/** The callback data of the button whose text is `text` in a call's inline keyboard. */
export function buttonData(call: RecordedCall, text: string): string {
  const markup = call.params.reply_markup as
    | { inline_keyboard: { text: string; callback_data?: string }[][] }
    | string
    | undefined;
  const keyboard = typeof markup === "string" ? JSON.parse(markup) : markup;
  for (const row of keyboard?.inline_keyboard ?? []) {
    for (const button of row) {
      if (button.text === text && button.callback_data) return button.callback_data;
    }
  }
  throw new Error(`No button "${text}" in ${JSON.stringify(keyboard)}`);
}

/** The id of the message a send or edit call produced. */
export function messageIdOf(call: RecordedCall): number {
  const result = (call.response as { result?: { message_id?: number } } | undefined)?.result;
  return Number(result?.message_id ?? call.params.message_id);
}
