import assert from "node:assert/strict";
import { StartGate } from "../../src/api/start_gate.ts";
import { createConfig } from "../../src/config.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { startFirstPhase } from "../../src/first_phase.ts";
import { memoryStore } from "../support/store.ts";

const SECRET = "start_gate_secret_0123456789";

async function firstPhase(clock: FakeClock) {
  const store = await memoryStore();
  const config = createConfig({
    BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    BOT_MODE: "webhook",
    WEBHOOK_URL: "https://bot.test/telegram/webhook",
    WEBHOOK_SECRET: SECRET,
    KV_PATH: ":memory:",
  });
  const first = await startFirstPhase(config, { store, clock });
  return { store, first, gate: new StartGate({ firstPhase: first.api.fetch, clock }) };
}

function webhook(updateId: number): Request {
  return new Request("http://bot.test/telegram/webhook", {
    method: "POST",
    headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
    body: JSON.stringify({
      update_id: updateId,
      message: {
        message_id: 1,
        date: 1,
        chat: { id: 42, type: "private" },
        from: { id: 42, is_bot: false, first_name: "A" },
        text: "/help",
      },
    }),
  });
}

Deno.test("start gate: before the app is built, /health and the webhook answer from the first phase", async () => {
  const clock = new FakeClock();
  const { store, first, gate } = await firstPhase(clock);
  using _ = store;
  const health = await gate.fetch(new Request("http://bot.test/health"));
  assert.equal(health.status, 200);
  assert.equal((await health.json()).data.status, "ok");
  // The same security headers as the full app's answers.
  assert.equal(health.headers.get("X-Content-Type-Options"), "nosniff");
  assert.match(health.headers.get("Content-Security-Policy") ?? "", /default-src 'none'/);
  assert.match(health.headers.get("Content-Security-Policy") ?? "", /frame-ancestors 'none'/);
  const ack = await gate.fetch(webhook(7001));
  assert.equal(ack.status, 200);
  assert.equal((await ack.json()).data.status, "queued");
  // Durable, and remembered for the supervisor that is built later.
  assert.deepEqual(first.takeQueued(), ["u:42"]);
  assert.deepEqual(first.takeQueued(), []);
});

Deno.test("start gate: other routes wait for the full app and are answered by it", async () => {
  const clock = new FakeClock();
  const { store, gate } = await firstPhase(clock);
  using _ = store;
  let settled = false;
  const pending = Promise.resolve(gate.fetch(new Request("http://bot.test/api/v1/stats")))
    .finally(() => settled = true);
  await clock.advance(5_000);
  assert.equal(settled, false, "answered before the full app was there");
  gate.open((request) => Response.json({ from: "full", path: new URL(request.url).pathname }));
  const res = await pending;
  assert.deepEqual(await res.json(), { from: "full", path: "/api/v1/stats" });
  // From now on everything, /health included, is the full app's.
  assert.equal(
    (await (await gate.fetch(new Request("http://bot.test/health"))).json()).from,
    "full",
  );
});

Deno.test("start gate: a route the full app is too late for gets 503 UNAVAILABLE with Retry-After", async () => {
  const clock = new FakeClock();
  const { store, gate } = await firstPhase(clock);
  using _ = store;
  const pending = Promise.resolve(
    gate.fetch(new Request("http://bot.test/dashboard", { headers: { "Accept-Language": "ru" } })),
  );
  await clock.advance(10_000);
  const res = await pending;
  assert.equal(res.status, 503);
  assert.equal(res.headers.get("Retry-After"), "1");
  const body = await res.json();
  assert.equal(body.error_code, "UNAVAILABLE");
  assert.match(body.error, /запускается/);
});

Deno.test("start gate: the rest of the app starts loading once the first request is answered", async () => {
  const clock = new FakeClock();
  const { store, gate } = await firstPhase(clock);
  using _ = store;
  let loading = false;
  const started = gate.firstAnswered(60_000).then(() => loading = true);
  await clock.advance(1_000);
  assert.equal(loading, false);
  await gate.fetch(new Request("http://bot.test/health"));
  await started;
  assert.equal(loading, true);
});
