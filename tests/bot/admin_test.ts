import assert from "node:assert/strict";
import { type Transformer } from "grammy";
import { type Update } from "grammy/types";
import { JobRunner } from "../../src/actors/jobs.ts";
import { analysisEngineOptions, createAnalysisEngine } from "../../src/analysis/engine.ts";
import { botFeatures, createBot, turnHandler } from "../../src/bot/bot.ts";
import { BROADCAST_JOB, broadcastJob } from "../../src/bot/features/admin/broadcast_job.ts";
import { LOCAL_BOT_INFO } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { FakeClock } from "../../src/core/clock.ts";
import * as audit from "../../src/store/audit.ts";
import * as counters from "../../src/store/counters.ts";
import { getJob, unfinishedJobs } from "../../src/store/jobs.ts";
import { dataPrefix, runtimeKeys } from "../../src/store/keys.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { withFeatures } from "../support/features.ts";
import { createRuntime } from "../support/runtime.ts";
import { memoryStore } from "../support/store.ts";

const ADMIN = 1;
const T0 = Date.UTC(2026, 0, 10, 12);
const DAY = 86_400_000;

/** One Bot API call the bot made. */
interface Call {
  method: string;
  payload: Record<string, unknown>;
  time: number;
}

/** Answers every Bot API call in-process, Telegram-shaped, and records it. */
function recorder(calls: Call[], clock: FakeClock): Transformer {
  let messageId = 100;
  // deno-lint-ignore no-explicit-any
  return (_prev, method, payload): Promise<any> => {
    const p = payload as Record<string, unknown>;
    calls.push({ method, payload: p, time: clock.now() });
    const chat = { id: Number(p.chat_id), type: "private", first_name: "U" };
    const result = method === "sendMessage"
      ? { message_id: messageId++, date: Math.floor(clock.now() / 1000), chat, text: p.text }
      : method === "editMessageText"
      ? { message_id: p.message_id, date: Math.floor(clock.now() / 1000), chat, text: p.text }
      : true;
    return Promise.resolve({ ok: true, result });
  };
}

/** The real bot (core features + admin) on the actor runtime, with a fake clock. */
async function harness() {
  const store = await memoryStore();
  const clock = new FakeClock(T0);
  const config = createConfig({ ADMIN_USER_IDS: String(ADMIN), DEFAULT_LANGUAGE: "en" });
  const calls: Call[] = [];
  const transformer = recorder(calls, clock);
  let kicks = 0;
  const { metrics, inbox, supervisor, reportError } = createRuntime({
    store,
    clock,
    handle: (turn) => handle(turn),
  });
  const engine = createAnalysisEngine({ ...analysisEngineOptions(config), store, metrics, clock });
  const { services, registry } = await withFeatures({
    config,
    store,
    engine,
    clock,
    kickJobs: () => kicks++,
  });
  const bot = createBot({
    token: "1:test",
    botInfo: LOCAL_BOT_INFO,
    features: botFeatures(registry, services),
    transformers: [transformer],
  });
  const handle = turnHandler(bot, store);
  const api = createBot({ token: "1:test", botInfo: LOCAL_BOT_INFO, transformers: [transformer] })
    .api;
  const runner = new JobRunner({
    store,
    clock,
    reportError,
    handlers: {
      ...registry.jobHandlers({ ...services, pacedApi: api, backups: null! }),
      // Paced far faster than Telegram allows, so a test does not wait a second per 30.
      [BROADCAST_JOB]: broadcastJob({ store, clock, api, perSecond: 1000 }),
    },
    onDone: async (job) => {
      const text = registry.jobNotice(job);
      if (text) await bot.api.sendMessage(job.notify!.chatId, text);
    },
  });
  let updateId = 0;
  let messageId = 0;

  async function run(update: Omit<Update, "update_id">): Promise<void> {
    await inbox.ingest([{ ...update, update_id: ++updateId }]);
    await supervisor.whenIdle();
  }

  return {
    store,
    clock,
    calls,
    runner,
    get kicks() {
      return kicks;
    },
    /** A command (with its `bot_command` entity) or text from a user. */
    say(userId: number, text: string): Promise<void> {
      const command = /^\/\w+/.exec(text)?.[0];
      return run({
        message: {
          message_id: ++messageId,
          date: Math.floor(clock.now() / 1000),
          chat: { id: userId, type: "private", first_name: `U${userId}` },
          from: { id: userId, is_bot: false, first_name: `U${userId}`, language_code: "en" },
          text,
          ...(command
            ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] }
            : {}),
        },
      });
    },
    press(userId: number, data: string, messageId: number): Promise<void> {
      return run({
        callback_query: {
          id: `cb${updateId}`,
          chat_instance: "ci",
          data,
          from: { id: userId, is_bot: false, first_name: `U${userId}`, language_code: "en" },
          message: {
            message_id: messageId,
            date: Math.floor(clock.now() / 1000),
            chat: { id: userId, type: "private", first_name: `U${userId}` },
            text: "…",
          },
        },
      });
    },
    /** Texts sent (and edited in) to a chat, in order. */
    texts(chatId: number): string[] {
      return calls
        .filter((c) =>
          (c.method === "sendMessage" || c.method === "editMessageText") &&
          Number(c.payload.chat_id) === chatId
        )
        .map((c) => String(c.payload.text));
    },
    last(chatId: number): string {
      return this.texts(chatId).at(-1) ?? "";
    },
    async [Symbol.asyncDispose]() {
      await supervisor.stop();
      await metrics.flush().catch(() => {});
      store.close();
    },
  };
}

/** The callback data of a button in the last message with a keyboard to `chatId`. */
function button(calls: Call[], chatId: number, text: string): { data: string; messageId: number } {
  const index = calls.findLastIndex((c) =>
    c.method === "sendMessage" && Number(c.payload.chat_id) === chatId && c.payload.reply_markup
  );
  const markup = calls[index].payload.reply_markup as {
    inline_keyboard: { text: string; callback_data: string }[][];
  };
  const found = markup.inline_keyboard.flat().find((b) => b.text === text);
  assert.ok(found, `a "${text}" button`);
  return { data: found.callback_data, messageId: 100 + index };
}

async function rows(store: Store, action: string): Promise<audit.AuditRow[]> {
  return await audit.query(store, { action });
}

Deno.test("admin: a non-admin's /ban is refused politely, audited as denied, and changes nothing", async () => {
  await using h = await harness();
  await h.say(20, "/start");
  await h.say(30, "/ban 20 spam");
  assert.match(h.last(30), /for the bot's administrators only/);
  assert.equal((await profiles.get(h.store, 20))?.banned, false);
  const [row] = await rows(h.store, "admin.ban");
  assert.equal(row.status, "denied");
  assert.equal(row.user_id, 30);
  assert.equal(row.command, "/ban 20 spam");
  assert.equal(await counters.get(h.store, "banned_total"), 0);
  for (const command of ["/admin", "/unban 20", "/tier 20 pro", "/clear_cache", "/broadcast hi"]) {
    await h.say(30, command);
    assert.match(h.last(30), /for the bot's administrators only/, command);
  }
  assert.deepEqual(await unfinishedJobs(h.store), [], "no job for a refused command");
});

Deno.test("admin: a banned user is refused politely until /unban, and the banned gauge follows", async () => {
  await using h = await harness();
  await h.say(20, "/start");
  await h.say(ADMIN, "/ban 20 spam links");
  assert.equal(h.last(ADMIN), "🚫 User 20 is banned. Reason: spam links");
  const banned = await profiles.get(h.store, 20);
  assert.equal(banned?.banned, true);
  assert.equal(banned?.ban_reason, "spam links");
  assert.equal(await counters.get(h.store, "banned_total"), 1);

  const before = h.texts(20).length;
  await h.say(20, "/help");
  assert.match(h.last(20), /access to this bot has been restricted/);
  await h.say(20, "BTC rose 5% after the ETF approval, what does it mean?");
  assert.equal(h.texts(20).length, before + 1, "told once a minute, not on every message");
  await h.clock.advance(61_000);
  await h.say(20, "/start");
  assert.equal(h.texts(20).length, before + 2);
  await h.press(20, "m:help", 5);
  const answer = h.calls.findLast((c) => c.method === "answerCallbackQuery")!;
  assert.match(String(answer.payload.text), /restricted/, "a button press is refused too");

  await h.say(ADMIN, "/ban 20 still spam");
  assert.equal(await counters.get(h.store, "banned_total"), 1, "a second ban is no second count");
  await h.say(ADMIN, "/ban 1");
  assert.equal(h.last(ADMIN), "User 1 is an administrator and cannot be banned.");
  await h.say(ADMIN, "/ban 777");
  assert.equal(h.last(ADMIN), "No user with id 777 has used the bot.");
  await h.say(ADMIN, "/ban someone");
  assert.match(h.last(ADMIN), /^Usage: \/ban/);

  await h.say(ADMIN, "/unban 20");
  assert.equal(h.last(ADMIN), "✅ User 20 is no longer banned.");
  assert.equal(await counters.get(h.store, "banned_total"), 0);
  await h.say(ADMIN, "/unban 20");
  assert.equal(h.last(ADMIN), "User 20 is not banned.");
  assert.equal(await counters.get(h.store, "banned_total"), 0);
  await h.say(20, "/help");
  assert.match(h.last(20), /How to use RVX/);

  const bans = await rows(h.store, "admin.ban");
  assert.deepEqual(bans.map((r) => [r.status, r.result]).reverse(), [
    ["ok", "banned"],
    ["ok", "reason updated"],
    ["error", "target is an admin"],
    ["error", "no such user"],
    ["error", "usage"],
  ]);
  assert.deepEqual(bans.at(-1)?.parameters, { target: 20, reason: "spam links" });
  assert.deepEqual((await rows(h.store, "admin.unban")).map((r) => r.result).reverse(), [
    "unbanned",
    "was not banned",
  ]);
});

Deno.test("admin: /tier sets a user's tier and keeps a ban; bad arguments get the usage", async () => {
  await using h = await harness();
  await h.say(20, "/start");
  await h.say(ADMIN, "/ban 20");
  await h.say(ADMIN, "/tier 20 PRO");
  assert.equal(h.last(ADMIN), "✅ User 20 is now on the pro tier.");
  const user = await profiles.get(h.store, 20);
  assert.equal(user?.tier, "pro");
  assert.equal(user?.banned, true, "the tier leaves the ban alone");
  await h.say(ADMIN, "/tier 20 gold");
  assert.match(h.last(ADMIN), /^Usage: \/tier/);
  await h.say(ADMIN, "/tier 99 free");
  assert.equal(h.last(ADMIN), "No user with id 99 has used the bot.");
  const [latest, , first] = await rows(h.store, "admin.tier");
  assert.equal(first.result, "free -> pro");
  assert.deepEqual(first.parameters, { target: 20, tier: "pro" });
  assert.equal(latest.result, "no such user");
});

Deno.test("admin: /admin shows users, active 7 d, banned and the counters' figures", async () => {
  await using h = await harness();
  await h.say(22, "/start");
  await h.clock.advance(10 * DAY);
  await h.say(20, "/start");
  await h.say(21, "/start");
  await h.say(ADMIN, "/ban 21");
  const tx = h.store.tx();
  for (
    const [name, n] of [
      ["analyses_total", 5],
      ["questions_total", 2],
      ["errors_error", 2],
      ["cache_hits", 3],
      ["cache_misses", 1],
      ["feedback_up", 4],
      ["feedback_down", 1],
      ["dead_letters", 1],
    ] as const
  ) counters.add(tx, name, n);
  await commitTx(h.store, tx);

  await h.say(ADMIN, "/admin");
  const text = h.last(ADMIN);
  assert.match(text, /Users: 4 · active 7 d: 3 · banned: 1/, "user 22 was seen 10 days ago");
  assert.match(text, /Analyses: 5 · questions: 2/);
  assert.match(text, /Errors: 2 · critical: 0/);
  assert.match(text, /Cache hit rate: 75%/);
  assert.match(text, /Feedback: 👍 4 · 👎 1/);
  assert.match(text, /Dead letters: 1/);

  await h.say(22, "/start");
  await h.say(ADMIN, "/admin");
  assert.match(h.last(ADMIN), /active 7 d: 4/, "user 22 is back");
  const [row] = await rows(h.store, "admin.stats");
  assert.equal(row.status, "ok");
  assert.equal(JSON.parse(row.result!).active, 4);
});

Deno.test("admin: /clear_cache runs as a job and tells the admin how many entries went", async () => {
  await using h = await harness();
  for (const hash of ["a", "b", "c"]) {
    await h.store.kv.set(runtimeKeys.analysisCache(hash), { at: T0 });
  }
  await h.say(ADMIN, "/clear_cache");
  assert.match(h.last(ADMIN), /Clearing the analysis cache/);
  assert.equal(h.kicks, 1);
  assert.equal(await h.runner.runPending(), 1);
  assert.equal(h.last(ADMIN), "✅ Analysis cache cleared: 3 stored entries removed.");
  const left = await Array.fromAsync(h.store.kv.list({ prefix: runtimeKeys.analysisCachePrefix }));
  assert.equal(left.length, 0);
  assert.equal((await rows(h.store, "admin.clear_cache"))[0].status, "ok");
  assert.equal((await rows(h.store, "admin.clear_cache.done"))[0].result, "3 entries deleted");
});

Deno.test("admin: /broadcast asks first; Cancel sends nothing, and a stale or repeated Send does nothing", async () => {
  await using h = await harness();
  await h.say(20, "/start");
  await h.say(ADMIN, "/broadcast");
  assert.match(h.last(ADMIN), /^Usage: \/broadcast/);
  await h.say(ADMIN, `/broadcast ${"x".repeat(4097)}`);
  assert.match(h.last(ADMIN), /too long \(4097 characters\)/);

  await h.say(ADMIN, "/broadcast First <b>news</b>");
  assert.equal(h.last(ADMIN), "📣 Send this message to every active user?\n\nFirst <b>news</b>");
  const first = button(h.calls, ADMIN, "📣 Send");
  await h.press(ADMIN, button(h.calls, ADMIN, "Cancel").data, first.messageId);
  assert.equal(h.last(ADMIN), "Broadcast cancelled: nothing was sent.");
  await h.press(ADMIN, first.data, first.messageId);
  assert.match(
    String(h.calls.findLast((c) => c.method === "answerCallbackQuery")?.payload.text),
    /no longer active/,
  );
  assert.deepEqual(await unfinishedJobs(h.store), []);

  await h.say(ADMIN, "/broadcast Second news");
  const second = button(h.calls, ADMIN, "📣 Send");
  await h.press(ADMIN, first.data, first.messageId);
  assert.deepEqual(await unfinishedJobs(h.store), [], "the first broadcast's button is stale");
  await h.press(ADMIN, second.data, second.messageId);
  assert.equal(h.last(ADMIN), "📣 Broadcast started. I'll report when it's done.");
  await h.press(ADMIN, second.data, second.messageId);
  const jobs = await unfinishedJobs(h.store);
  assert.equal(jobs.length, 1, "one job for two presses");
  assert.equal(jobs[0].params.text, "Second news");

  await h.runner.runPending();
  assert.deepEqual(h.texts(20).slice(-1), ["Second news"]);
  const done = (await getJob(h.store, jobs[0].id)).value!;
  assert.deepEqual(done.result, { sent: 2, failed: 0, blocked: 0 }, "the admin is a user too");
  assert.equal(h.last(ADMIN), "📣 Broadcast finished: 2 sent, 0 failed, 0 had blocked the bot.");
  const broadcastRows = (await rows(h.store, "admin.broadcast")).reverse();
  assert.deepEqual(broadcastRows.map((r) => r.result?.replace(/job \w+/, "job")), [
    "usage",
    "too long",
    "confirmation asked",
    "cancelled",
    "confirmation asked",
    "job queued",
  ]);
  assert.equal(
    (await rows(h.store, "admin.broadcast.done"))[0].result,
    "sent 2, failed 0, blocked 0",
  );
});

Deno.test("admin: /forget still works for an admin", async () => {
  await using h = await harness();
  await h.say(ADMIN, "/start");
  await h.say(ADMIN, "/forget");
  assert.match(h.last(ADMIN), /cannot be undone/);
  const yes = button(h.calls, ADMIN, "Yes, erase");
  await h.press(ADMIN, yes.data, yes.messageId);
  assert.match(h.last(ADMIN), /Erasing your data/);
  const [job] = await unfinishedJobs(h.store);
  assert.equal(job.kind, "forget");
  assert.deepEqual(job.params, { userId: ADMIN });
});

/** Bytes of the audit log's records (keys and values as JSON): what KV holds, roughly. */
async function auditBytes(store: Store): Promise<number> {
  let bytes = 0;
  for await (const entry of store.kv.list({ prefix: dataPrefix(store.generation, "audit") })) {
    const json = (value: unknown) =>
      JSON.stringify(value ?? null, (_, v) => typeof v === "bigint" ? String(v) : v).length;
    bytes += json(entry.key) + json(entry.value);
  }
  return bytes;
}

Deno.test("admin: 300 refused /ban commands with long text from one user store a bounded, short audit trail", async () => {
  await using h = await harness();
  await h.say(30, "/start");
  await h.clock.advance(60_000);
  const before = await auditBytes(h.store);
  const long = `/ban ${"A".repeat(3_000)}`;
  for (let i = 0; i < 300; i++) await h.say(30, long);
  assert.equal(
    h.texts(30).filter((text) => /for the bot's administrators only/.test(text)).length,
    300,
    "every refusal is still answered",
  );
  const rows = await audit.query(h.store, { userId: 30, limit: 500 });
  assert.equal(rows.length, audit.DENIED_ROWS_PER_USER_PER_DAY);
  for (const row of rows) {
    assert.equal(row.status, "denied");
    assert.ok((row.command?.length ?? 0) <= audit.DENIED_TEXT_CHARS);
    assert.ok(JSON.stringify(row.parameters).length < 2 * audit.DENIED_TEXT_CHARS);
  }
  const grown = (await auditBytes(h.store)) - before;
  assert.ok(grown < 6_000, `the audit log grew by ${grown} bytes`);

  await h.clock.advance(DAY);
  await h.say(30, long);
  assert.equal(
    (await audit.query(h.store, { userId: 30, limit: 500 })).length,
    audit.DENIED_ROWS_PER_USER_PER_DAY + 1,
    "a new day, a new allowance",
  );
  assert.equal((await audit.query(h.store, { action: "admin.ban", limit: 500 })).length, 11);
});
