import assert from "node:assert/strict";
import { CircuitBreaker } from "../../src/core/breaker.ts";
import { FakeClock } from "../../src/core/clock.ts";

Deno.test("breaker: opens after the threshold, refuses, half-opens after the cool-down", async () => {
  const clock = new FakeClock(0);
  const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, clock });
  for (let i = 0; i < 2; i++) {
    assert.ok(breaker.tryAcquire());
    breaker.recordFailure();
  }
  assert.equal(breaker.state, "closed");
  breaker.recordFailure();
  assert.equal(breaker.state, "open");
  assert.equal(breaker.tryAcquire(), false);
  await clock.advance(999);
  assert.equal(breaker.tryAcquire(), false);
  await clock.advance(1);
  assert.equal(breaker.state, "half-open");
  assert.equal(breaker.tryAcquire(), true, "one trial call");
  assert.equal(breaker.tryAcquire(), false, "only one trial at a time");
  breaker.recordSuccess();
  assert.equal(breaker.state, "closed");
  assert.ok(breaker.tryAcquire());
});

Deno.test("breaker: a failed trial opens it again for a full cool-down", async () => {
  const clock = new FakeClock(0);
  const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 500, clock });
  breaker.recordFailure();
  await clock.advance(500);
  assert.ok(breaker.tryAcquire());
  breaker.recordFailure();
  assert.equal(breaker.state, "open");
  await clock.advance(499);
  assert.equal(breaker.tryAcquire(), false);
  await clock.advance(1);
  assert.ok(breaker.tryAcquire());
});

Deno.test("breaker: a success resets the failure count", () => {
  const breaker = new CircuitBreaker({ failureThreshold: 2, clock: new FakeClock(0) });
  breaker.recordFailure();
  breaker.recordSuccess();
  breaker.recordFailure();
  assert.equal(breaker.state, "closed");
  assert.throws(() => new CircuitBreaker({ failureThreshold: 0 }), RangeError);
});
