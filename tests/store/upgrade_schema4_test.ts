import assert from "node:assert/strict";
import { settleDeadLetter } from "../../src/actors/dead_letters.ts";
import { readInbox } from "../../src/actors/inbox.ts";
import { type SessionState } from "../../src/actors/session.ts";
import { FakeClock } from "../../src/core/clock.ts";
import * as counters from "../../src/store/counters.ts";
import { queryDeadLetters } from "../../src/store/dead_letters.ts";
import { doneStatus } from "../../src/store/done_updates.ts";
import { openStore, type Store } from "../../src/store/kv.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";
import * as profiles from "../../src/store/profiles.ts";
import { readSession } from "../../src/store/sessions.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";
import { tempKvPath } from "../support/store.ts";

/** Written by schema 3 code: see tests/fixtures/schema3/generate.ts for what it holds. */
const FIXTURE = new URL("../fixtures/schema3/schema3.kv", import.meta.url);
/** The fixture's clock, a few minutes on: its sessions (1 h) are still live. */
const AFTER_FIXTURE = Date.UTC(2026, 0, 1, 0, 5);
const DAY_MS = 86_400_000;

async function upgradedCopy(path: string): Promise<Store> {
  await Deno.copyFile(FIXTURE, path);
  const store = await openStore(path);
  assert.equal((await store.kv.get(["meta", "schema_version"])).value, 3);
  const { applied, backup } = await runMigrations(store);
  assert.ok(backup, "a backup was taken before the upgrade");
  assert.ok(applied.includes(4), `schema 4 applied (${applied})`);
  return store;
}

async function keysUnder(store: Store, prefix: Deno.KvKey): Promise<number> {
  let n = 0;
  for await (const _ of store.kv.list({ prefix })) n++;
  return n;
}

Deno.test("upgrade to schema 4: nothing queued, finished or stored in a schema 3 file is lost or repeated", async () => {
  await using tmp = await tempKvPath();
  const store = await upgradedCopy(tmp.path);
  assert.equal(await keysUnder(store, ["update"]), 0, "per-update markers moved out");
  const session = await readSession<SessionState>(store, "u:1", AFTER_FIXTURE);
  assert.equal(session.status, "live");
  if (session.status === "live") {
    assert.equal(
      (session.record.state.lastNews as { text?: string } | undefined)?.text,
      "news 127",
      "the session state survived",
    );
    assert.equal(doneStatus(session.record.done, 127), "done");
    assert.equal(doneStatus(session.record.done, 310), "new", "a waiting update is not done");
  }
  const effectsBefore = await counters.get(store, "effects");
  assert.equal(effectsBefore, 31);

  const ran: number[] = [];
  const clock = new FakeClock(AFTER_FIXTURE);
  const runtime = createRuntime({
    store,
    clock,
    settings: { turnMaxAttempts: 1 },
    handle: (turn) => {
      ran.push(turn.update.update_id);
      counters.add(turn.tx, "effects");
      return Promise.resolve();
    },
  });
  // The waiting updates run once, in order; Telegram redelivering everything seen before
  // (finished ones, the dead-lettered one, the waiting ones) runs nothing more.
  for (const actor of ["u:1", "u:5"]) runtime.supervisor.schedule(actor);
  const redelivered = [];
  for (let n = 0; n < 30; n++) redelivered.push(textUpdate(100 + n, 1 + (n % 3)));
  redelivered.push(textUpdate(200, 4), textUpdate(201, 4), textUpdate(301, 5), textUpdate(310, 1));
  await runtime.inbox.ingest(redelivered);
  await runtime.supervisor.whenIdle();
  assert.deepEqual(ran.filter((id) => id > 300 && id < 310), [301, 302, 303], "in order");
  assert.deepEqual([...ran].sort((a, b) => a - b), [301, 302, 303, 310]);
  assert.equal(await counters.get(store, "effects"), effectsBefore + 4);
  for (const actor of ["u:1", "u:2", "u:3", "u:4", "u:5"]) {
    assert.equal((await readInbox(store, actor, 10)).length, 0, `${actor}'s inbox is empty`);
  }
  for (const id of [1, 2, 3, 4]) assert.ok(await profiles.get(store, id), `profile ${id} kept`);

  // The dead letter survived the move and its retry runs it once, even though its id is listed.
  const { letters } = await queryDeadLetters(store, { now: clock.now(), retentionMs: 30 * DAY_MS });
  assert.deepEqual(letters.map((l) => l.update_id), [200]);
  const retried = await settleDeadLetter(store, "retry", letters[0].id, {
    now: clock.now(),
    retentionMs: 30 * DAY_MS,
    by: { via: "cli" },
    onQueued: (actor) => runtime.supervisor.schedule(actor),
  });
  assert.equal(retried.ok, true);
  await runtime.supervisor.whenIdle();
  assert.equal(ran.filter((id) => id === 200).length, 1);
  await runtime.supervisor.stop();
  store.close();
});

Deno.test("upgrade to schema 4: running the migration again changes nothing", async () => {
  await using tmp = await tempKvPath();
  const store = await upgradedCopy(tmp.path);
  const before = await readSession<SessionState>(store, "u:2", AFTER_FIXTURE);
  assert.deepEqual((await runMigrations(store)).applied, []);
  const { adoptLegacyMarkers } = await import("../../src/store/legacy_markers.ts");
  assert.deepEqual(await adoptLegacyMarkers(store, store.generation), { finished: 0, waiting: 0 });
  assert.deepEqual(await readSession<SessionState>(store, "u:2", AFTER_FIXTURE), before);
  store.close();
});
