import assert from "node:assert/strict";
import { SettledTurns } from "../../src/actors/settled_turns.ts";

Deno.test("settled turns: a waiter wakes when its update's turn settles, and one that comes later finds it settled", async () => {
  const settled = new SettledTurns();
  const never = new AbortController().signal;
  let woke = false;
  const waiting = settled.wait("u:1", 10, never).then(() => woke = true);
  settled.settle("u:1", 11);
  settled.settle("u:2", 10);
  await Promise.resolve();
  assert.equal(woke, false, "another update or actor woke it");
  settled.settle("u:1", 10);
  await waiting;
  assert.equal(settled.isSettled("u:1", 10), true);
  await settled.wait("u:1", 10, never);
});

Deno.test("settled turns: a waiter that gives up is released and not woken later", async () => {
  const settled = new SettledTurns();
  const giveUp = new AbortController();
  const waiting = settled.wait("u:1", 10, giveUp.signal);
  giveUp.abort();
  await waiting;
  assert.equal(settled.isSettled("u:1", 10), false);
  settled.settle("u:1", 10);
  assert.equal(settled.isSettled("u:1", 10), true);
});

Deno.test("settled turns: the latest 4096 stay known however many settle, and old ones are forgotten", () => {
  const settled = new SettledTurns();
  for (let id = 1; id <= 20_000; id++) settled.settle("u:1", id);
  for (let id = 20_000 - 4095; id <= 20_000; id++) {
    assert.equal(settled.isSettled("u:1", id), true, `update ${id}`);
  }
  assert.equal(settled.isSettled("u:1", 1), false, "memory stays bounded");
});
