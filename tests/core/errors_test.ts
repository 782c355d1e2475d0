import assert from "node:assert/strict";
import { GrammyError, HttpError } from "grammy";
import {
  ApiError,
  AppError,
  DatabaseError,
  RateLimitError,
  TelegramUnavailableError,
  toAppError,
  ValidationError,
} from "../../src/core/errors.ts";

Deno.test("errors: each class carries its code, level and user message", () => {
  assert.equal(new DatabaseError("x").code, "DB_ERROR");
  assert.equal(new ApiError("x", { status: 503 }).code, "API_ERROR_503");
  assert.equal(new ApiError("x").code, "API_ERROR");
  const validation = new ValidationError("user id", "bad");
  assert.equal(validation.code, "VALIDATION_ERROR_USER_ID");
  assert.equal(validation.level, "warning");
  const limited = new RateLimitError("slow down", { retryAfterMs: 1500 });
  assert.equal(limited.code, "RATE_LIMIT_ERROR");
  assert.equal(limited.level, "warning");
  assert.equal(limited.retryAfterMs, 1500);
  assert.equal(new AppError("x").userMessage, "error_generic");
});

Deno.test("errors: an AppError passes through with the context added", () => {
  const original = new ValidationError("text", "too short");
  const mapped = toAppError(original, { operation: "analyze" }, 7);
  assert.equal(mapped, original);
  assert.deepEqual(mapped.details, { operation: "analyze", userId: 7 });
});

Deno.test("errors: KV failures become DatabaseError keeping the cause", () => {
  const cause = new TypeError("Bad resource ID");
  const mapped = toAppError(cause);
  assert.ok(mapped instanceof DatabaseError);
  assert.equal(mapped.code, "DB_ERROR");
  assert.equal(mapped.cause, cause);
  assert.ok(toAppError(new Error("Database is locked")) instanceof DatabaseError);
});

Deno.test("errors: timeouts become API 408", () => {
  const mapped = toAppError(new DOMException("Signal timed out.", "TimeoutError"));
  assert.ok(mapped instanceof ApiError);
  assert.equal(mapped.code, "API_ERROR_408");
});

Deno.test("errors: an HTTP status becomes that API status", () => {
  const mapped = toAppError(Object.assign(new Error("Bad gateway"), { status: 502 }));
  assert.ok(mapped instanceof ApiError);
  assert.equal(mapped.code, "API_ERROR_502");
  assert.equal((mapped as ApiError).status, 502);
});

Deno.test("errors: grammY errors become TELEGRAM_ERROR", () => {
  const grammy = new GrammyError(
    "Call to 'sendMessage' failed!",
    { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
    "sendMessage",
    {},
  );
  const mapped = toAppError(grammy);
  assert.equal(mapped.code, "TELEGRAM_ERROR");
  assert.equal(mapped.details.errorCode, 403);
  assert.equal(mapped.cause, grammy);
  const network = toAppError(new HttpError("Network request failed", new Error("ECONNRESET")));
  assert.equal(network.code, "TELEGRAM_ERROR");
});

Deno.test("errors: a Telegram outage keeps its class, method and reason through toAppError", () => {
  const outage = new TelegramUnavailableError("sendMessage", {
    reason: "rate_limited",
    status: 429,
    retryAfterMs: 30_000,
  });
  const mapped = toAppError(outage, { actor: "u:1" });
  assert.ok(mapped instanceof TelegramUnavailableError);
  assert.equal(mapped.code, "TELEGRAM_UNAVAILABLE");
  assert.equal(mapped.level, "warning");
  assert.equal(mapped.userMessage, "error_unavailable");
  assert.match(mapped.message, /^Telegram unavailable: sendMessage failed \(rate_limited 429\)$/);
  assert.deepEqual(mapped.details, {
    method: "sendMessage",
    reason: "rate_limited",
    status: 429,
    actor: "u:1",
  });
  assert.equal(outage.retryAfterMs, 30_000);
});

Deno.test("errors: anything else is UNKNOWN_ERROR at level critical", () => {
  const mapped = toAppError("a string was thrown");
  assert.equal(mapped.code, "UNKNOWN_ERROR");
  assert.equal(mapped.level, "critical");
  assert.equal(mapped.message, "a string was thrown");
  const fromError = toAppError(new RangeError("index out of range"));
  assert.equal(fromError.code, "UNKNOWN_ERROR");
  assert.ok(fromError.cause instanceof RangeError);
});
