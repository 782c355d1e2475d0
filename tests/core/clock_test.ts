import assert from "node:assert/strict";
import { FakeClock, settlesWithin } from "../../src/core/clock.ts";
import { timeOrderedId } from "../../src/core/ids.ts";

Deno.test("clock: fake timers fire in time order only when time is advanced", async () => {
  const clock = new FakeClock(0);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push("b"), 200);
  clock.setTimeout(() => fired.push("a"), 100);
  const cancelled = clock.setTimeout(() => fired.push("never"), 150);
  cancelled.cancel();
  await clock.advance(150);
  assert.deepEqual(fired, ["a"]);
  await clock.advance(50);
  assert.deepEqual(fired, ["a", "b"]);
  assert.equal(clock.now(), 200);
});

Deno.test("clock: an aborted sleep rejects and its timer is gone", async () => {
  const clock = new FakeClock(0);
  const controller = new AbortController();
  const slept = clock.sleep(1000, controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(slept, /stop/);
  assert.equal(clock.pendingTimers, 0);
});

Deno.test("ids: time-ordered ids sort by time and never repeat", () => {
  const ids = [timeOrderedId(5), timeOrderedId(5), timeOrderedId(6), timeOrderedId(1e13)];
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
});

Deno.test("clock: settlesWithin says whether work finished before the time ran out", async () => {
  const clock = new FakeClock(0);
  assert.equal(await settlesWithin(Promise.resolve(), 1000, clock), true);
  const slow = clock.sleep(5000);
  const waiting = settlesWithin(slow, 1000, clock);
  await clock.advance(1000);
  assert.equal(await waiting, false, "the deadline came first; the work goes on");
  await clock.advance(4000);
  await slow;
  await assert.rejects(
    settlesWithin(Promise.reject(new Error("boom")), 1000, clock),
    /boom/,
    "a failure in time is thrown",
  );
  assert.equal(clock.pendingTimers, 0, "no timer is left behind");
});
