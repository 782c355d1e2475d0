/**
 * The whole application in local mode (no token, the in-process Bot API) on an injected clock and
 * an in-memory store: for tests of what one user sees, command by command.
 *
 * @module
 */
import { type App, composeApp } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { type Lang } from "../../src/i18n/mod.ts";
import { memoryStore } from "./store.ts";

/** One local user talking to the app. */
export interface LocalChat extends AsyncDisposable {
  app: App;
  clock: FakeClock;
  /** Sends a text (or command), waits until the bot is idle, returns the bot's last message. */
  send(text: string): Promise<string>;
}

/** Starts the app at `at` (epoch ms) with these settings and one user speaking `lang`. */
export async function startLocalChat(
  options: { at?: number; lang?: Lang; env?: Record<string, string> } = {},
): Promise<LocalChat> {
  const clock = new FakeClock(options.at ?? Date.UTC(2026, 0, 5, 10));
  const store = await memoryStore();
  const app = await composeApp(
    createConfig({ KV_PATH: ":memory:", FLOOD_COOLDOWN_SECONDS: "0", ...options.env }),
    { clock, store },
  );
  await app.start();
  const user = await app.localClient.newUser("Ann", options.lang ?? "en");
  return {
    app,
    clock,
    async send(text) {
      await app.localClient.sendText(user, text);
      await app.supervisor.whenIdle();
      return app.local.messages(user.id).filter((m) => m.from_bot).at(-1)?.text ?? "";
    },
    async [Symbol.asyncDispose]() {
      await app.stop();
    },
  };
}
