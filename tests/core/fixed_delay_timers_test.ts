import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { FixedDelayTimers } from "../../src/core/fixed_delay_timers.ts";

Deno.test("fixed-delay timers: each fires its delay after it was set, in order, on one clock timer", async () => {
  const clock = new FakeClock();
  const timers = new FixedDelayTimers(clock, 250);
  const fired: string[] = [];
  timers.setTimeout(() => fired.push("a"));
  await clock.advance(100);
  timers.setTimeout(() => fired.push("b"));
  const c = timers.setTimeout(() => fired.push("c"));
  assert.equal(clock.pendingTimers, 1);
  await clock.advance(149);
  assert.deepEqual(fired, []);
  await clock.advance(1);
  assert.deepEqual(fired, ["a"]);
  c.cancel();
  await clock.advance(100);
  assert.deepEqual(fired, ["a", "b"], "a cancelled timer never fires");
  assert.equal(clock.pendingTimers, 0);
});

Deno.test("fixed-delay timers: once every timer is cancelled no clock timer stays pending", async () => {
  const clock = new FakeClock();
  const timers = new FixedDelayTimers(clock, 250);
  const handles = Array.from({ length: 3 }, () => timers.setTimeout(() => assert.fail("fired")));
  for (const handle of handles) handle.cancel();
  assert.equal(clock.pendingTimers, 0);
  let fired = false;
  timers.setTimeout(() => fired = true);
  await clock.advance(250);
  assert.equal(fired, true, "it works again after emptying");
});

Deno.test("fixed-delay timers: a timer set while others fire fires its own delay later", async () => {
  const clock = new FakeClock();
  const timers = new FixedDelayTimers(clock, 250);
  const fired: number[] = [];
  timers.setTimeout(() => {
    fired.push(clock.now());
    timers.setTimeout(() => fired.push(clock.now()));
  });
  const start = clock.now();
  await clock.advance(500);
  assert.deepEqual(fired.map((at) => at - start), [250, 500]);
  assert.equal(clock.pendingTimers, 0);
});
