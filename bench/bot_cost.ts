/**
 * What one update costs the whole bot in KV, not just the runtime: the app as `main.ts` composes
 * it (profile middleware, features, counters) in webhook mode on a file KV, its Bot API the fake
 * one from the tests, updates posted to `/telegram/webhook` one at a time (a Deploy isolate's
 * usual load), each measured until the runtime is idle and the actor's lease released.
 *
 * Figures (per update):
 * - `bot_new_user_*`: 20 users never seen before send `/start`.
 * - `bot_returning_user_*`: the same users send `/help` to a fresh app on the same KV file
 *   (users coming back to an isolate that never saw them).
 * - `bot_resident_user_*`: the same users send `/help` again to that app, which still holds
 *   their actors in memory and released their leases (a conversation a few seconds apart).
 *
 * Each has `kv_reads` (calls of `get`, `getMany` and `list` from the post until the runtime is
 * idle), `kv_keys_read` (keys those calls asked for, entries a `list` returned), `kv_writes`
 * (mutations inside commits, the lease's release after the linger included) and `serial_reads`
 * (read calls between the post and the first reply: what the user waits for besides the
 * commits and the handler).
 *
 * Run: `deno run -A bench/bot_cost.ts`. The bench runner imports {@linkcode runBotCostBench}.
 *
 * @module
 */
import { type Transformer } from "grammy";
import { type App, composeApp } from "../src/compose.ts";
import { WEBHOOK_TEST_SECRET, webhookConfig } from "../tests/support/app.ts";
import { type FakeBotApi, startFakeBotApi } from "../tests/support/fake_bot_api.ts";
import { type KvObserver, observeKv } from "./kv_observer.ts";
import { print, progress, round } from "./support.ts";

const USERS = 20;
const FIRST_USER = 7_000_001;
/** Longer than a drained actor's lease linger (a second), so each update starts idle. */
const LINGER_WAIT_MS = 1200;

/** One app on the bench's KV file, its KV observed and its replies counted. */
interface ObservedApp {
  app: App;
  observer: KvObserver;
  /** Read calls made before the latest reply left for the Bot API. */
  readsAtLastReply: number;
}

async function startObserved(fake: FakeBotApi, kvPath: string): Promise<ObservedApp> {
  const app = await composeApp(webhookConfig(fake, kvPath, { MAX_REQUESTS_PER_DAY: "1000000" }));
  const observer = observeKv(app.store.kv);
  const observed: ObservedApp = { app, observer, readsAtLastReply: 0 };
  const seeReplies: Transformer = (prev, method, payload, signal) => {
    if (method === "sendMessage") observed.readsAtLastReply = observer.counts.reads;
    return prev(method, payload, signal);
  };
  app.bot.api.config.use(seeReplies);
  await app.start();
  return observed;
}

/** Posts one update per user, one at a time; returns the figures under `prefix`. */
async function oneAtATime(
  observed: ObservedApp,
  fake: FakeBotApi,
  command: string,
  prefix: string,
): Promise<Record<string, number>> {
  const { app, observer } = observed;
  const before = { ...observer.counts };
  // Reads are counted from each post until the runtime is idle: the process's own passes
  // (discovery, jobs) read during the linger wait and are not the update's.
  let reads = 0, keysRead = 0;
  let serialReads = 0;
  for (let i = 0; i < USERS; i++) {
    const update = fake.commandUpdate({ userId: FIRST_USER + i, command });
    const readsBefore = observer.counts.reads;
    const keysBefore = observer.counts.keysRead;
    const replies = fake.calls("sendMessage").length;
    const response = await app.api.request("/telegram/webhook", {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_TEST_SECRET,
      },
      body: JSON.stringify(update),
    });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
    await app.supervisor.whenIdle();
    reads += observer.counts.reads - readsBefore;
    keysRead += observer.counts.keysRead - keysBefore;
    if (fake.calls("sendMessage").length === replies) throw new Error(`/${command}: no reply`);
    serialReads += observed.readsAtLastReply - readsBefore;
    await new Promise((resolve) => setTimeout(resolve, LINGER_WAIT_MS));
  }
  return {
    [`${prefix}_kv_reads_per_update`]: round(reads / USERS, 3),
    [`${prefix}_kv_keys_read_per_update`]: round(keysRead / USERS, 3),
    [`${prefix}_kv_writes_per_update`]: round((observer.counts.writes - before.writes) / USERS, 3),
    [`${prefix}_serial_reads`]: round(serialReads / USERS, 3),
  };
}

/**
 * Runs both scenarios on a fresh KV file and returns their figures.
 *
 * @example
 * ```ts
 * const figures = await runBotCostBench();
 * figures.bot_returning_user_kv_keys_read_per_update;
 * ```
 */
export async function runBotCostBench(): Promise<Record<string, number>> {
  const dir = await Deno.makeTempDir({ prefix: "rvx-bench-bot-" });
  const kvPath = `${dir}/rvx.kv`;
  await using fake = startFakeBotApi();
  progress(`bot_cost: ${USERS} new users send /start, one at a time`);
  const first = await startObserved(fake, kvPath);
  let figures: Record<string, number>;
  try {
    figures = await oneAtATime(first, fake, "start", "bot_new_user");
  } finally {
    await first.app.stop();
  }
  progress(`bot_cost: the same users send /help to a fresh app on that KV file`);
  const second = await startObserved(fake, kvPath);
  try {
    Object.assign(figures, await oneAtATime(second, fake, "help", "bot_returning_user"));
    progress(`bot_cost: and again, their actors still in memory`);
    Object.assign(figures, await oneAtATime(second, fake, "help", "bot_resident_user"));
  } finally {
    await second.app.stop();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
  return figures;
}

if (import.meta.main) {
  for (const [name, value] of Object.entries(await runBotCostBench())) print(`${name}=${value}`);
}
