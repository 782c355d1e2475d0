/**
 * kill -9 under load (issue 10, DESIGN §4 "Nothing acknowledged is lost" and "Exactly-once
 * effects"): `main.ts` runs as a child in webhook mode on a KV file with no AI providers (offline
 * analysis), flood cooldown and quotas off. Updates from many users arrive over concurrent
 * connections; the child is SIGKILLed at a seeded random moment, restarted on the same file, and
 * every update that got no 200 (plus some that did) is redelivered. Once the inboxes are drained,
 * each user's history holds exactly one item per news text they sent and the `analyses` totals
 * match.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Update } from "grammy/types";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { openStore } from "../../src/store/kv.ts";
import { runMigrations } from "../../src/store/migrations.ts";
import * as history from "../../src/store/history.ts";
import * as profiles from "../../src/store/profiles.ts";
import { type BotProcess, pool, SECRET, seeded, spawnBot, tail, waitIdle } from "./support.ts";

const USERS = 150;
const PER_USER = 10;
const CONNECTIONS = 20;
const SEEDS = [11, 22, 33];

const ENV = {
  FLOOD_COOLDOWN_SECONDS: "0",
  MAX_REQUESTS_PER_DAY: "100000",
  LEASE_TTL_SECONDS: "2",
};

interface Planned {
  update: Update;
  userId: number;
  /** The news text, or null for `/start`. */
  news: string | null;
}

async function deliver(url: string, update: Update): Promise<number> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": SECRET,
      },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(10_000),
    });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}

for (const seed of SEEDS) {
  Deno.test({
    name: `kill -9 under load (seed ${seed}): nothing acknowledged lost, effects exactly once`,
    sanitizeResources: false,
    sanitizeOps: false,
  }, async () => {
    const random = seeded(seed);
    const dir = await Deno.makeTempDir({ prefix: "rvx-kill-" });
    const kvPath = `${dir}/rvx.kv`;
    await using fake = startFakeBotApi({ seed });
    const started = Date.now();

    // Plan: every user sends /start (about half of them) and news texts, users interleaved.
    const perUser: Planned[][] = [];
    for (let u = 0; u < USERS; u++) {
      const userId = 10_000 + u;
      const items: Planned[] = [];
      const startAt = random() < 0.5 ? Math.floor(random() * PER_USER) : -1;
      for (let k = 0; k < PER_USER; k++) {
        if (k === startAt) {
          items.push({ update: null as unknown as Update, userId, news: null });
        } else {
          items.push({
            update: null as unknown as Update,
            userId,
            news: `Market report ${u}-${k}: shares of company ${seed}x${k} rose sharply today`,
          });
        }
      }
      perUser.push(items);
    }
    const plan: Planned[] = [];
    for (let k = 0; k < PER_USER; k++) {
      for (let u = 0; u < USERS; u++) {
        const item = perUser[u][k];
        item.update = item.news === null
          ? fake.commandUpdate({ userId: item.userId, command: "start" })
          : fake.textUpdate({ userId: item.userId, text: item.news });
        plan.push(item);
      }
    }
    const killAfter = Math.floor(plan.length * (0.2 + 0.6 * random()));

    let bot: BotProcess | undefined = await spawnBot({ fake, kvPath, env: ENV });
    try {
      // Phase 1: send under load, SIGKILL after `killAfter` answers.
      const statuses = new Array<number>(plan.length).fill(0);
      let answered = 0;
      let killed: Promise<void> | undefined;
      let killedAtMs = 0;
      const first: BotProcess = bot;
      await pool(plan, CONNECTIONS, async (item, i) => {
        if (killed) return; // The rest is "not acknowledged": redelivered below.
        statuses[i] = await deliver(first.hook, item.update);
        answered++;
        if (answered >= killAfter && !killed) {
          killedAtMs = Date.now() - started;
          killed = first.kill();
        }
      });
      await (killed ?? first.kill());
      const acknowledged = statuses.filter((s) => s === 200).length;
      const bad = statuses.filter((s) => s !== 200 && s !== 0);
      assert.deepEqual(bad, [], `only 200 or no answer before the kill: ${bad.slice(0, 5)}`);

      // Phase 2: restart on the same KV file; redeliver every non-200 and ~15 % of the 200s.
      bot = await spawnBot({ fake, kvPath, env: ENV });
      const again = plan
        .map((item, i) => ({ item, i }))
        .filter(({ i }) => statuses[i] !== 200 || random() < 0.15);
      const second: BotProcess = bot;
      const redelivered: number[] = new Array(again.length).fill(0);
      await pool(again, CONNECTIONS, async ({ item }, j) => {
        redelivered[j] = await deliver(second.hook, item.update);
      });
      const notOk = redelivered.filter((s) => s !== 200);
      assert.deepEqual(notOk, [], `redeliveries answered ${notOk.slice(0, 5)}`);
      const figures = await waitIdle(second, 60_000);
      await second.kill();
      bot = undefined;

      // deno-lint-ignore no-console
      console.log(
        `seed ${seed}: ${plan.length} updates, ${acknowledged} acknowledged before the kill at ` +
          `answer ${killAfter} (${killedAtMs} ms), ${again.length} redelivered ` +
          `(${again.length - (plan.length - acknowledged)} of them already acknowledged); ` +
          `idle after ${Date.now() - started} ms; dead_letters=${figures.dead_letters ?? "?"}`,
      );

      // Phase 3: the KV file holds each user's effects exactly once.
      const store = await openStore(kvPath);
      try {
        await runMigrations(store);
        const problems: string[] = [];
        for (const items of perUser) {
          const userId = items[0].userId;
          const expected = items.flatMap((p) => p.news === null ? [] : [p.news]).sort();
          const got = (await history.list(store, userId, 1000)).map((h) => h.text).sort();
          if (JSON.stringify(got) !== JSON.stringify(expected)) {
            problems.push(
              `user ${userId}: history ${got.length} items, expected ${expected.length}` +
                ` (dupes: ${got.length - new Set(got).size})`,
            );
            continue;
          }
          const view = await profiles.get(store, userId);
          const total = (view?.totals.analyses ?? 0) + (view?.totals.questions ?? 0);
          if (total !== expected.length) {
            problems.push(`user ${userId}: analyses total ${total}, expected ${expected.length}`);
          }
        }
        assert.deepEqual(problems.slice(0, 10), [], `${problems.length} users differ`);
      } finally {
        store.close();
      }
    } catch (err) {
      throw new Error(
        `${err instanceof Error ? err.message : err}\n${bot ? tail(bot) : ""}`,
      );
    } finally {
      await bot?.kill();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
}
