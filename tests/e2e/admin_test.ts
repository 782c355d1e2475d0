import assert from "node:assert/strict";
import * as audit from "../../src/store/audit.ts";
import * as counters from "../../src/store/counters.ts";
import { commitTx } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { buttonData, callTo, messageIdOf, startTestApp } from "../support/app.ts";
import { type RecordedCall, startFakeBotApi } from "../support/fake_bot_api.ts";
import { fileStore } from "../support/store.ts";

const ADMIN = 1;
const ENV = { ADMIN_USER_IDS: String(ADMIN) };

function textTo(chatId: number, pattern: RegExp): (call: RecordedCall) => boolean {
  return (call) => callTo("sendMessage", chatId)(call) && pattern.test(String(call.params.text));
}

Deno.test("e2e admin: an admin bans a user, who is then refused; a non-admin's /ban is refused", async () => {
  await using fake = startFakeBotApi();
  await using running = await startTestApp(fake, ENV);
  fake.pushUpdate(fake.commandUpdate({ userId: 20, command: "start" }));
  await fake.waitFor(callTo("sendMessage", 20), { timeoutMs: 5000, includePast: true });

  fake.pushUpdate(fake.commandUpdate({ userId: 30, command: "ban", args: "20 spam" }));
  await fake.waitFor(textTo(30, /for the bot's administrators only/), {
    timeoutMs: 5000,
    includePast: true,
  });
  fake.pushUpdate(fake.commandUpdate({ userId: 20, command: "help" }));
  await fake.waitFor(textTo(20, /How to use RVX/), { timeoutMs: 5000, includePast: true });

  fake.pushUpdate(fake.commandUpdate({ userId: ADMIN, command: "ban", args: "20 spam" }));
  await fake.waitFor(textTo(ADMIN, /User 20 is banned\. Reason: spam/), {
    timeoutMs: 5000,
    includePast: true,
  });
  // The ban holds from its turn's commit, which lands just after the admin's reply is sent.
  await running.app.supervisor.whenIdle();
  const helpsBefore = fake.sentTexts(20).filter((text) => /How to use RVX/.test(text)).length;
  fake.pushUpdate(fake.commandUpdate({ userId: 20, command: "help" }));
  await fake.waitFor(textTo(20, /access to this bot has been restricted/), {
    timeoutMs: 5000,
    includePast: true,
  });
  assert.equal(
    fake.sentTexts(20).filter((text) => /How to use RVX/.test(text)).length,
    helpsBefore,
    "the banned user's /help is not served",
  );
  const rows = await audit.query(running.app.store, { action: "admin.ban" });
  assert.deepEqual(rows.map((r) => [r.user_id, r.status]), [[ADMIN, "ok"], [30, "denied"]]);
  assert.equal(await counters.get(running.app.store, "banned_total"), 1);
});

Deno.test("e2e admin: a broadcast to 200 users with 429s and a graceful restart half-way reaches everyone once within Telegram's limits", async () => {
  await using fake = startFakeBotApi();
  const dir = await Deno.makeTempDir({ prefix: "rvx-e2e-" });
  const kvPath = `${dir}/rvx.kv`;
  const users = Array.from({ length: 200 }, (_, i) => 5000 + i);
  const seed = await fileStore(kvPath);
  const tx = seed.tx();
  for (const id of users) {
    profiles.save(tx, profiles.newProfile({ id, language: "en" }, Date.now()));
  }
  counters.add(tx, "users_total", users.length);
  await commitTx(seed, tx);
  seed.close();

  const text = "📣 RVX news: new lessons are out. Try /learn!";
  const isBroadcast = (call: RecordedCall) =>
    call.method === "sendMessage" && call.params.text === text;
  const delivered = () =>
    fake.calls("sendMessage").filter((c) => isBroadcast(c) && c.response?.ok === true);

  const first = await startTestApp(fake, ENV, kvPath);
  fake.pushUpdate(fake.commandUpdate({ userId: ADMIN, command: "broadcast", args: text }));
  const ask = await fake.waitFor(textTo(ADMIN, /Send this message to every active user/), {
    timeoutMs: 5000,
    includePast: true,
  });
  fake.faults.rateLimit({ method: "sendMessage", share: 0.3, retryAfter: 1 });
  fake.pushUpdate(
    fake.callbackUpdate({
      userId: ADMIN,
      data: buttonData(ask, "📣 Send"),
      messageId: messageIdOf(ask),
    }),
  );
  await fake.waitFor((c) => isBroadcast(c) && delivered().length >= 90, { timeoutMs: 30_000 });
  await first.stop(); // graceful: the batch in flight finishes and commits
  const beforeRestart = delivered().length;
  assert.ok(beforeRestart < 150, `restarted half-way (${beforeRestart} delivered before)`);

  const restartedAt = Date.now();
  const second = await startTestApp(fake, ENV, kvPath);
  try {
    const notice = await fake.waitFor(textTo(ADMIN, /Broadcast finished/), {
      timeoutMs: 60_000,
      includePast: true,
    });
    // The admin is a user too.
    assert.equal(
      notice.params.text,
      "📣 Broadcast finished: 201 sent, 0 failed, 0 had blocked the bot.",
    );
  } finally {
    await second.stop();
  }

  const attempts = fake.calls("sendMessage").filter(isBroadcast);
  assert.ok(attempts.some((c) => c.response?.ok === false), "429s were injected");
  assert.ok(delivered().some((c) => c.time >= restartedAt), "the second process went on");
  const perChat = Map.groupBy(delivered(), (c) => Number(c.params.chat_id));
  for (const id of [...users, ADMIN]) {
    assert.equal(perChat.get(id)?.length ?? 0, 1, `user ${id} got it exactly once`);
  }
  for (const [chatId, calls] of Map.groupBy(attempts, (c) => Number(c.params.chat_id))) {
    for (let i = 1; i < calls.length; i++) {
      assert.ok(calls[i].time - calls[i - 1].time >= 1000, `chat ${chatId}: two sends within 1 s`);
    }
  }
  const times = attempts.map((c) => c.time).sort((a, b) => a - b);
  for (let i = 0; i + 30 < times.length; i++) {
    assert.ok(times[i + 30] - times[i] >= 1000, `31 sends within 1 s (from ${i})`);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("e2e admin: /backup writes a backup as a job and tells the admin its name", async () => {
  await using fake = startFakeBotApi();
  const dir = await Deno.makeTempDir({ prefix: "rvx-backup-e2e-" });
  await using running = await startTestApp(fake, { ...ENV, BACKUP_DIR: dir });
  fake.pushUpdate(fake.commandUpdate({ userId: ADMIN, command: "backup" }));
  await fake.waitFor(textTo(ADMIN, /Taking a backup/), { timeoutMs: 5000, includePast: true });
  const done = await fake.waitFor(
    textTo(ADMIN, /Backup written: rvx-backup-\d{8}-\d{6}\.jsonl\.gz/),
    {
      timeoutMs: 10_000,
      includePast: true,
    },
  );
  const name = /rvx-backup-\d{8}-\d{6}\.jsonl\.gz/.exec(String(done.params.text))![0];
  assert.ok((await Deno.stat(`${dir}/${name}`)).size > 0);
  const rows = await audit.query(running.app.store, { action: "admin.backup" });
  assert.equal(rows.length, 1);
  await running.stop();
  await Deno.remove(dir, { recursive: true });
});

Deno.test("e2e admin: a restore keeps the bans, unbans, tier changes and /forget erasures made after the backup", async () => {
  await using fake = startFakeBotApi();
  const dir = await Deno.makeTempDir({ prefix: "rvx-restore-e2e-" });
  await using running = await startTestApp(fake, { ...ENV, BACKUP_DIR: dir });
  const { store, backups, supervisor } = running.app;
  const command = async (userId: number, name: string, args: string, reply: RegExp) => {
    fake.pushUpdate(fake.commandUpdate({ userId, command: name, args }));
    await fake.waitFor(textTo(userId, reply), { timeoutMs: 5000, includePast: true });
    await supervisor.whenIdle();
  };
  for (const userId of [20, 21, 22, 23]) await command(userId, "start", "", /./);
  await command(ADMIN, "ban", "21 before", /User 21 is banned/);
  const made = await backups.create({ reason: "test" });

  await command(ADMIN, "ban", "20 spam", /User 20 is banned/);
  await command(ADMIN, "unban", "21", /User 21 is no longer banned/);
  await command(ADMIN, "tier", "22 pro", /User 22 is now on the pro tier/);
  fake.pushUpdate(fake.commandUpdate({ userId: 23, command: "forget" }));
  const ask = await fake.waitFor(textTo(23, /cannot be undone/), {
    timeoutMs: 5000,
    includePast: true,
  });
  fake.pushUpdate(
    fake.callbackUpdate({
      userId: 23,
      data: buttonData(ask, "Yes, erase"),
      messageId: messageIdOf(ask),
    }),
  );
  await fake.waitFor(textTo(23, /has been erased/), { timeoutMs: 10_000, includePast: true });
  await supervisor.whenIdle();
  const usersBefore = await counters.get(store, "users_total");

  const result = await backups.restore(made.name, { actor: { via: "cli" } });
  assert.equal((await profiles.get(store, 20))?.banned, true);
  assert.equal((await profiles.get(store, 21))?.banned, false);
  assert.equal((await profiles.get(store, 22))?.tier, "pro");
  assert.equal(await profiles.get(store, 23), null, "the erased user came back");
  assert.equal(await counters.get(store, "banned_total"), 1);
  assert.equal(await counters.get(store, "users_total"), usersBefore);
  assert.deepEqual(result.reapplied, {
    revoked_keys: [],
    kept_keys: [],
    bans: [20],
    unbans: [21],
    tier_changes: [{ user_id: 22, tier: "pro" }],
    erasures: 1,
  });
  assert.equal(result.rolled_back.actions["admin.ban"], 1);
  assert.equal(result.rolled_back.actions["admin.unban"], 1);
  assert.equal(result.rolled_back.actions["admin.tier"], 1);

  // The restored data is live: the user banned after the backup is still refused.
  fake.pushUpdate(fake.commandUpdate({ userId: 20, command: "help" }));
  await fake.waitFor(textTo(20, /access to this bot has been restricted/), {
    timeoutMs: 5000,
    includePast: true,
  });
  await running.stop();
  await Deno.remove(dir, { recursive: true });
});
