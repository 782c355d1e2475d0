import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { AppError } from "../../src/core/errors.ts";
import * as audit from "../../src/store/audit.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";
import { memoryStore } from "../support/store.ts";
import { apiHarness, envelope, json } from "./support.ts";

/** A store with dead letters made by the real runtime: updates 1–5 of users 10 and 11. */
async function withDeadLetters() {
  const store = await memoryStore();
  let failing = true;
  const ran: number[] = [];
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const runtime = createRuntime({
    store,
    clock,
    settings: { turnMaxAttempts: 1 },
    handle: (turn) => {
      const id = turn.update.update_id;
      if (failing) throw new AppError("down", { code: id <= 3 ? "PROVIDER_DOWN" : "FEATURE_BUG" });
      ran.push(id);
      return Promise.resolve();
    },
  });
  for (const id of [1, 2, 3, 4, 5]) {
    await runtime.inbox.ingest([textUpdate(id, 10 + (id % 2))]);
    await runtime.supervisor.whenIdle();
    await clock.advance(1000);
  }
  const api = await apiHarness({
    store,
    clock,
    scheduleActor: (actor) => runtime.supervisor.schedule(actor),
  });
  return {
    api,
    ran,
    runtime,
    heal: () => failing = false,
    async [Symbol.asyncDispose]() {
      await runtime.supervisor.stop();
      await api[Symbol.asyncDispose]();
      store.close();
    },
  };
}

Deno.test("dead letters API: lists newest first with a cursor and filters, shows one with its update", async () => {
  await using t = await withDeadLetters();
  const first = await envelope(await t.api.admin("/api/v1/dead_letters?limit=2"));
  assert.equal(first.success, true);
  assert.deepEqual(first.data.letters.map((l: { update_id: number }) => l.update_id), [5, 4]);
  assert.equal(first.data.letters[0].update, undefined, "lists leave the update out");
  const next = await envelope(
    await t.api.admin(`/api/v1/dead_letters?limit=2&cursor=${first.data.next_cursor}`),
  );
  assert.deepEqual(next.data.letters.map((l: { update_id: number }) => l.update_id), [3, 2]);
  const filtered = await envelope(
    await t.api.admin("/api/v1/dead_letters?user_id=11&error_code=PROVIDER_DOWN"),
  );
  assert.deepEqual(filtered.data.letters.map((l: { update_id: number }) => l.update_id), [3, 1]);
  assert.equal(filtered.data.next_cursor, null);

  const id = first.data.letters[0].id;
  const shown = await envelope(await t.api.admin(`/api/v1/dead_letters/${id}`));
  assert.deepEqual(shown.data.update, textUpdate(5, 11));
  assert.equal(shown.data.error_code, "FEATURE_BUG");
  assert.equal(shown.data.attempts, 1);
  assert.equal(shown.data.at, new Date(t.runtime.clock.now() - 1000).toISOString());

  const bad = await t.api.admin("/api/v1/dead_letters?cursor=nope&error_code=lower");
  assert.equal(bad.status, 400);
  assert.match((await envelope(bad)).error_code, /^VALIDATION_ERROR_(CURSOR|ERROR_CODE)$/);
  const noAuth = await t.api.app.request("/api/v1/dead_letters");
  assert.equal(noAuth.status, 401);
  await noAuth.body?.cancel();
});

Deno.test("dead letters API: retry runs the update once; a second retry is 409, an unknown id 404, and neither changes anything", async () => {
  await using t = await withDeadLetters();
  t.heal();
  const page = await envelope(await t.api.admin("/api/v1/dead_letters?user_id=10"));
  const letter = page.data.letters.find((l: { update_id: number }) => l.update_id === 2);
  const retried = await t.api.admin(`/api/v1/dead_letters/${letter.id}/retry`, { method: "POST" });
  assert.equal(retried.status, 200);
  assert.deepEqual((await envelope(retried)).data.action, "retried");
  await t.runtime.supervisor.whenIdle();
  assert.deepEqual(t.ran, [2]);

  const again = await t.api.admin(`/api/v1/dead_letters/${letter.id}/retry`, { method: "POST" });
  assert.equal(again.status, 409);
  const body = await envelope(again);
  assert.equal(body.error_code, "DEAD_LETTER_ALREADY_RETRIED");
  assert.match(body.error, /already retried at 20/);
  const shown = await t.api.admin(`/api/v1/dead_letters/${letter.id}`);
  assert.equal(shown.status, 409);
  await shown.body?.cancel();
  const discard = await t.api.admin(`/api/v1/dead_letters/${letter.id}`, { method: "DELETE" });
  assert.equal((await envelope(discard)).error_code, "DEAD_LETTER_ALREADY_RETRIED");
  const unknown = await t.api.admin(`/api/v1/dead_letters/${"0".repeat(20)}/retry`, {
    method: "POST",
    headers: { "Accept-Language": "ru" },
  });
  assert.equal(unknown.status, 404);
  const unknownBody = await envelope(unknown);
  assert.equal(unknownBody.error_code, "DEAD_LETTER_NOT_FOUND");
  assert.match(unknownBody.error, /Нет недоставленного/);
  await t.runtime.supervisor.whenIdle();
  assert.deepEqual(t.ran, [2]);
  const rows = await audit.query(t.api.store, { action: "dead_letter_retry" });
  assert.equal(rows.length, 1);
  assert.equal(rows[0].command, "api");
  assert.equal(rows[0].parameters?.id, letter.id);
});

Deno.test("dead letters API: discard one, then bulk retry by error code; a bulk call without a filter needs all: true", async () => {
  await using t = await withDeadLetters();
  t.heal();
  const page = await envelope(await t.api.admin("/api/v1/dead_letters"));
  const five = page.data.letters[0];
  const discarded = await t.api.admin(`/api/v1/dead_letters/${five.id}`, { method: "DELETE" });
  assert.equal((await envelope(discarded)).data.action, "discarded");
  const gone = await t.api.admin(`/api/v1/dead_letters/${five.id}/retry`, { method: "POST" });
  assert.equal(gone.status, 404);
  assert.equal((await envelope(gone)).error_code, "DEAD_LETTER_DISCARDED");

  const unfiltered = await t.api.admin("/api/v1/dead_letters/retry", json({}));
  assert.equal(unfiltered.status, 400);
  assert.equal((await envelope(unfiltered)).error_code, "VALIDATION_ERROR_ALL");
  const bulk = await t.api.admin(
    "/api/v1/dead_letters/retry",
    json({ error_code: "PROVIDER_DOWN", max: 2 }),
  );
  assert.deepEqual((await envelope(bulk)).data, {
    action: "retried",
    done: 2,
    skipped: [],
    more: true,
  });
  const rest = await t.api.admin(
    "/api/v1/dead_letters/retry",
    json({ error_code: "PROVIDER_DOWN" }),
  );
  assert.deepEqual((await envelope(rest)).data.done, 1);
  await t.runtime.supervisor.whenIdle();
  assert.deepEqual([...t.ran].sort(), [1, 2, 3]);
  const all = await t.api.admin("/api/v1/dead_letters/discard", json({ all: true }));
  assert.deepEqual((await envelope(all)).data, {
    action: "discarded",
    done: 1,
    skipped: [],
    more: false,
  });
  const left = await envelope(await t.api.admin("/api/v1/dead_letters"));
  assert.deepEqual(left.data.letters, []);
  assert.equal((await audit.query(t.api.store, { action: "dead_letter_discard" })).length, 2);
});
