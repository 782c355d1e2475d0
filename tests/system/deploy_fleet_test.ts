/**
 * A Deno Deploy simulation (docs/DEPLOY.md): three `main.ts` instances under Deno 2.5 (Deploy's
 * runtime) in Deploy mode, with write permission only for the directory of the KV file they share
 * (`DEPLOY_ALLOW_FILE_KV`), webhook traffic spread over them like Deploy's router does. At seeded
 * random moments an instance is stopped the way Deploy stops one (SIGINT, SIGKILL 5 s later if
 * still running) and cold-started again, and gets traffic while it starts.
 *
 * Like Telegram, an update that got no answer (connection refused, or dropped by a dying
 * instance) is delivered again to a live instance. Checked: no 5xx on the webhook ever (a starting
 * instance makes the update durable first); every acknowledged update answered (its analysis
 * card) and in the user's history exactly once; a user gets an answer twice at most once per
 * stop (a turn in flight when its instance died); no polling and no webhook changes (only the
 * setup task may touch the webhook).
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Update } from "grammy/types";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { post, Semaphore } from "./driver.ts";
import {
  type BotProcess,
  cardsByChat,
  deno25,
  freePort,
  historyMismatches,
  seeded,
  spawnBot,
  tail,
  waitIdle,
  withTails,
} from "./support.ts";

const INSTANCES = ["a", "b", "c"];
const USERS = 40;
const PER_USER = 10;
/** Most time a user waits between two messages (ms), so the traffic spans the stops. */
const PAUSE_MS = 600;
const CONNECTIONS = 12;
const STOPS = 4;
const ENV = {
  DENO_DEPLOYMENT_ID: "fleet-test",
  DEPLOY_ALLOW_FILE_KV: "true",
  FLOOD_COOLDOWN_SECONDS: "0",
  MAX_REQUESTS_PER_DAY: "10000",
  LEASE_TTL_SECONDS: "2",
  WEBHOOK_TURN_DEADLINE_MS: "2000",
  API_RATE_LIMIT_REQUESTS: "100000",
};
const TOPICS = [
  "shares of company {k} rose sharply today after strong quarterly earnings",
  "a hacker drained {k} million dollars from a DeFi lending protocol overnight",
  "the SEC approved a spot bitcoin ETF filed by fund manager {k}",
  "regulators fined crypto lender {k} for misleading customers",
];

interface Delivery {
  update: Update;
  userId: number;
  text: string;
  acked: boolean;
}

/** Deploy's router as Telegram sees it: each post to a live instance picked at random. */
class Router {
  readonly problems: string[] = [];
  readonly deliveries: Delivery[] = [];
  #live = new Map<string, BotProcess>();
  #connections = new Semaphore(CONNECTIONS);

  constructor(readonly random: () => number) {}

  up(name: string, bot: BotProcess): void {
    this.#live.set(name, bot);
  }

  down(name: string): void {
    this.#live.delete(name);
  }

  async deliver(delivery: Delivery): Promise<void> {
    this.deliveries.push(delivery);
    for (let attempt = 1; attempt <= 200; attempt++) {
      const names = [...this.#live.keys()];
      const name = names[Math.floor(this.random() * names.length)];
      const bot = this.#live.get(name);
      if (!bot) {
        await new Promise((r) => setTimeout(r, 100));
        continue;
      }
      await this.#connections.acquire();
      let status: number;
      try {
        status = await post(bot.hook, delivery.update);
      } finally {
        this.#connections.release();
      }
      if (status === 200) {
        delivery.acked = true;
        return;
      }
      // 0: not listening yet, or stopped under the request; Telegram delivers it again.
      if (status !== 0) this.problems.push(`update ${delivery.update.update_id} → ${status}`);
      await new Promise((r) => setTimeout(r, 50 * Math.min(attempt, 10)));
    }
    throw new Error(`update ${delivery.update.update_id} never got a 200`);
  }
}

/** Waits until a (cold-started) instance answers `/health` with 200. */
async function healthy(bot: BotProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(`${bot.base}/health`).then(async (res) => {
      await res.body?.cancel();
      return res.status;
    }, () => 0);
    if (status === 200) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no /health 200 within ${timeoutMs} ms\n${tail(bot)}`);
}

/** Stops an instance as Deploy does: SIGINT, then SIGKILL 5 s later if it still runs. */
async function stopLikeDeploy(bot: BotProcess): Promise<"exited" | "killed"> {
  try {
    bot.child.kill("SIGINT");
  } catch {
    return "exited";
  }
  const exited = await Promise.race([
    bot.child.status.then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 5000)),
  ]);
  await bot.kill();
  return exited ? "exited" : "killed";
}

Deno.test({
  name:
    "deploy fleet: three instances under Deno 2.5 on one KV, stopped as Deploy stops them and " +
    "cold-started under traffic: no webhook 5xx, every acknowledged update answered and in " +
    "history once, no polling, no webhook changes",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const random = seeded(17);
  const denoPath = await deno25();
  const dir = await Deno.makeTempDir({ prefix: "rvx-fleet-" });
  await Deno.mkdir(`${dir}/kv`);
  const kvPath = `${dir}/kv/rvx.kv`;
  await using fake = startFakeBotApi({ seed: 17 });
  const spawn = (port: number, noWait: boolean) =>
    spawnBot({
      fake,
      kvPath,
      port,
      denoPath,
      permissions: ["--allow-net", "--allow-env", "--allow-read", `--allow-write=${dir}/kv`],
      env: ENV,
      noWait,
      startTimeoutMs: 120_000,
    });
  const bots = new Map<string, BotProcess>();
  const ports = new Map(INSTANCES.map((name) => [name, freePort()]));
  const router = new Router(random);
  const outcomes: string[] = [];
  try {
    for (const name of INSTANCES) {
      const bot = await spawn(ports.get(name)!, false);
      bots.set(name, bot);
      router.up(name, bot);
    }
    let trafficDone = false;
    const stopper = (async () => {
      for (let stop = 0; stop < STOPS && !trafficDone; stop++) {
        await new Promise((r) => setTimeout(r, 1500 + random() * 2500));
        const name = INSTANCES[Math.floor(random() * INSTANCES.length)];
        const bot = bots.get(name)!;
        router.down(name);
        outcomes.push(`${name}: ${await stopLikeDeploy(bot)}`);
        // A cold start: it gets traffic at once, before it listens.
        const again = await spawn(ports.get(name)!, true);
        bots.set(name, again);
        router.up(name, again);
      }
    })();
    await Promise.all(Array.from({ length: USERS }, async (_, u) => {
      const userId = 30_000 + u;
      for (let k = 0; k < PER_USER; k++) {
        const text = `Fleet wire ${u}-${k}: ${
          TOPICS[(u + k) % TOPICS.length].replace("{k}", `${u}x${k}`)
        }`;
        await router.deliver({
          update: fake.textUpdate({ userId, text }),
          userId,
          text,
          acked: false,
        });
        await new Promise((r) => setTimeout(r, random() * PAUSE_MS));
      }
    }));
    trafficDone = true;
    await stopper;
    assert.deepEqual(router.problems.slice(0, 5), [], "the webhook answered only 200");

    // Every instance is up again: they finish what the stopped ones left.
    for (const bot of bots.values()) {
      await healthy(bot);
      await waitIdle(bot, 120_000);
    }
    const acked = new Map<number, Delivery[]>();
    for (const d of router.deliveries) {
      if (d.acked) acked.set(d.userId, [...(acked.get(d.userId) ?? []), d]);
    }
    const cards = cardsByChat(fake);
    const missing = [...acked].filter(([user, list]) => (cards.get(user) ?? 0) < list.length);
    assert.deepEqual(
      missing.map(([user]) => user).slice(0, 5),
      [],
      "every acknowledged update answered",
    );
    const repeats = [...acked].map(([user, list]) => (cards.get(user) ?? 0) - list.length);
    assert.ok(
      repeats.every((extra) => extra <= STOPS),
      `at most one answer repeated per user and stop: ${repeats.join(",")}`,
    );

    assert.deepEqual(fake.calls("getUpdates"), [], "an instance polled");
    assert.deepEqual(fake.calls("setWebhook"), [], "an instance set the webhook");
    assert.deepEqual(fake.calls("deleteWebhook"), [], "an instance deleted the webhook");
    for (const bot of bots.values()) await bot.kill();

    const problems = await historyMismatches(kvPath, acked);
    assert.deepEqual(problems.slice(0, 5), [], `${problems.length} histories differ`);
    // deno-lint-ignore no-console
    console.log(
      `fleet: ${router.deliveries.length} updates, stops ${outcomes.join(", ")}; ` +
        `repeats ${repeats.reduce((a, b) => a + b, 0)}`,
    );
  } catch (err) {
    throw withTails(err, bots);
  } finally {
    for (const bot of bots.values()) await bot.kill();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
