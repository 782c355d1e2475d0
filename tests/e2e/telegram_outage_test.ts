import assert from "node:assert/strict";
import { type App, composeApp } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { t } from "../../src/i18n/mod.ts";
import { listDeadLetters } from "../../src/store/dead_letters.ts";
import { type FakeBotApi, startFakeBotApi } from "../support/fake_bot_api.ts";
import { FakeLlmServer } from "../support/fake_llm_server.ts";
import { TcpGate } from "../support/tcp_gate.ts";

const SEND_METHODS = ["sendMessage", "editMessageText"];
/** Fake time the clock moves at once; real HTTP and KV work runs between two moves. */
const STEP_MS = 250;
/** A 429's wait, over the retry transformer's bound: the actor pauses for it. */
const RETRY_AFTER_S = 8;
/**
 * Replies resume within seconds of Telegram answering again: at worst the retry transformer's
 * longest pause between a probe's tries (4 s), then the woken actors' turns.
 */
const RESUMES_WITHIN_MS = 6000;

/** How Telegram fails in one run of the scenario, and how it comes back. */
interface Outage {
  name: string;
  /** Only the cards' edits fail: "thinking…" went out and the provider answered. */
  failEdits(fake: FakeBotApi, gate: TcpGate): void;
  /** Every send fails. */
  failSends(fake: FakeBotApi, gate: TcpGate): void;
  /** Telegram answers again. */
  heal(fake: FakeBotApi, gate: TcpGate): void;
  /** The longest wait from healing to each user's first delivered reply. */
  resumesWithinMs: number;
}

const OUTAGES: Outage[] = [{
  name: "429 Too Many Requests",
  failEdits: (fake) =>
    fake.faults.rateLimit({ method: "editMessageText", retryAfter: RETRY_AFTER_S }),
  failSends: (fake) => fake.faults.rateLimit({ method: SEND_METHODS, retryAfter: RETRY_AFTER_S }),
  heal: (fake) => fake.faults.clear(),
  // The wait Telegram asked for is honoured, then replies follow within seconds.
  resumesWithinMs: RETRY_AFTER_S * 1000 + 3000,
}, {
  name: "500 Internal Server Error",
  failEdits: (fake) => fake.faults.serverError({ method: "editMessageText" }),
  failSends: (fake) => fake.faults.serverError({ method: SEND_METHODS }),
  heal: (fake) => fake.faults.clear(),
  resumesWithinMs: RESUMES_WITHIN_MS,
}, {
  name: "refused connections",
  failEdits: (fake) => fake.faults.disconnect({ method: "editMessageText" }),
  failSends: (_, gate) => gate.refuse(),
  heal: (fake, gate) => {
    fake.faults.clear();
    gate.open();
  },
  resumesWithinMs: RESUMES_WITHIN_MS,
}];

for (const outage of OUTAGES) {
  Deno.test(`e2e: a Bot API outage (${outage.name}) longer than every turn attempt's backoff loses nothing, repeats no analysis, and replies resume within seconds`, async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    await using fake = startFakeBotApi({ now: () => clock.now() });
    await using gate = TcpGate.start(fake.url);
    await using llm = await FakeLlmServer.start();
    const dir = await Deno.makeTempDir({ prefix: "rvx-outage-" });
    const app = await composeApp(
      createConfig({
        BOT_TOKEN: fake.token,
        BOT_API_ROOT: gate.url,
        KV_PATH: `${dir}/rvx.kv`,
        FLOOD_COOLDOWN_SECONDS: "0",
        // Two attempts 1 s apart: an outage of a minute outlasts them many times over.
        TURN_MAX_ATTEMPTS: "2",
        AI_PROVIDER_1_URL: llm.url,
        AI_PROVIDER_1_MODEL: "fake-model",
      }),
      // Fake time runs ahead of real HTTP here: no call should time out while it is answered.
      { clock, botApiRetry: { callTimeoutMs: 600_000 } },
    );
    try {
      await app.start();
      await runScenario(app, clock, fake, gate, llm, outage);
    } finally {
      await app.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  });
}

async function runScenario(
  app: App,
  clock: FakeClock,
  fake: FakeBotApi,
  gate: TcpGate,
  llm: FakeLlmServer,
  outage: Outage,
): Promise<void> {
  const { inbox, supervisor } = app;
  /**
   * Runs the app for `ms` of fake time in steps: pauses on the clock (the retry transformer's
   * between tries, an actor's after an outage) pass as it moves, the work between them runs.
   */
  const run = async (ms: number) => {
    const until = clock.now() + ms;
    while (clock.now() < until) await clock.advance(Math.min(STEP_MS, until - clock.now()));
  };
  /** Runs the app until nothing is queued or draining. */
  const runUntilIdle = async () => {
    let idle = false;
    void supervisor.whenIdle().then(() => idle = true);
    for (let steps = 0; !idle; steps++) {
      assert.ok(steps < 3000, "the runtime goes idle within 5 minutes of fake time");
      await clock.advance(STEP_MS);
    }
  };
  const texts = new Map<number, string>();
  const news = (userId: number, n: number) => {
    const text = `Outage news ${userId}-${n}: the exchange listed a new token today`;
    const update = fake.textUpdate({ userId, text });
    texts.set(update.update_id, text);
    return update;
  };
  // The outage starts mid-turn: "thinking…" is out, the provider answered, the card's edit
  // fails. Then every send fails while more traffic arrives.
  outage.failEdits(fake, gate);
  // An ingest whose direct turn meets the outage is acknowledged on the clock's time, once the
  // update waits in the inbox: the clock moves while the ingests are in flight.
  const firstAcks = Promise.all([1, 2, 3, 4].map((user) => inbox.ingest([news(user, 1)])));
  await run(10_000);
  await firstAcks;
  assert.equal(llm.requests.length, 4, "each first update reached the provider");
  outage.failSends(fake, gate);
  const secondAcks = Promise.all([1, 2, 3, 4, 5, 6].map((user) => inbox.ingest([news(user, 2)])));
  await run(60_000);
  await secondAcks;
  assert.deepEqual(await listDeadLetters(app.store), [], "nothing dead-lettered mid-outage");

  outage.heal(fake, gate);
  const healedAt = clock.now();
  await run(40_000);
  await runUntilIdle();

  assert.deepEqual(await listDeadLetters(app.store), [], "no dead letters after the outage");
  assert.equal((await supervisor.getStats()).inbox_depth, 0, "every update was handled");
  // Every user had a reply waiting: each one's first comes within seconds of Telegram's return.
  const resumedAfterMs = new Map<number, number>();
  for (const call of fake.calls()) {
    const chat = Number(call.params.chat_id);
    if (
      SEND_METHODS.includes(call.method) && call.response?.ok === true &&
      call.time >= healedAt && !resumedAfterMs.has(chat)
    ) resumedAfterMs.set(chat, call.time - healedAt);
  }
  assert.equal(resumedAfterMs.size, 6, "every user got replies after the outage");
  const slowest = Math.max(...resumedAfterMs.values());
  assert.ok(
    slowest <= outage.resumesWithinMs,
    `replies resumed ${[...resumedAfterMs.values()]} ms after Telegram answered again`,
  );
  const cards = fake.calls().filter((call) =>
    call.method === "editMessageText" && call.response?.ok === true
  );
  const cardsByChat = new Map<number, number>();
  for (const call of cards) {
    const chat = Number(call.params.chat_id);
    cardsByChat.set(chat, (cardsByChat.get(chat) ?? 0) + 1);
  }
  assert.equal(cards.length, texts.size, "every update's card delivered exactly once");
  assert.deepEqual(
    [...cardsByChat.entries()].sort(([a], [b]) => a - b),
    [[1, 2], [2, 2], [3, 2], [4, 2], [5, 1], [6, 1]],
    "two cards for users who sent two texts, one for the others",
  );
  assert.equal(llm.requests.length, texts.size, "the provider was called once per analysis");
  const placeholders = fake.calls("sendMessage").filter((call) =>
    call.response?.ok === true && call.params.text === t("en", "analysis_thinking")
  );
  assert.equal(placeholders.length, texts.size, 'one "thinking…" message per analysis');
  const edited = new Set(cards.map((call) => `${call.params.chat_id}:${call.params.message_id}`));
  for (const call of placeholders) {
    const { message_id } = (call.response as { result: { message_id: number } }).result;
    assert.ok(edited.has(`${call.params.chat_id}:${message_id}`), "each became its card");
  }
  const failureNotices = fake.calls().filter((call) =>
    call.method === "sendMessage" && call.response?.ok === true &&
    /went wrong|did not answer|try again/i.test(String(call.params.text))
  );
  assert.deepEqual(failureNotices, [], "an outage is not a failure the user is told about");
}
