import assert from "node:assert/strict";
import { type Turn } from "../../src/actors/turn.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";
import { createRuntime, textUpdate } from "../support/runtime.ts";

const T0 = Date.UTC(2026, 0, 1);
const USER = 7;

async function saveUser(store: Store, flags: profiles.AdminFlags | null = null): Promise<void> {
  const tx = store.tx();
  profiles.save(tx, profiles.newProfile({ id: USER, language: "ru" }, T0));
  if (flags) profiles.setAdminFlags(tx, USER, flags, T0);
  await commitTx(store, tx);
}

/** What each turn was handed: the account it carries, as the bot would read it, or null. */
function recordAccounts(accounts: (profiles.UserAccount | null | "none")[]) {
  return (turn: Turn) => {
    accounts.push(turn.account ? profiles.accountFrom(turn.account.entries) : "none");
    return Promise.resolve();
  };
}

Deno.test("account read: a drain's first turn gets the sender's account from the take-over's read; the next turn of the drain gets none, so the bot reads it fresh", async () => {
  using store = await memoryStore();
  await saveUser(store, { tier: "pro", banned: false, ban_reason: null });
  const accounts: (profiles.UserAccount | null | "none")[] = [];
  const clock = new FakeClock(T0);
  const { inbox, supervisor } = createRuntime({ store, clock, handle: recordAccounts(accounts) });
  await supervisor.start();
  await inbox.ingest([textUpdate(1, USER), textUpdate(2, USER)]);
  await supervisor.whenIdle();
  assert.equal(accounts.length, 2);
  const [first, second] = accounts;
  assert.ok(first !== null && first !== "none", "the first turn carries the account");
  assert.equal(first.id, USER);
  assert.equal(first.language, "ru");
  assert.equal(first.tier, "pro", "with the admins' flags");
  assert.equal(second, "none", "the drain's next turn carries none");
  await supervisor.stop();
});

Deno.test("account read: an actor in memory taking its lease back reads the account with its inbox mark, so a ban made since its last turn is in it", async () => {
  using store = await memoryStore();
  await saveUser(store);
  const accounts: (profiles.UserAccount | null | "none")[] = [];
  const clock = new FakeClock(T0);
  const { inbox, supervisor } = createRuntime({
    store,
    clock,
    direct: true,
    handle: recordAccounts(accounts),
  });
  await supervisor.start();
  await inbox.ingest([textUpdate(1, USER)]);
  assert.equal(supervisor.residentActors, 1, "the actor stays in memory, its lease ended");
  const tx = store.tx();
  profiles.setAdminFlags(tx, USER, { tier: "free", banned: true, ban_reason: "spam" }, T0);
  await commitTx(store, tx);
  await inbox.ingest([textUpdate(2, USER)]);
  await supervisor.whenIdle();
  const [first, second] = accounts;
  assert.ok(first !== null && first !== "none" && !first.banned);
  assert.ok(second !== null && second !== "none", "the second turn carries the account too");
  assert.equal(second.banned, true, "read after the ban");
  await supervisor.stop();
});

Deno.test("account read: a take-over whose update turned out finished already hands its account to no later turn, so a ban made since is seen", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  try {
    await saveUser(storeA);
    const clock = new FakeClock(T0);
    const accounts: (profiles.UserAccount | null | "none")[] = [];
    const handle = recordAccounts(accounts);
    const a = createRuntime({ store: storeA, clock, owner: "A", direct: true, handle });
    await a.supervisor.start();
    await a.inbox.ingest([textUpdate(1, USER)]);
    await a.supervisor.whenIdle();
    await a.supervisor.stop();

    // B never saw update 1: its take-over reads the session and the account, then finds the
    // update finished and runs nothing. B keeps the actor and its lease a while.
    const b = createRuntime({ store: storeB, clock, owner: "B", direct: true, handle });
    await b.supervisor.start();
    const [again] = await b.inbox.ingest([textUpdate(1, USER)]);
    assert.equal(again.status, "duplicate");
    const tx = storeB.tx();
    profiles.setAdminFlags(tx, USER, { tier: "free", banned: true, ban_reason: "spam" }, T0);
    await commitTx(storeB, tx);

    await b.inbox.ingest([textUpdate(2, USER)]);
    await b.supervisor.whenIdle();
    assert.equal(accounts.length, 2, "updates 1 (by A) and 2 (by B) ran");
    assert.equal(accounts[1], "none", "update 2 carries no account read before the ban");
    await b.supervisor.stop();
  } finally {
    storeA.close();
    storeB.close();
  }
});
