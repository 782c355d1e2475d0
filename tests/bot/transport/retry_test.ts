import assert from "node:assert/strict";
import { Api, GrammyError } from "grammy";
import { botApiRetry, type BotApiRetryOptions } from "../../../src/bot/transport/retry.ts";
import { type Clock, systemClock } from "../../../src/core/clock.ts";
import { TelegramUnavailableError } from "../../../src/core/errors.ts";
import { type FakeBotApi, startFakeBotApi } from "../../support/fake_bot_api.ts";

/**
 * Pauses are recorded and pass at once on a virtual clock (the deadline reads it); call timeouts
 * run on real timers, so a hung connection is really cut.
 */
function pauseRecorder() {
  const pauses: number[] = [];
  let virtual = Date.UTC(2026, 0, 1);
  const clock: Clock = {
    now: () => virtual,
    setTimeout: systemClock.setTimeout,
    sleep(ms, signal) {
      signal?.throwIfAborted();
      pauses.push(ms);
      virtual += ms;
      return Promise.resolve();
    },
  };
  return { pauses, clock };
}

function retryingApi(fake: FakeBotApi, options: BotApiRetryOptions = {}) {
  const { pauses, clock } = pauseRecorder();
  const api = new Api(fake.token, { apiRoot: fake.url });
  api.config.use(botApiRetry({ random: () => 0, clock, ...options }));
  return { api, pauses };
}

Deno.test("botApiRetry: a 429 waits out Telegram's retry_after, then the message goes once", async () => {
  await using fake = startFakeBotApi();
  const { api, pauses } = retryingApi(fake);
  fake.faults.rateLimit({ method: "sendMessage", times: 1, retryAfter: 3 });
  await api.sendMessage(5, "hello");
  assert.deepEqual(pauses, [3000]);
  assert.equal(fake.calls("sendMessage").length, 2);
  assert.deepEqual(fake.sentTexts(5), ["hello"]);
});

Deno.test("botApiRetry: 500s are retried with pauses doubling up to the bound", async () => {
  await using fake = startFakeBotApi();
  const { api, pauses } = retryingApi(fake, { baseDelayMs: 500, maxDelayMs: 1000 });
  fake.faults.serverError({ method: "sendMessage", times: 3 });
  await api.sendMessage(5, "after the outage");
  assert.deepEqual(pauses, [500, 1000, 1000]);
  assert.deepEqual(fake.sentTexts(5), ["after the outage"]);
});

Deno.test("botApiRetry: a 429 asking longer than the bound throws at once, carrying the wait", async () => {
  await using fake = startFakeBotApi();
  const { api, pauses } = retryingApi(fake, { maxDelayMs: 5000 });
  fake.faults.rateLimit({ method: "sendMessage", times: 1, retryAfter: 60 });
  const error = await api.sendMessage(5, "x").then(() => null, (err) => err);
  assert.ok(error instanceof TelegramUnavailableError, String(error));
  assert.equal(error.reason, "rate_limited");
  assert.equal(error.status, 429);
  assert.equal(error.retryAfterMs, 60_000);
  assert.equal(error.method, "sendMessage");
  assert.deepEqual(pauses, [], "the actor is not held for a minute");
  assert.equal(fake.calls("sendMessage").length, 1);
});

Deno.test("botApiRetry: an outage longer than the bound ends in TelegramUnavailableError", async (t) => {
  await t.step("5xx throughout: server_error after every try", async () => {
    await using fake = startFakeBotApi();
    const { api, pauses } = retryingApi(fake, { maxAttempts: 4, maxDelayMs: 2000 });
    fake.faults.serverError({ method: "sendMessage" });
    const error = await api.sendMessage(5, "x").then(() => null, (err) => err);
    assert.ok(error instanceof TelegramUnavailableError, String(error));
    assert.equal(error.reason, "server_error");
    assert.equal(error.status, 500);
    assert.equal(error.code, "TELEGRAM_UNAVAILABLE");
    assert.match(error.message, /^Telegram unavailable: sendMessage failed/);
    assert.equal(fake.calls("sendMessage").length, 4);
    assert.deepEqual(pauses, [500, 1000, 2000]);
  });
  await t.step("no server at all: network after every try", async () => {
    const fake = startFakeBotApi();
    const { api, pauses } = retryingApi(fake, { maxAttempts: 3 });
    await fake.close();
    const error = await api.sendMessage(5, "x").then(() => null, (err) => err);
    assert.ok(error instanceof TelegramUnavailableError, String(error));
    assert.equal(error.reason, "network");
    assert.equal(error.status, undefined);
    assert.equal(pauses.length, 2);
    assert.ok(pauses.every((ms) => ms <= 5000), `pauses ${pauses}`);
  });
  await t.step("the deadline stops the tries before the attempts run out", async () => {
    await using fake = startFakeBotApi();
    const { api, pauses } = retryingApi(fake, { baseDelayMs: 1000, maxTotalMs: 2000 });
    fake.faults.serverError({ method: "sendMessage" });
    await assert.rejects(api.sendMessage(5, "x"), TelegramUnavailableError);
    assert.deepEqual(pauses, [1000]);
    assert.equal(fake.calls("sendMessage").length, 2);
  });
});

Deno.test("botApiRetry: a call that hangs is cut at the call timeout and tried again", async () => {
  await using fake = startFakeBotApi();
  const { api } = retryingApi(fake, { callTimeoutMs: 300 });
  fake.faults.hang({ method: "sendMessage", times: 1 });
  await api.sendMessage(5, "late but delivered");
  assert.deepEqual(fake.sentTexts(5), ["late but delivered"]);
});

Deno.test("botApiRetry: a 4xx is the request's fault: no retry, grammY's own error", async () => {
  await using fake = startFakeBotApi();
  const { api, pauses } = retryingApi(fake);
  const error = await api.editMessageText(5, 999, "x").then(() => null, (err) => err);
  assert.ok(error instanceof GrammyError, String(error));
  assert.equal(error.error_code, 400);
  assert.deepEqual(pauses, []);
  assert.equal(fake.calls("editMessageText").length, 1);
});

Deno.test("botApiRetry: getUpdates is left to the polling loop's own backoff", async () => {
  await using fake = startFakeBotApi();
  const { api, pauses } = retryingApi(fake);
  fake.faults.serverError({ method: "getUpdates", times: 1 });
  await assert.rejects(api.getUpdates({ timeout: 0 }), GrammyError);
  assert.deepEqual(pauses, []);
  assert.equal(fake.calls("getUpdates").length, 1);
});
