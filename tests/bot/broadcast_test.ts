import assert from "node:assert/strict";
import { Api, type Transformer } from "grammy";
import { type JobHandler, JobRunner } from "../../src/actors/jobs.ts";
import { BROADCAST_JOB, broadcastJob } from "../../src/bot/features/admin/broadcast_job.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { createErrorReporter } from "../../src/core/report.ts";
import { KvAuditSink } from "../../src/store/audit.ts";
import { sentMark } from "../../src/store/broadcast.ts";
import { KvMetricsSink } from "../../src/store/counters.ts";
import { createJob, getJob, stageJobUpdate } from "../../src/store/jobs.ts";
import { commitTx, type Store } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

const T0 = Date.UTC(2026, 0, 10, 12);
const ADMIN = 1;
const LOCAL_USER = 8_000_000_000_000_001;

/** One `sendMessage` as Telegram saw it. */
interface Sent {
  chatId: number;
  time: number;
  /** 200, 403, 429, or 0 for a call that never returned. */
  status: number;
}

interface TelegramOptions {
  blocked?: number[];
  /** `retry_after` (s) for the n-th call (1-based), or null to let it through. */
  rateLimit?: (n: number) => number | null;
  /** The n-th call never returns (the process dies with it in flight). */
  hangAt?: number;
}

/** Telegram's side, in-process: answers `sendMessage` and records every call with its time. */
function telegram(clock: FakeClock, options: TelegramOptions = {}) {
  const sent: Sent[] = [];
  const blocked = new Set(options.blocked ?? []);
  let n = 0;
  // deno-lint-ignore no-explicit-any
  const transformer: Transformer = (_prev, _method, payload): Promise<any> => {
    const chatId = Number((payload as { chat_id: number }).chat_id);
    const record = (status: number) => sent.push({ chatId, time: clock.now(), status });
    n++;
    if (n === options.hangAt) {
      record(0);
      return new Promise(() => {});
    }
    if (blocked.has(chatId)) {
      record(403);
      return Promise.resolve({
        ok: false,
        error_code: 403,
        description: "Forbidden: bot was blocked by the user",
      });
    }
    const retryAfter = options.rateLimit?.(n) ?? null;
    if (retryAfter !== null) {
      record(429);
      return Promise.resolve({
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      });
    }
    record(200);
    return Promise.resolve({
      ok: true,
      result: { message_id: n, date: 0, chat: { id: chatId, type: "private" }, text: "" },
    });
  };
  const api = new Api("1:test");
  api.config.use(transformer);
  return { api, sent };
}

/** Three of every ten calls answered 429 (some asking for 3 s), deterministically. */
function every3rdOf10(n: number): number | null {
  return [1, 4, 7].includes(n % 10) ? (n % 70 === 1 ? 3 : 1) : null;
}

/** Telegram's limits, checked from the recorded call times (every attempt counts). */
function assertWithinLimits(sent: Sent[], perSecond = 30): void {
  const times = sent.map((s) => s.time).sort((a, b) => a - b);
  for (let i = 0; i + perSecond < times.length; i++) {
    assert.ok(
      times[i + perSecond] - times[i] >= 1000,
      `${perSecond + 1} calls within ${times[i + perSecond] - times[i]} ms at ${i}`,
    );
  }
  const byChat = Map.groupBy(sent, (s) => s.chatId);
  for (const [chatId, calls] of byChat) {
    for (let i = 1; i < calls.length; i++) {
      assert.ok(calls[i].time - calls[i - 1].time >= 1000, `chat ${chatId}: two calls within 1 s`);
    }
  }
}

async function seedUsers(store: Store, ids: number[]): Promise<void> {
  const tx = store.tx();
  for (const id of ids) profiles.save(tx, profiles.newProfile({ id, language: "en" }, T0));
  profiles.save(tx, profiles.newProfile({ id: LOCAL_USER, language: "en", local: true }, T0));
  profiles.save(tx, profiles.newProfile({ id: 2001, language: "en", active: false }, T0));
  profiles.save(tx, profiles.newProfile({ id: 2000, language: "en" }, T0));
  profiles.setAdminFlags(tx, 2000, { tier: "free", banned: true, ban_reason: "spam" }, 0);
  await commitTx(store, tx);
}

async function newBroadcast(store: Store, text: string): Promise<string> {
  const tx = store.tx();
  const job = createJob(tx, {
    kind: BROADCAST_JOB,
    params: { text, admin_id: ADMIN },
    notify: { chatId: ADMIN, lang: "en" },
  }, T0);
  await commitTx(store, tx);
  return job.id;
}

function runner(store: Store, clock: FakeClock, owner: string, handler: JobHandler) {
  const metrics = new KvMetricsSink(store, { clock });
  return new JobRunner({
    store,
    clock,
    owner,
    leaseTtlMs: 5000,
    reportError: createErrorReporter({ audit: new KvAuditSink(store, clock), metrics }),
    handlers: { [BROADCAST_JOB]: handler },
  });
}

/** Moves the fake clock on in small steps until `work` settles. */
async function advanceUntil<T>(clock: FakeClock, work: Promise<T>, stepMs = 100): Promise<T> {
  let settled = false;
  const result = work.finally(() => settled = true);
  for (let i = 0; i < 100_000 && !settled; i++) await clock.advance(stepMs);
  return await result;
}

function successes(sent: Sent[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const s of sent) if (s.status === 200) counts.set(s.chatId, (counts.get(s.chatId) ?? 0) + 1);
  return counts;
}

const USERS = Array.from({ length: 120 }, (_, i) => 1000 + i);

Deno.test("broadcast: every eligible user gets one message, within 30/s overall and 1/s per chat, despite 429s", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  await seedUsers(store, USERS);
  const { api, sent } = telegram(clock, { blocked: [1005, 1050], rateLimit: every3rdOf10 });
  const jobId = await newBroadcast(store, "Hello everyone");
  const jobs = runner(store, clock, "A", broadcastJob({ store, clock, api }));

  assert.equal(await advanceUntil(clock, jobs.runJob(jobId)), true);

  const ok = successes(sent);
  for (const id of USERS) {
    assert.equal(ok.get(id) ?? 0, [1005, 1050].includes(id) ? 0 : 1, `user ${id}`);
  }
  for (const id of [2000, 2001, LOCAL_USER]) {
    assert.ok(!sent.some((s) => s.chatId === id), `user ${id} is left out`);
  }
  assert.ok(sent.filter((s) => s.status === 429).length > 30, "429s were injected");
  assertWithinLimits(sent);
  const job = (await getJob(store, jobId)).value!;
  assert.deepEqual(job.result, { sent: 118, failed: 0, blocked: 2 });
  assert.equal(job.processed, 120);
  const blocked = await profiles.get(store, 1005);
  assert.equal(blocked?.active, false, "a user who blocked the bot is marked inactive");
  assert.equal(blocked?.blocked, true);
  assert.equal((await sentMark(store, jobId, 1050))?.outcome, "blocked");
  assert.equal((await sentMark(store, jobId, 1119))?.outcome, "sent");
});

Deno.test("broadcast: resumed from its cursor by a new process between batches, it sends nobody twice and keeps the rate", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  await seedUsers(store, USERS);
  const { api, sent } = telegram(clock, { rateLimit: every3rdOf10 });
  const jobId = await newBroadcast(store, "Hello again");

  /** What the job runner does per batch: the batch, then its effects and the cursor, in one commit. */
  async function runBatches(handler: JobHandler, max: number): Promise<boolean> {
    for (let i = 0; i < max; i++) {
      const entry = await getJob(store, jobId);
      const job = entry.value!;
      if (job.status === "done") return true;
      const tx = store.tx();
      const batch = await handler.batch(job, tx);
      stageJobUpdate(tx, entry.versionstamp!, {
        ...job,
        status: batch.done ? "done" : "running",
        cursor: batch.cursor,
        processed: job.processed + batch.processed,
        result: batch.result ?? job.result,
      }, clock.now());
      assert.ok(await commitTx(store, tx));
    }
    return (await getJob(store, jobId)).value!.status === "done";
  }

  const first = broadcastJob({ store, clock, api });
  assert.equal(await advanceUntil(clock, runBatches(first, 2)), false);
  const before = sent.length;
  assert.ok(before >= 60 && before < 150, "stopped half-way");
  // A new process builds its own handler and goes on at once from the committed cursor.
  const second = broadcastJob({ store, clock, api });
  assert.equal(await advanceUntil(clock, runBatches(second, 1000)), true);

  const ok = successes(sent);
  assert.deepEqual([...ok.keys()].sort((a, b) => a - b), USERS);
  assert.ok([...ok.values()].every((n) => n === 1), "nobody twice");
  assertWithinLimits(sent);
  assert.deepEqual((await getJob(store, jobId)).value!.result, {
    sent: 120,
    failed: 0,
    blocked: 0,
  });
});

Deno.test("broadcast: a crash mid-batch repeats at most that batch's sends, after the lease lapses", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  // Process A's own connection: it dies with A.
  const storeA = await fileStore(tmp.path);
  const clock = new FakeClock(T0);
  await seedUsers(store, USERS);
  const { api, sent } = telegram(clock, { hangAt: 50 });
  const jobId = await newBroadcast(store, "Crash test");
  const batchSize = 10;

  const a = runner(storeA, clock, "A", broadcastJob({ store: storeA, clock, api, batchSize }));
  void a.runJob(jobId); // never finishes: its process dies with call 50 in flight
  for (let i = 0; i < 500 && sent.length < 50; i++) await clock.advance(20);
  // Dead, A renews its lease no more.
  storeA.close();
  await clock.advance(1000);
  const committed = (await getJob(store, jobId)).value!;
  assert.equal(committed.processed, 40, "four batches of ten committed before the crash");

  const b = runner(store, clock, "B", broadcastJob({ store, clock, api, batchSize }));
  assert.equal(await b.runJob(jobId), false, "A's lease is still live");
  await clock.advance(5000);
  assert.equal(await advanceUntil(clock, b.runJob(jobId)), true);

  const ok = successes(sent);
  for (const id of USERS) assert.ok((ok.get(id) ?? 0) >= 1, `user ${id} got it`);
  const twice = [...ok].filter(([, n]) => n > 1).map(([id]) => id);
  assert.ok(twice.length <= batchSize, `${twice.length} repeated`);
  assert.ok(twice.every((id) => id >= 1040 && id < 1050), "only the crashed batch's users");
  assert.ok([...ok.values()].every((n) => n <= 2));
  assertWithinLimits(sent);
  store.close();
});
