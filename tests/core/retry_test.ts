import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { backoffDelay, retry } from "../../src/core/retry.ts";

Deno.test("retry: backoff doubles from the base up to the cap, jitter shortens it", () => {
  const exact = { baseMs: 1000, maxMs: 30_000, jitter: 0 };
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map((a) => backoffDelay(a, exact)), [
    1000,
    2000,
    4000,
    8000,
    16000,
    30000,
    30000,
  ]);
  assert.equal(backoffDelay(2, { baseMs: 1000, jitter: 0.5, random: () => 1 }), 1000);
  assert.equal(backoffDelay(2, { baseMs: 1000, jitter: 0.5, random: () => 0 }), 2000);
});

async function waitForTimer(clock: FakeClock): Promise<void> {
  while (clock.pendingTimers === 0) await new Promise((r) => setTimeout(r, 0));
}

Deno.test("retry: retries after the backoff on the fake clock and then succeeds", async () => {
  const clock = new FakeClock(0);
  const calls: number[] = [];
  const result = retry((attempt) => {
    calls.push(clock.now());
    return attempt < 3 ? Promise.reject(new Error("flaky")) : Promise.resolve("done");
  }, { clock, baseMs: 100, jitter: 0, maxAttempts: 5 });
  await waitForTimer(clock);
  await clock.advance(100);
  await waitForTimer(clock);
  await clock.advance(200);
  assert.equal(await result, "done");
  assert.deepEqual(calls, [0, 100, 300]);
});

Deno.test("retry: a delay asked for by the failure wins over the backoff", async () => {
  const clock = new FakeClock(0);
  const calls: number[] = [];
  const result = retry((attempt) => {
    calls.push(clock.now());
    return attempt === 1
      ? Promise.reject(Object.assign(new Error("429"), { retryAfter: 3000 }))
      : Promise.resolve(attempt);
  }, {
    clock,
    baseMs: 10,
    retryAfterMs: (e) => (e as { retryAfter?: number }).retryAfter,
  });
  await waitForTimer(clock);
  await clock.advance(3000);
  assert.equal(await result, 2);
  assert.deepEqual(calls, [0, 3000]);
});

Deno.test("retry: stops on a non-retryable error, on the last attempt and before the deadline", async () => {
  const clock = new FakeClock(0);
  let calls = 0;
  await assert.rejects(
    retry(() => {
      calls++;
      return Promise.reject(new Error("400"));
    }, { clock, shouldRetry: () => false }),
    /400/,
  );
  assert.equal(calls, 1);

  calls = 0;
  const exhausted = retry(() => {
    calls++;
    return Promise.reject(new Error("down"));
  }, { clock, maxAttempts: 2, baseMs: 10, jitter: 0 });
  const rejected = assert.rejects(exhausted, /down/);
  await waitForTimer(clock);
  await clock.advance(10);
  await rejected;
  assert.equal(calls, 2);

  calls = 0;
  await assert.rejects(
    retry(() => {
      calls++;
      return Promise.reject(new Error("slow"));
    }, { clock, baseMs: 1000, jitter: 0, deadline: clock.now() + 500 }),
    /slow/,
  );
  assert.equal(calls, 1, "no attempt is started past the deadline");
});
