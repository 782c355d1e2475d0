/**
 * Two `main.ts` processes on one KV file (docs/ARCHITECTURE.md, "Recovery" and "Guarantees"):
 * both run in webhook mode on the same file, and Telegram's traffic is split between them per
 * request, as a load balancer would, so one user's updates land on both and their turns are
 * serialised by the actor leases in KV. Mid-burst one process is SIGKILLed:
 *
 * - restarted: it comes back on the same file and gets its share of the traffic again, and
 *   Telegram delivers some acknowledged updates again too;
 * - left dead: the burst ends with the kill and the survivor alone finishes the dead one's work,
 *   most of it for users who send nothing more (its peer discovery of orphaned inboxes, not a
 *   new update, wakes them).
 *
 * Like Telegram, an update that got no 200 is delivered again (to either live process). Each update is a distinct news text; its answer is the analysis card (a
 * "thinking" message edited into the card), and its effect a history entry. Checked: every
 * acknowledged update is answered and in the user's history exactly once; a user gets at most one
 * answer twice (the turn the killed process had in flight for them); and the users waiting on the
 * killed process get their answers within a generous bound of a few lease TTLs. How fast recovery
 * really is, is a bench figure (`recovery_after_kill_s`), not this test's.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Update } from "grammy/types";
import { type FakeBotApi, startFakeBotApi } from "../support/fake_bot_api.ts";
import { post, Semaphore } from "./driver.ts";
import {
  type BotProcess,
  cardsByChat,
  historyMismatches,
  seeded,
  spawnBot,
  waitIdle,
  withTails,
} from "./support.ts";

const USERS = 200;
const PER_USER = 10;
const CONNECTIONS = 40;
const LEASE_TTL_SECONDS = 3;
/**
 * How long the users left waiting by the kill may wait for their answers: ten lease TTLs
 * (about one TTL for a lease to lapse and a discovery pass or a restart, the rest is margin for
 * the backlog on a loaded 2-core machine).
 */
const RESUME_BOUND_MS = 10 * LEASE_TTL_SECONDS * 1000;
/** Share of the updates acknowledged before the kill that Telegram delivers again anyway. */
const REDELIVER_ACKED = 0.15;

const ENV = {
  FLOOD_COOLDOWN_SECONDS: "0",
  MAX_REQUESTS_PER_DAY: "10000",
  LEASE_TTL_SECONDS: String(LEASE_TTL_SECONDS),
  API_RATE_LIMIT_REQUESTS: "100000",
};

const TOPICS = [
  "shares of company {k} rose sharply today after strong quarterly earnings",
  "a hacker drained {k} million dollars from a DeFi lending protocol overnight",
  "the SEC approved a spot bitcoin ETF filed by fund manager {k}",
  "a whale moved {k} thousand ETH to an exchange in one transaction",
  "regulators fined crypto lender {k} for misleading customers",
];

/** What Telegram knows about one update. */
interface Delivery {
  update: Update;
  userId: number;
  text: string;
  /** Every answer it got, in order: the process, the status (0: no answer) and when (epoch ms). */
  answers: { to: string; status: number; at: number }[];
  acked: boolean;
}

/**
 * Telegram's side, split between processes: each post goes to a live process picked at random;
 * an update whose process died before answering is delivered again to a live one.
 */
class SplitCourier {
  readonly deliveries = new Map<number, Delivery>();
  /** Answers other than 200 from a process that was not being killed. */
  readonly problems: string[] = [];
  acked = 0;
  onAcked: () => void = () => {};
  #live = new Map<string, BotProcess>();
  #connections = new Semaphore(CONNECTIONS);
  #changed: Promise<void> = Promise.resolve();
  #wake: () => void = () => {};
  #burstOver = false;

  constructor(readonly random: () => number) {}

  /** Sends traffic to `bot` (under `name`) from now on. */
  up(name: string, bot: BotProcess): void {
    this.#live.set(name, bot);
    this.#wake();
  }

  /** Stops sending traffic to `name` (it is about to be killed). */
  down(name: string): void {
    this.#live.delete(name);
    if (this.#live.size === 0) this.#changed = new Promise((r) => this.#wake = r);
  }

  /** Ends the burst: updates not posted yet are never sent (redeliveries still are). */
  endBurst(): void {
    this.#burstOver = true;
  }

  async deliver(delivery: Delivery): Promise<void> {
    for (let attempt = 1;; attempt++) {
      while (this.#live.size === 0) await this.#changed;
      const names = [...this.#live.keys()];
      const name = names[Math.floor(this.random() * names.length)];
      const bot = this.#live.get(name)!;
      await this.#connections.acquire();
      if (this.#burstOver && delivery.answers.length === 0) {
        this.#connections.release();
        return;
      }
      this.deliveries.set(delivery.update.update_id, delivery);
      let status: number;
      try {
        status = await post(bot.hook, delivery.update);
      } finally {
        this.#connections.release();
      }
      delivery.answers.push({ to: name, status, at: Date.now() });
      if (status === 200) {
        if (!delivery.acked) {
          delivery.acked = true;
          this.acked++;
          this.onAcked();
        }
        return;
      }
      // No answer from a process being killed: Telegram tries again, maybe elsewhere.
      if (status === 0 && this.#live.get(name) !== bot) continue;
      this.problems.push(`update ${delivery.update.update_id} → ${status} from ${name}`);
      if (attempt >= 5) throw new Error(`update ${delivery.update.update_id} never got a 200`);
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

function ackedByUser(courier: SplitCourier): Map<number, Delivery[]> {
  const byUser = new Map<number, Delivery[]>();
  for (const d of courier.deliveries.values()) {
    if (!d.acked) continue;
    byUser.set(d.userId, [...(byUser.get(d.userId) ?? []), d]);
  }
  return byUser;
}

/**
 * Resolves once every user in `owed` has at least that many cards edited since `since` (woken by
 * each card, bounded by `timeoutMs`).
 */
async function answered(
  fake: FakeBotApi,
  owed: Map<number, number>,
  since: number,
  timeoutMs: number,
): Promise<{ ms: number; missing: string[] }> {
  const started = Date.now();
  while (true) {
    const cards = cardsByChat(fake, since);
    const missing = [...owed].filter(([user, n]) => (cards.get(user) ?? 0) < n)
      .map(([user, n]) => `user ${user}: ${cards.get(user) ?? 0} of ${n} cards`);
    if (missing.length === 0 || Date.now() - started > timeoutMs) {
      return { ms: Date.now() - started, missing };
    }
    // Woken by the next card, or after a second at the latest.
    await fake.waitFor("editMessageText", { timeoutMs: 1000 }).catch(() => {});
  }
}

for (const variant of ["restarted", "left dead"] as const) {
  Deno.test({
    name: `two processes on one KV file, one SIGKILLed mid-burst and ${variant}: every ` +
      `acknowledged update answered and in history once, users waiting on it answered within ` +
      `${RESUME_BOUND_MS / 1000} s`,
    sanitizeResources: false,
    sanitizeOps: false,
  }, async () => {
    const seed = variant === "restarted" ? 41 : 42;
    const random = seeded(seed);
    const dir = await Deno.makeTempDir({ prefix: "rvx-two-" });
    const kvPath = `${dir}/rvx.kv`;
    await using fake = startFakeBotApi({ seed });
    const bots = new Map<string, BotProcess>();
    const [a, b] = await Promise.all([
      spawnBot({ fake, kvPath, env: ENV }),
      spawnBot({ fake, kvPath, env: ENV }),
    ]);
    bots.set("a", a).set("b", b);
    // Outside Deno Deploy, `deno task start` in webhook mode points Telegram at itself.
    await fake.waitFor("setWebhook", { includePast: true, timeoutMs: 10_000 });
    assert.equal(fake.webhook?.url, "https://x.test/telegram/webhook");
    try {
      const courier = new SplitCourier(random);
      courier.up("a", a);
      courier.up("b", b);

      const planned = USERS * PER_USER;
      const killAfter = Math.floor(planned * (0.3 + 0.2 * random()));
      let kill: Promise<{ at: number; owed: Map<number, number> }> | undefined;
      courier.onAcked = () => {
        if (courier.acked < killAfter || kill) return;
        courier.down("a");
        // Left dead, the burst ends at the kill: only redeliveries follow, so most users waiting
        // on the killed process send nothing more.
        if (variant === "left dead") courier.endBurst();
        kill = (async () => {
          await a.kill();
          const at = Date.now();
          // What the users were owed when "a" died: a card for each acknowledged update that
          // had none yet (a card the killed process sent for a turn it never committed is sent
          // again, so this is a lower bound of what is still to come).
          const cards = cardsByChat(fake);
          const owed = new Map<number, number>();
          for (const [user, acked] of ackedByUser(courier)) {
            const missing = acked.length - (cards.get(user) ?? 0);
            if (missing > 0) owed.set(user, missing);
          }
          if (variant === "restarted") {
            const again = await spawnBot({ fake, kvPath, env: ENV });
            bots.set("a", again);
            courier.up("a", again);
          }
          // Telegram delivers some acknowledged updates again, to either process (restarted).
          const repeats = [...courier.deliveries.values()].filter((d) =>
            variant === "restarted" && d.acked && random() < REDELIVER_ACKED
          );
          await Promise.all(repeats.map((d) => courier.deliver(d)));
          return { at, owed };
        })();
      };

      await Promise.all(Array.from({ length: USERS }, async (_, u) => {
        const userId = 20_000 + u;
        for (let k = 0; k < PER_USER; k++) {
          const text = `Market wire ${u}-${k} (${seed}): ${
            TOPICS[(u + k) % TOPICS.length].replace("{k}", `${u}x${k}`)
          }`;
          const update = fake.textUpdate({ userId, text });
          await courier.deliver({ update, userId, text, answers: [], acked: false });
        }
      }));
      assert.ok(kill, `the kill happened (${courier.acked} acks, kill after ${killAfter})`);
      const { at, owed } = await kill;
      assert.deepEqual(courier.problems.slice(0, 5), [], "only 200 or no answer from a dying bot");

      // The users the kill left waiting get their answers within the bound...
      const resumed = await answered(fake, owed, at, RESUME_BOUND_MS - (Date.now() - at));
      const waited = Date.now() - at;
      assert.deepEqual(resumed.missing.slice(0, 5), [], `answers still missing ${waited} ms on`);
      // ...and the live processes drain every inbox (a KV-wide gauge): all work is done.
      const live = variant === "restarted" ? bots.get("a")! : b;
      await waitIdle(live, 120_000);
      const byUser = ackedByUser(courier);
      const all = new Map([...byUser].map(([user, acked]) => [user, acked.length]));
      const everyone = await answered(fake, all, 0, 10_000);
      assert.deepEqual(everyone.missing.slice(0, 5), [], "every acknowledged update answered");
      for (const bot of bots.values()) await bot.kill();

      const deliveries = [...courier.deliveries.values()];
      const unacked = deliveries.filter((d) => d.answers[0].status !== 200).length;
      const cards = cardsByChat(fake);
      const repeats = [...all].map(([user, n]) => [user, (cards.get(user) ?? 0) - n]);
      const twice = repeats.filter(([, extra]) => extra > 0).length;
      // Users waiting on the killed process to whom Telegram sent nothing more: only a peer's
      // discovery of their orphaned inboxes (or the restart's sweep) could answer them.
      const quiet = [...owed.keys()].filter((user) =>
        !deliveries.some((d) =>
          d.userId === user && d.answers.some((x) => x.at >= at)
        )
      ).length;
      // deno-lint-ignore no-console
      console.log(
        `${variant}: ${deliveries.length} updates from ${byUser.size} users, kill after ack ` +
          `${killAfter}; ${unacked} got no first 200; ${owed.size} users waiting on the killed ` +
          `process (${quiet} sent nothing more), all answered ${waited} ms after the kill; ` +
          `${twice} users got one answer twice`,
      );
      if (variant === "left dead") assert.ok(quiet > 0, "some users waited on discovery alone");
      // A repeat is only the turn the killed process had in flight for that user.
      const tooMany = repeats.filter(([, extra]) => extra > 1);
      assert.deepEqual(tooMany.slice(0, 5), [], "at most one answer repeated per user");

      // Exactly-once effects: each acknowledged text is in its user's history once.
      const problems = await historyMismatches(kvPath, byUser);
      assert.deepEqual(problems.slice(0, 5), [], `${problems.length} histories differ`);
    } catch (err) {
      throw withTails(err, bots);
    } finally {
      for (const bot of bots.values()) await bot.kill();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
}
