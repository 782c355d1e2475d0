/**
 * Telegram trouble and provider outage (issue 10), against `main.ts` as a child process in webhook
 * mode on a KV file:
 *
 * - Telegram trouble: while 30 % of `sendMessage`/`editMessageText` calls are answered 429
 *   (`retry_after` 1–2 s) and 5 % answered 500, ~200 updates from 50 users are delivered → every
 *   webhook delivery gets a prompt 200 (ingest is unaffected), and once the faults are cleared every
 *   update's reply (its analysis card) is delivered successfully.
 * - Provider outage: provider 1 hangs (300 ms timeout), provider 2 answers 500, analysis deadline
 *   1.5 s → every user gets an analysis card with the built-in analyzer's note; once the providers
 *   answer well again, after the breaker cool-down a new analysis comes from a provider.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type RecordedCall, startFakeBotApi } from "../support/fake_bot_api.ts";
import { FakeLlmServer } from "../support/fake_llm_server.ts";
import { en } from "../../src/i18n/en.ts";
import { type BotProcess, pool, SECRET, seeded, spawnBot, tail, waitIdle } from "./support.ts";

const SEND_METHODS = ["sendMessage", "editMessageText"];
const OFFLINE_NOTE = "Answered by the built-in analyzer";

async function deliver(url: string, body: unknown): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-telegram-bot-api-secret-token": SECRET,
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    await res.body?.cancel();
    return { status: res.status, ms: performance.now() - started };
  } catch {
    return { status: 0, ms: performance.now() - started };
  }
}

/** A successful send or edit to `chatId` whose text contains `needle`. */
function repliedWith(chatId: number, needle: string): (call: RecordedCall) => boolean {
  return (call) =>
    SEND_METHODS.includes(call.method) && Number(call.params.chat_id) === chatId &&
    call.response?.ok === true && typeof call.params.text === "string" &&
    call.params.text.includes(needle);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test({
  name: "telegram trouble: 429/500 on sends → ingest unaffected, every reply delivered",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const USERS = 50;
  const PER_USER = 4;
  const random = seeded(1010);
  const dir = await Deno.makeTempDir({ prefix: "rvx-trouble-" });
  await using fake = startFakeBotApi({ seed: 1010 });
  let bot: BotProcess | undefined;
  try {
    bot = await spawnBot({
      fake,
      kvPath: `${dir}/rvx.kv`,
      env: { FLOOD_COOLDOWN_SECONDS: "0", MAX_REQUESTS_PER_DAY: "100000" },
    });
    const running = bot;
    // 30 % 429 (half with retry_after 1, half with 2), then 5 % 500 overall.
    fake.faults.rateLimit({ method: SEND_METHODS, share: 0.15, retryAfter: 1 });
    fake.faults.rateLimit({ method: SEND_METHODS, share: 0.15 / 0.85, retryAfter: 2 });
    fake.faults.serverError({ method: SEND_METHODS, share: 0.05 / 0.7 });

    // Users interleaved; each news text is unique so its card can be matched.
    const plan: { userId: number; text: string }[] = [];
    for (let k = 0; k < PER_USER; k++) {
      for (let u = 0; u < USERS; u++) {
        const pct = 1 + Math.floor(random() * 30);
        plan.push({
          userId: 700_000 + u,
          text: `Bitcoin rose ${pct}% after exchange report number ${u * PER_USER + k}`,
        });
      }
    }
    const latencies: number[] = [];
    const bad: string[] = [];
    await pool(plan, 10, async (item) => {
      const update = fake.textUpdate({ userId: item.userId, text: item.text });
      const { status, ms } = await deliver(running.hook, update);
      latencies.push(ms);
      if (status !== 200 && bad.length < 5) bad.push(`${item.text} → ${status}`);
    });
    latencies.sort((a, b) => a - b);
    const p50 = percentile(latencies, 0.5);
    const p99 = percentile(latencies, 0.99);
    const max = latencies[latencies.length - 1];
    assert.deepEqual(bad, [], "every webhook delivery got 200");
    assert.ok(max < 3000, `webhook answered promptly (max ${max.toFixed(0)} ms)`);

    // Keep the faults a while longer, then clear them.
    await sleep(3000);
    const faulted = fake.calls().filter((c) =>
      SEND_METHODS.includes(c.method) && c.response?.ok === false
    );
    const r429 = faulted.filter((c) => c.response?.ok === false && c.response.error_code === 429);
    fake.faults.clear();
    assert.ok(r429.length > 0, "the fault injection was exercised");

    const deadline = Date.now() + 60_000;
    let missing = plan;
    while (Date.now() < deadline) {
      const calls = fake.calls();
      missing = plan.filter((item) => !calls.some(repliedWith(item.userId, item.text)));
      if (missing.length === 0) break;
      await sleep(500);
    }
    assert.deepEqual(
      missing.slice(0, 5).map((m) => `${m.userId}: ${m.text}`),
      [],
      `every update's card delivered (${missing.length} missing)`,
    );
    await waitIdle(running, 30_000);
    assert.equal(running.exited.code, null, "main.ts is still running");
    // deno-lint-ignore no-console
    console.log(
      `telegram trouble: ${plan.length} updates, webhook p50 ${p50.toFixed(0)} ms, p99 ${
        p99.toFixed(0)
      } ms, max ${max.toFixed(0)} ms; ${r429.length} × 429, ${
        faulted.length - r429.length
      } × 500 answered; all replies delivered`,
    );
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : err}\n${bot ? tail(bot) : ""}`);
  } finally {
    await bot?.kill();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test({
  name: "provider outage: offline cards for everyone, breaker recovers when providers return",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const USERS = 20;
  assert.ok(en.analysis_offline_note.includes(OFFLINE_NOTE));
  const dir = await Deno.makeTempDir({ prefix: "rvx-outage-" });
  await using fake = startFakeBotApi({ seed: 2020 });
  await using hanging = await FakeLlmServer.start({ type: "hang" });
  await using failing = await FakeLlmServer.start({ type: "status", status: 500 });
  let bot: BotProcess | undefined;
  try {
    bot = await spawnBot({
      fake,
      kvPath: `${dir}/rvx.kv`,
      env: {
        FLOOD_COOLDOWN_SECONDS: "0",
        MAX_REQUESTS_PER_DAY: "100000",
        AI_RATE_LIMIT_REQUESTS: "100000",
        AI_PROVIDER_1_URL: hanging.url,
        AI_PROVIDER_1_MODEL: "fake-model",
        AI_PROVIDER_1_TIMEOUT_MS: "300",
        AI_PROVIDER_2_URL: failing.url,
        AI_PROVIDER_2_MODEL: "fake-model",
        AI_PROVIDER_2_TIMEOUT_MS: "300",
        ANALYSIS_DEADLINE_MS: "1500",
      },
    });
    const running = bot;
    const users = Array.from({ length: USERS }, (_, u) => ({
      userId: 800_000 + u,
      text: `Ethereum fell 7% after the network upgrade was delayed again, report ${u}`,
    }));
    const started = performance.now();
    await pool(users, 10, async (item) => {
      const { status } = await deliver(running.hook, fake.textUpdate(item));
      assert.equal(status, 200);
    });
    for (const item of users) {
      const card = await fake.waitFor(repliedWith(item.userId, item.text), {
        timeoutMs: 30_000,
        includePast: true,
      });
      assert.ok(
        String(card.params.text).includes(OFFLINE_NOTE),
        `user ${item.userId}'s card carries the offline note`,
      );
    }
    const outageMs = performance.now() - started;
    const outageRequests = hanging.requests.length + failing.requests.length;
    assert.ok(outageRequests > 0, "the providers were tried");

    // Providers return; after the breaker cool-down a new analysis comes from a provider.
    hanging.setDefault({ type: "ok" });
    failing.setDefault({ type: "ok" });
    const recoverStart = performance.now();
    const userId = 899_999;
    let recovered: RecordedCall | undefined;
    for (let attempt = 0; attempt < 25 && !recovered; attempt++) {
      const text = `Solana jumped 12% after a large fund disclosed a stake, attempt ${attempt}`;
      assert.equal((await deliver(running.hook, fake.textUpdate({ userId, text }))).status, 200);
      const card = await fake.waitFor(repliedWith(userId, "What happened"), {
        timeoutMs: 15_000,
        includePast: false,
      }).catch(() => undefined);
      // The offline analyzer's card has the note; a provider's card does not.
      if (card && !String(card.params.text).includes(OFFLINE_NOTE)) recovered = card;
      else await sleep(2500);
    }
    const recoverMs = performance.now() - recoverStart;
    assert.ok(recovered, `a provider analysis after ${recoverMs.toFixed(0)} ms`);
    assert.ok(
      String(recovered.params.text).includes("The SEC approved spot Ethereum ETFs"),
      "the recovered card carries the provider's (fake) analysis",
    );
    await waitIdle(running, 30_000);
    // deno-lint-ignore no-console
    console.log(
      `provider outage: ${USERS} offline cards in ${outageMs.toFixed(0)} ms (${outageRequests} ` +
        `provider requests); provider analysis again after ${recoverMs.toFixed(0)} ms`,
    );
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : err}\n${bot ? tail(bot) : ""}`);
  } finally {
    await bot?.kill();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
