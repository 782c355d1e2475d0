/**
 * KV trouble (docs/ARCHITECTURE.md "Guarantees", docs/OPERATIONS.md `/health` and the webhook's
 * 503): `main.ts` runs as a child in webhook mode with its KV file on a small tmpfs. While it
 * serves traffic, the test fills that file system with a filler file, so SQLite's writes fail
 * ("database or disk is full") while its reads still work: a real fault, no test hook. Later the
 * filler is removed and writes work again, without a restart.
 *
 * - Before: users' `/start` and news texts are answered.
 * - During: the webhook answers 503 (never 500, and 200 only for what was made durable);
 *   `/health` answers 503 `unavailable` with `kv.write_ok: false` and `KV_DISK_FULL`; an API route
 *   answers a 503 BotResponse. Turns that were running when the disk filled (their provider call
 *   hangs until its timeout) still answer their users, and their commits keep being retried; no
 *   user sees more than one short, translated notice, nor anything internal.
 * - After: `/health` is ok again, every update that got a 503 is accepted when redelivered, every
 *   acknowledged update's effects are in KV exactly once, and the same process served it all.
 * - Operators see JSON log lines with codes (`KV_DISK_FULL`, `KV_RECOVERED`), and no secrets.
 *
 * Needs Linux and root (to mount a tmpfs); ignored elsewhere.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Update } from "grammy/types";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { FakeLlmServer } from "../support/fake_llm_server.ts";
import { en } from "../../src/i18n/en.ts";
import { ru } from "../../src/i18n/ru.ts";
import { openStore } from "../../src/store/kv.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";
import * as history from "../../src/store/history.ts";
import * as profiles from "../../src/store/profiles.ts";
import {
  ADMIN_TOKEN,
  type BotProcess,
  canMountTmpfs,
  mountTmpfs,
  pool,
  SECRET,
  spawnBot,
  tail,
  waitIdle,
} from "./support.ts";

type Lang = "en" | "ru";

interface Sent {
  update: Update;
  userId: number;
  /** The news text, or null for `/start`. */
  news: string | null;
  /** Every status the webhook answered for this update, in order. */
  statuses: number[];
}

const BOT_KEYS = [
  "success",
  "status",
  "data",
  "error",
  "error_code",
  "timestamp",
  "request_id",
  "processing_time_ms",
];
const SEND_METHODS = ["sendMessage", "editMessageText"];
/** The short notices a user may get when their update fails (at most one each). */
const NOTICES = new Set([
  en.error_unavailable,
  ru.error_unavailable,
  en.error_generic,
  ru.error_generic,
]);
/** What must never reach a user: error names, codes, stack frames, storage words. */
const INTERNALS = /Error\b|KV_|DB_ERROR|database|sqlite|disk is full|stack|\n\s+at\s/i;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(url: string, update: Update): Promise<number> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify(update),
      signal: AbortSignal.timeout(15_000),
    });
    await res.body?.cancel();
    return res.status;
  } catch {
    return 0;
  }
}

async function getJson(
  url: string,
  auth = false,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    headers: auth ? { Authorization: `Bearer ${ADMIN_TOKEN}` } : {},
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, body: await res.json() };
}

/** Polls until `check` returns a value (not undefined), or fails naming `what`. */
async function until<T>(
  what: string,
  timeoutMs: number,
  check: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms: ${what}`);
    await sleep(200);
  }
}

/** The child's JSON log lines. */
function logLines(bot: BotProcess): Record<string, unknown>[] {
  return bot.output.join("").split("\n").flatMap((line) => {
    if (!line.startsWith("{")) return [];
    try {
      return [JSON.parse(line)];
    } catch {
      return [];
    }
  });
}

Deno.test({
  name: "kv trouble: a full disk under the running bot → 503s, /health says so, nothing " +
    "acknowledged lost, recovery without a restart",
  ignore: !canMountTmpfs(),
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await using fake = startFakeBotApi({ seed: 4040 });
  await using llm = await FakeLlmServer.start({ type: "ok" });
  const dir = await Deno.makeTempDir({ prefix: "rvx-kvfull-" });
  // 16 MiB: room for the KV file and its write-ahead log, small enough to fill in a blink.
  const disk = await mountTmpfs(`${dir}/kv`, 16 << 20);
  const kvPath = `${disk.path}/rvx.kv`;
  let bot: BotProcess | undefined;
  const sent: Sent[] = [];
  const langOf = new Map<number, Lang>();
  const user = (n: number): number => {
    const userId = 940_000 + n;
    langOf.set(userId, n % 2 === 0 ? "ru" : "en");
    return userId;
  };
  const plan = (userId: number, news: string | null): Sent => {
    const languageCode = langOf.get(userId);
    const update = news === null
      ? fake.commandUpdate({ userId, languageCode, command: "start" })
      : fake.textUpdate({ userId, languageCode, text: news });
    const item = { update, userId, news, statuses: [] };
    sent.push(item);
    return item;
  };
  const newsOf = (userId: number): string[] =>
    sent.filter((s) => s.userId === userId && s.news !== null).map((s) => s.news!);
  /** The analysis cards in a user's chat (in their language), edits applied. */
  const cardsOf = (userId: number): number => {
    const heading = (langOf.get(userId) === "ru" ? ru : en).card_summary;
    return fake.messages(userId).filter((m) => m.from?.is_bot && m.text?.includes(heading))
      .length;
  };
  /** Waits until each of `users` has at least `expected(userId)` cards. */
  const waitCards = (
    what: string,
    timeoutMs: number,
    users: number[],
    expected: (userId: number) => number,
  ) =>
    until(what, timeoutMs, () => {
      const behind = users.filter((userId) => cardsOf(userId) < expected(userId));
      return behind.length === 0 ? true : undefined;
    });
  const deliver = async (running: BotProcess, item: Sent): Promise<number> => {
    const status = await post(running.hook, item.update);
    item.statuses.push(status);
    return status;
  };
  try {
    bot = await spawnBot({
      fake,
      kvPath,
      env: {
        FLOOD_COOLDOWN_SECONDS: "0",
        MAX_REQUESTS_PER_DAY: "10000",
        AI_RATE_LIMIT_REQUESTS: "10000",
        LEASE_TTL_SECONDS: "3",
        BACKUP_DIR: `${dir}/backups`,
        AI_PROVIDER_1_URL: llm.url,
        AI_PROVIDER_1_MODEL: "fake-model",
        AI_PROVIDER_1_TIMEOUT_MS: "3000",
        ANALYSIS_DEADLINE_MS: "3000",
      },
    });
    const running = bot;
    const pid = running.child.pid;
    const early = Array.from({ length: 8 }, (_, n) => user(n));
    const late = Array.from({ length: 6 }, (_, n) => user(100 + n));

    // === Before the fault: normal traffic is served.
    const before = early.flatMap((userId, n) => [
      plan(userId, null),
      plan(userId, `Bitcoin rose ${n + 2}% after the ETF inflow report, part ${n} before`),
    ]);
    await pool(before, 4, async (item) => void await deliver(running, item));
    assert.deepEqual(before.filter((s) => s.statuses[0] !== 200).length, 0, "all 200 before");
    await waitCards("every news text before the fault has its card", 20_000, early, () => 1);
    await waitIdle(running, 20_000);
    const healthy = await getJson(`${running.base}/health`);
    assert.equal(healthy.status, 200);
    const healthyData = healthy.body.data as { kv: { write_ok: boolean }; uptime_s: number };
    assert.equal(healthyData.kv.write_ok, true);

    // === Turns in flight when the disk fills: the provider hangs until its 3 s timeout, so
    // these handlers are running (lease held) when writes start failing. A second update each
    // waits behind the first in the user's inbox.
    llm.setDefault({ type: "hang" });
    const inFlightSince = Date.now();
    const inFlight = early.map((userId, n) =>
      plan(userId, `Ethereum fell ${n + 3}% as the upgrade slipped again, part ${n} in flight`)
    );
    const queued = early.map((userId, n) =>
      plan(userId, `Solana gained ${n + 4}% after a fund disclosed a stake, part ${n} queued`)
    );
    for (const item of [...inFlight, ...queued]) {
      assert.equal(await deliver(running, item), 200, "acknowledged before the fault");
    }
    // Each in-flight handler has started once its user got the "reading the news" message.
    for (const userId of early) {
      await fake.waitFor(
        (c) =>
          c.method === "sendMessage" && Number(c.params.chat_id) === userId &&
          c.time >= inFlightSince,
        { timeoutMs: 10_000, includePast: true },
      );
    }

    // === The fault: the file system KV lives on is full.
    const filled = await disk.fill();
    const faultAt = Date.now();
    assert.ok(filled > 0, "the filler took the free space");
    const during = [
      ...late.flatMap((userId, n) => [
        plan(userId, null),
        plan(userId, `Ripple jumped ${n + 5}% on a court ruling, part ${n} during`),
      ]),
      ...early.slice(0, 4).map((userId, n) =>
        plan(userId, `Cardano slid ${n + 6}% after a delay, part ${n} during`)
      ),
    ];
    for (const item of during) await deliver(running, item);
    const duringStatuses = during.map((s) => s.statuses[0]);
    assert.ok(
      duringStatuses.every((s) => s === 200 || s === 503),
      `the webhook answers 200 (durable) or 503 while the disk is full: ${duringStatuses}`,
    );
    assert.ok(duringStatuses.includes(503), `the full disk was felt: ${duringStatuses}`);

    const down = await getJson(`${running.base}/health`);
    assert.equal(down.status, 503, `/health while full: ${JSON.stringify(down.body)}`);
    assert.deepEqual(Object.keys(down.body).sort(), [...BOT_KEYS].sort());
    assert.equal(down.body.error_code, "UNAVAILABLE");
    const downData = down.body.data as {
      status: string;
      kv: { ok: boolean; write_ok: boolean; error_code: string; read_ms?: number };
      last_commit_error: { code: string } | null;
    };
    assert.equal(downData.status, "unavailable");
    assert.equal(downData.kv.ok, false);
    assert.equal(downData.kv.write_ok, false);
    assert.equal(downData.kv.error_code, "KV_DISK_FULL");
    assert.equal(typeof downData.kv.read_ms, "number", "reads still work");
    assert.equal(downData.last_commit_error?.code, "KV_DISK_FULL");

    // Operators can still read: the per-IP limit lets requests through while it cannot count.
    const stats = await getJson(`${running.base}/api/v1/stats`, true);
    assert.equal(
      stats.status,
      200,
      `a read-only API route while full: ${JSON.stringify(stats.body)}`,
    );
    assert.equal(stats.body.success, true);
    // A route that writes answers 503 with the code, as a BotResponse, no internals.
    const res = await fetch(`${running.base}/api/v1/keys`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "during the outage", owner: "ops" }),
      signal: AbortSignal.timeout(15_000),
    });
    const api = { status: res.status, body: await res.json() as Record<string, unknown> };
    assert.equal(
      api.status,
      503,
      `an API route that writes, while full: ${JSON.stringify(api.body)}`,
    );
    assert.deepEqual(Object.keys(api.body).sort(), [...BOT_KEYS].sort());
    assert.equal(api.body.success, false);
    assert.equal(api.body.error_code, "KV_DISK_FULL");
    assert.doesNotMatch(String(api.body.error), /\n\s+at\s/, "no stack trace");

    // The in-flight turns finish their handlers (the provider times out, the built-in analyzer
    // answers) and their users get the card, while their commits fail and are retried.
    await waitCards("the in-flight turns answered while full", 15_000, early, () => 2);
    const commitFailures = await until("the in-flight turns' commits failed", 15_000, () => {
      const failed = new Set(
        logLines(running)
          .filter((l) => l.operation === "turn.commit" && l.code === "KV_DISK_FULL")
          .map((l) => Number(l.userId)),
      );
      return early.every((u) => failed.has(u)) ? failed : undefined;
    });
    // Still full: the write probe of /health cannot write either.
    await sleep(1000);
    const stillDown = await getJson(`${running.base}/health`);
    assert.equal(stillDown.status, 503, "still unavailable while the disk stays full");
    const faultMs = Date.now() - faultAt;

    // === Recovery: the space comes back; no restart.
    await disk.free();
    const recoveredAfter = Date.now();
    const up = await until("/health is ok again", 30_000, async () => {
      const res = await getJson(`${running.base}/health`);
      return res.status === 200 ? res : undefined;
    });
    const upData = up.body.data as {
      status: string;
      kv: { ok: boolean; write_ok: boolean };
      last_commit_error: unknown;
      uptime_s: number;
    };
    assert.equal(upData.status, "ok");
    assert.equal(upData.kv.write_ok, true);
    assert.equal(upData.last_commit_error, null);
    const recoveryMs = Date.now() - recoveredAfter;

    // Telegram redelivers everything that got no 200; a few acknowledged ones come again too.
    const redeliver = sent.filter((s) => !s.statuses.includes(200));
    const duplicates = before.slice(0, 6);
    for (const item of [...redeliver, ...duplicates]) {
      assert.equal(await deliver(running, item), 200, "accepted after recovery");
    }
    const after = [...early, ...late].map((userId, n) =>
      plan(userId, `Dogecoin doubled overnight on a meme wave, part ${n} after`)
    );
    for (const item of after) assert.equal(await deliver(running, item), 200);
    await waitIdle(running, 60_000);
    await waitCards(
      "every news text has its card",
      30_000,
      [...early, ...late],
      (userId) => newsOf(userId).length,
    );
    assert.equal(running.exited.code, null, "main.ts never exited");
    assert.equal(running.child.pid, pid, "the same process throughout");
    assert.ok(upData.uptime_s >= healthyData.uptime_s, "the same uptime clock: not restarted");

    // === What users saw: their answers; at most one short notice in their language; nothing
    // internal.
    const calls = fake.calls().filter((c) =>
      SEND_METHODS.includes(c.method) && c.response?.ok === true
    );
    const notices = new Map<number, string[]>();
    for (const call of calls) {
      const chatId = Number(call.params.chat_id);
      const text = String(call.params.text ?? "");
      assert.doesNotMatch(text, INTERNALS, `nothing internal reaches user ${chatId}: ${text}`);
      if (NOTICES.has(text)) notices.set(chatId, [...(notices.get(chatId) ?? []), text]);
    }
    for (const [chatId, texts] of notices) {
      assert.ok(texts.length <= 1, `user ${chatId} got ${texts.length} notices`);
      const lang = langOf.get(chatId) === "ru" ? ru : en;
      assert.ok(
        [lang.error_unavailable, lang.error_generic].includes(texts[0]),
        `user ${chatId}'s notice is in their language`,
      );
    }
    const extra = [...langOf.keys()].filter((userId) => cardsOf(userId) !== newsOf(userId).length);
    assert.deepEqual(extra, [], "one card per news text, no repeats");

    // === Operators: structured lines with codes, no secrets.
    const lines = logLines(running);
    const text = running.output.join("");
    for (const secret of [SECRET, ADMIN_TOKEN, fake.token]) {
      assert.ok(!text.includes(secret), "no secret in the logs");
    }
    assert.ok(
      lines.some((l) =>
        l.logger === "rvx.store.kv" && l.level === "ERROR" &&
        l.code === "KV_DISK_FULL"
      ),
      "the first failed commit is logged as an error with its code",
    );
    assert.ok(
      lines.some((l) =>
        l.logger === "rvx.api.webhook" && l.code === "KV_DISK_FULL" &&
        l.status === 503
      ),
      "a refused webhook update is logged with its code",
    );
    assert.ok(
      lines.some((l) => l.logger === "rvx.store.kv" && l.code === "KV_RECOVERED"),
      "the recovery is logged",
    );
    await running.kill();
    bot = undefined;

    // === KV afterwards: every acknowledged update applied exactly once.
    const store = await openStore(kvPath);
    try {
      await runMigrations(store);
      const problems: string[] = [];
      for (const userId of [...early, ...late]) {
        const expected = newsOf(userId).sort();
        const got = (await history.list(store, userId, 1000)).map((h) => h.text).sort();
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          problems.push(`user ${userId}: history ${JSON.stringify(got)}, expected ${expected}`);
          continue;
        }
        const view = await profiles.get(store, userId);
        const total = (view?.totals.analyses ?? 0) + (view?.totals.questions ?? 0);
        if (total !== expected.length) {
          problems.push(`user ${userId}: analyses total ${total}, expected ${expected.length}`);
        }
      }
      assert.deepEqual(problems, [], "effects exactly once");
    } finally {
      store.close();
    }

    // deno-lint-ignore no-console
    console.log(
      `kv trouble: ${sent.length} updates planned; during the fault ${
        duringStatuses.filter((s) => s === 503).length
      }/${duringStatuses.length} answered 503; ${commitFailures.size} users' turns retried ` +
        `their commits; disk full for ${faultMs} ms, /health ok ${recoveryMs} ms after space ` +
        `came back; ${redeliver.length} redelivered, ${notices.size} users got a notice`,
    );
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.stack : err}\n${bot ? tail(bot) : ""}`);
  } finally {
    await bot?.kill();
    await disk.unmount();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
