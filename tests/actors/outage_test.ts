import assert from "node:assert/strict";
import { GrammyError, HttpError } from "grammy";
import { isTelegramOutage, outagePauseMs } from "../../src/actors/outage.ts";
import { TelegramUnavailableError, toAppError } from "../../src/core/errors.ts";

function telegramError(errorCode: number, retryAfter?: number): GrammyError {
  return new GrammyError(
    "Call to 'sendMessage' failed!",
    {
      ok: false,
      error_code: errorCode,
      description: `error ${errorCode}`,
      parameters: retryAfter === undefined ? undefined : { retry_after: retryAfter },
    },
    "sendMessage",
    {},
  );
}

Deno.test("outage: network errors, 429 and 5xx from Telegram are outages; other answers are not", () => {
  assert.ok(isTelegramOutage(new HttpError("Network request failed", new Error("ECONNRESET"))));
  assert.ok(isTelegramOutage(telegramError(429, 5)));
  assert.ok(isTelegramOutage(telegramError(500)));
  assert.ok(isTelegramOutage(telegramError(502)));
  // The bounded retry transformer's typed error, and any error wrapping one of these.
  const unavailable = new TelegramUnavailableError("sendMessage", { reason: "server_error" });
  assert.ok(isTelegramOutage(unavailable));
  assert.ok(isTelegramOutage(toAppError(telegramError(503))));
  // A bad request or a block is the handler's business: it uses up an attempt as before.
  assert.equal(isTelegramOutage(telegramError(400)), false);
  assert.equal(isTelegramOutage(telegramError(403)), false);
  assert.equal(isTelegramOutage(new Error("feature bug")), false);
  assert.equal(isTelegramOutage(toAppError(telegramError(400))), false);
  assert.equal(isTelegramOutage("a string"), false);
});

Deno.test("outage: pauses double from the base to the cap; a retry_after is the pause, up to the cap", () => {
  const backoff = { baseMs: 2000, maxMs: 30_000 };
  const network = new HttpError("Network request failed", new Error("ECONNRESET"));
  for (const [streak, exact] of [[1, 2000], [2, 4000], [3, 8000], [5, 30_000], [9, 30_000]]) {
    const pause = outagePauseMs(network, streak, backoff);
    assert.ok(pause <= exact && pause >= exact * 0.8, `streak ${streak}: ${pause}`);
  }
  assert.equal(outagePauseMs(telegramError(429, 10), 1, backoff), 10_000);
  // Telegram said when it answers again: no longer pause for a long streak.
  assert.equal(outagePauseMs(telegramError(429, 1), 6, backoff), 1000);
  assert.equal(outagePauseMs(telegramError(429, 600), 1, backoff), 30_000);
  const asked = new TelegramUnavailableError("sendMessage", {
    reason: "rate_limited",
    status: 429,
    retryAfterMs: 12_000,
  });
  assert.equal(outagePauseMs(asked, 1, backoff), 12_000);
});
