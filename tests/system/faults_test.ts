/**
 * Bad input (issue 10): 10 000 seeded fuzzed webhook bodies with the right secret against
 * `main.ts` as a child process, while real users keep sending news:
 *
 * - bodies that are not updates: non-JSON, invalid UTF-8, JSON of other shapes, wrong `update_id`
 *   types, missing fields, deep nesting, oversized bodies;
 * - updates Telegram could send that the bot must take in its stride: odd Unicode text (zero-width
 *   and RTL marks, Zalgo, emoji sequences, up to 4 096 characters), commands with odd arguments,
 *   forged or stale callback data pressed on the welcome message the bot really sent, photos,
 *   stickers, locations, group messages, replies, forwards, and the update kinds the bot has no
 *   handler for (edits, channel posts, reactions, member changes, inline queries…);
 * - Telegram-shaped updates with wrong types in the right places, random mutations, and text no
 *   Telegram client sends (NUL and other controls, lone surrogates, 60 000 characters).
 *
 * → every answer is 200, 400 or 413 (never a 500, never a dropped connection), the process keeps
 * running and `/health` answers, every real user's news gets its analysis card, and no update
 * that Telegram could really send ends in the dead-letter list (the others may, after their
 * retries: `TURN_MAX_ATTEMPTS` is 2 here).
 *
 * @module
 */
import assert from "node:assert/strict";
import { type Update } from "grammy/types";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { listDeadLetters } from "../../src/store/dead_letters.ts";
import { openStore } from "../../src/store/kv.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";
import { buttonData } from "./driver.ts";
import { type BotProcess, pool, SECRET, seeded, spawnBot, tail, waitIdle } from "./support.ts";

const BODIES = 10_000;
/** Real users' news texts sent among the fuzzed bodies. */
const VALID = 200;
const CONNECTIONS = 20;
const ALLOWED = new Set([200, 400, 413]);
const FUZZ_USERS = 1000;
const FIRST_FUZZ_USER = 900_000;

/** Text Telegram never delivers: NUL and other C0 controls, lone surrogates. */
const IMPOSSIBLE_STRINGS = ["\u0000", "\u0001\u0002\u001b[31m", "\ud800", "\udfff lone low"];

const ODD_STRINGS = [
  ...IMPOSSIBLE_STRINGS,
  "",
  " ",
  "\u200b\u200c\u200d\u2060\ufeff",
  "\u200b",
  "\u202e\u202d RTL override",
  "👨‍👩‍👧‍👦🏳️‍🌈🧑🏽‍🚀",
  "Z̷̢̛͈͎̗̰̓̈́̑a̸̧̘̺͂l̵̢̛̺̈g̴̢̛o̶",
  "مرحبا بالعالم",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "/start",
  "/start " + "x".repeat(500),
  "/",
  "\n\n\n",
  "null",
  "<b>unclosed & <i>tags</b>",
  "&amp;&lt;&#0;&#xFFFFFF;",
  "${process.exit(1)}",
  "'; DROP TABLE users; --",
  "__proto__",
  "\r\n\t\v\f",
];

/** The odd strings a Telegram client can send. */
const POSSIBLE_STRINGS = ODD_STRINGS.filter((text) => !IMPOSSIBLE_STRINGS.includes(text));

/** Callback data a client could send: ours forged, stale or out of range, and foreign. */
const CALLBACK_DATA = [
  "",
  "la:beginner-1:0:9:zz",
  "la:beginner-1:9:0:abc",
  "la:no-such-lesson:0:0:abc",
  "la:beginner-1:0:0:" + "z".repeat(11),
  "lq:no-such-lesson",
  "lq:beginner-1",
  "lo:advanced-5",
  "lo:x",
  "lk:beginner",
  "lk:nope",
  "lc",
  "lt:etf",
  "lt:unknown-topic",
  "lb:week",
  "lb:decade",
  "v:up:aaaaaaaaaaaaaaaaaaaa",
  "v:down:00000000000000000000",
  "b:aaaaaaaaaaaaaaaaaaaa",
  "l:ru",
  "l:xx",
  "m:learn",
  "m:profile",
  "m:history",
  "m:limits",
  "m:help",
  "m:analyze",
  "m:nope",
  "f:no",
  "bc:AAAAAAAA:yes",
  "bc:AAAAAAAA:no",
  "x".repeat(64),
  "x".repeat(65),
  "👍".repeat(16),
  "__proto__",
  "constructor",
];

const COMMANDS = [
  "start",
  "help",
  "menu",
  "language",
  "ask",
  "learn",
  "quiz",
  "history",
  "profile",
  "limits",
  "bookmarks",
  "leaderboard",
  "stats",
  "admin",
  "broadcast",
  "ban",
  "tier",
  "backup",
  "clear_cache",
  "export",
  "no_such_command",
  "start@other_bot",
  "START",
];

/** Update kinds Telegram sends that no feature handles (or handles only in part). */
const OTHER_KINDS = [
  "edited_message",
  "channel_post",
  "edited_channel_post",
  "business_connection",
  "business_message",
  "edited_business_message",
  "deleted_business_messages",
  "message_reaction",
  "message_reaction_count",
  "inline_query",
  "chosen_inline_result",
  "shipping_query",
  "pre_checkout_query",
  "purchased_paid_media",
  "poll",
  "poll_answer",
  "my_chat_member",
  "chat_member",
  "chat_join_request",
  "chat_boost",
  "removed_chat_boost",
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function randomValue(random: () => number, depth = 0): unknown {
  const kind = Math.floor(random() * (depth > 3 ? 7 : 9));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return random() < 0.5;
    case 2:
      return pick(random, [0, -1, 1.5, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MAX_SAFE_INTEGER]);
    case 3:
      return pick(random, ODD_STRINGS);
    case 4:
      return pick(random, ODD_STRINGS).repeat(1 + Math.floor(random() * 2000));
    case 5:
      return String(Math.floor(random() * 1e9));
    case 6:
      return {};
    case 7:
      return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      const keys = ["text", "from", "chat", "id", "message_id", "date", "data", "entities", "x"];
      for (let i = 0; i < 1 + random() * 4; i++) {
        out[pick(random, keys)] = randomValue(random, depth + 1);
      }
      return out;
    }
  }
}

function user(userId: number): Record<string, unknown> {
  return { id: userId, is_bot: false, first_name: "Fuzz", language_code: "en" };
}

function privateChat(userId: number): Record<string, unknown> {
  return { id: userId, type: "private", first_name: "Fuzz" };
}

function message(userId: number, fields: Record<string, unknown>): Record<string, unknown> {
  return {
    message_id: 1,
    date: 1_700_000_000,
    from: user(userId),
    chat: privateChat(userId),
    ...fields,
  };
}

function validShape(updateId: number, userId: number, text: string): Record<string, unknown> {
  return { update_id: updateId, message: message(userId, { text }) };
}

/** Replaces the value at a random path of `obj` with a random value (or deletes it). */
function mutate(random: () => number, obj: Record<string, unknown>): void {
  let node: Record<string, unknown> = obj;
  for (let depth = 0; depth < 4; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = pick(random, keys);
    const child = node[key];
    if (child && typeof child === "object" && !Array.isArray(child) && random() < 0.6) {
      node = child as Record<string, unknown>;
      continue;
    }
    if (random() < 0.3) delete node[key];
    else node[key] = randomValue(random);
    return;
  }
}

/** Users who got the welcome message first, so their presses name a message the bot sent. */
const BUTTON_USERS = 100;
const FIRST_BUTTON_USER = 880_000;

/**
 * A button press: on the welcome message the bot really sent this user (as it is, or as
 * Telegram's inaccessible-message stub), or, when `forged`, on a made-up bot message or none.
 */
function callbackShape(
  random: () => number,
  updateId: number,
  userId: number,
  data: unknown,
  forged: boolean,
): Record<string, unknown> {
  const welcome = { message_id: 2, date: 1_700_000_000, chat: privateChat(userId) };
  const botMessage = forged
    ? pick(random, [
      message(userId, {
        message_id: 2 + Math.floor(random() * 5),
        from: { id: 123456789, is_bot: true, first_name: "RVX Test Bot", username: "rvx_test_bot" },
        text: pick(random, ["A card", "Question 1 of 4", "🤔"]),
      }),
      undefined,
    ])
    : pick(random, [
      {
        ...welcome,
        from: { id: 123456789, is_bot: true, first_name: "RVX Test Bot", username: "rvx_test_bot" },
        text: "Welcome",
      },
      { ...welcome, date: 0 },
    ]);
  return {
    update_id: updateId,
    callback_query: {
      id: String(updateId),
      from: user(userId),
      chat_instance: "-7",
      ...(botMessage ? { message: botMessage } : {}),
      data,
    },
  };
}

/** A message kind other than plain text, in a private chat, a group or a channel. */
function otherMessage(random: () => number, userId: number): Record<string, unknown> {
  const file = { file_id: "F", file_unique_id: "U", file_size: 10 };
  const group = { id: -1_000_000_000_000 - userId, type: "supergroup", title: "Fuzz group" };
  const variants: Record<string, unknown>[] = [
    message(userId, { photo: [{ ...file, width: 1, height: 1 }], caption: "Bitcoin ETF news" }),
    message(userId, {
      sticker: { ...file, type: "regular", width: 1, height: 1, is_animated: false },
    }),
    message(userId, { document: { ...file, file_name: "x.pdf" } }),
    message(userId, { voice: { ...file, duration: 1 } }),
    message(userId, { location: { latitude: 0, longitude: 0 } }),
    message(userId, { contact: { phone_number: "+1", first_name: "A" } }),
    message(userId, { dice: { emoji: "🎲", value: 6 } }),
    message(userId, { text: "Bitcoin rose 5% after ETF inflows", chat: group }),
    message(userId, { new_chat_members: [user(userId + 1)], chat: group }),
    message(userId, { left_chat_member: user(userId + 1), chat: group }),
    message(userId, {
      text: "Quoted: Ethereum upgrade delayed",
      reply_to_message: message(userId, { message_id: 99_999, text: "old" }),
    }),
    message(userId, {
      text: "Forwarded: Solana outage again today",
      forward_origin: { type: "hidden_user", sender_user_name: "X", date: 1 },
    }),
    message(userId, {
      text: "/ask what is a blockchain?",
      entities: [{ type: "bot_command", offset: 0, length: 4 }, {
        type: "text_link",
        offset: 200,
        length: 5,
        url: "https://x",
      }],
    }),
    message(userId, { text: "Bitcoin " + "🚀".repeat(1000), chat: group }),
  ];
  return pick(random, variants);
}

/** A payload for one of the other update kinds: well formed or random. */
function otherKindPayload(random: () => number, kind: string, userId: number): unknown {
  if (random() < 0.3) return randomValue(random);
  const chat = privateChat(userId);
  const memberUpdate = {
    chat,
    from: user(userId),
    date: 1,
    old_chat_member: { status: "member", user: user(123456789) },
    new_chat_member: { status: pick(random, ["kicked", "member"]), user: user(123456789) },
  };
  switch (kind) {
    case "edited_message":
    case "business_message":
    case "edited_business_message":
      return message(userId, { text: "Edited: Bitcoin fell 3% today", edit_date: 2 });
    case "channel_post":
    case "edited_channel_post":
      return {
        message_id: 1,
        date: 1,
        chat: { id: -1_000_000_000_001, type: "channel", title: "News" },
        text: "Channel: Ethereum ETF approved",
      };
    case "my_chat_member":
    case "chat_member":
      return memberUpdate;
    case "inline_query":
      return { id: "1", from: user(userId), query: "btc", offset: "" };
    case "poll_answer":
      return { poll_id: "1", user: user(userId), option_ids: [0] };
    case "message_reaction":
      return {
        chat,
        message_id: 1,
        user: user(userId),
        date: 1,
        old_reaction: [],
        new_reaction: [{ type: "emoji", emoji: "👍" }],
      };
    case "pre_checkout_query":
      return {
        id: "1",
        from: user(userId),
        currency: "XTR",
        total_amount: 1,
        invoice_payload: "x",
      };
    case "chat_join_request":
      return { chat, from: user(userId), user_chat_id: userId, date: 1 };
    default:
      return { from: user(userId), chat, id: "1", date: 1 };
  }
}

/** The cases, by `i % CASES.length`; `telegram` marks updates Telegram could really send. */
const CASES: { name: string; telegram: boolean }[] = [
  { name: "not JSON", telegram: false },
  { name: "invalid UTF-8", telegram: false },
  { name: "JSON, not an update", telegram: false },
  { name: "wrong update_id type", telegram: false },
  { name: "unknown kind, random payload", telegram: false },
  { name: "missing fields", telegram: false },
  { name: "huge or odd Unicode text", telegram: true },
  { name: "mutated message", telegram: false },
  { name: "oversized", telegram: false },
  { name: "deep nesting, big arrays", telegram: false },
  { name: "forged or stale callback data", telegram: true },
  { name: "command with odd arguments", telegram: true },
  { name: "other message kinds and chats", telegram: true },
  { name: "wrong types in the right places", telegram: false },
  { name: "mutated callback query", telegram: false },
  { name: "other update kinds", telegram: true },
  { name: "text Telegram never sends", telegram: false },
];

/** One fuzzed body (string or raw bytes). */
function fuzzBody(random: () => number, i: number): string | Uint8Array<ArrayBuffer> {
  const updateId = 5_000_000 + i;
  const userId = FIRST_FUZZ_USER + (i % FUZZ_USERS);
  switch (i % CASES.length) {
    case 0:
      return pick(random, [
        "",
        "{",
        "not json",
        "{'update_id': 1}",
        "[1,2",
        "\u0000\u0001",
        '{"update_id":1,}',
        "NaN",
        "{".repeat(5000),
      ]);
    case 1:
      return new Uint8Array([
        0x7b,
        0xff,
        0xfe,
        0xc3,
        0x28,
        0x7d,
        ...Array(Math.floor(random() * 50)).fill(0x80),
      ]);
    case 2:
      return JSON.stringify(randomValue(random));
    case 3:
      return JSON.stringify({
        ...validShape(0, userId, "Oil prices rose after the OPEC meeting"),
        update_id: pick(random, ["1", null, -5, 0, 1.5, 2 ** 60, [], {}, true, "💥"]),
      });
    case 4:
      return JSON.stringify({
        update_id: updateId,
        [pick(random, ["foo", "x".repeat(300), "", "__proto__", "update_id2", ...OTHER_KINDS])]:
          randomValue(random),
      });
    case 5:
      return JSON.stringify(
        pick(random, [
          { update_id: updateId },
          { message: { text: "hi" } },
          { update_id: updateId, message: {} },
          { update_id: updateId, message: { text: "Bitcoin hits new high today" } },
          { update_id: updateId, callback_query: { id: "1" } },
          { update_id: updateId, callback_query: { id: "1", from: user(userId) } },
          { update_id: updateId, message: { chat: { id: userId }, text: "hello there all" } },
          { update_id: updateId, message: { from: user(userId), text: "no chat at all here" } },
        ]),
      );
    case 6: {
      // What a Telegram client can send: at most 4 096 characters of valid Unicode.
      const text = pick(random, POSSIBLE_STRINGS).repeat(1 + Math.floor(random() * 3000));
      return JSON.stringify(validShape(updateId, userId, text.slice(0, 4096).trim() || "x"));
    }
    case 7: {
      const body = validShape(updateId, userId, "Gold prices fell on strong dollar news");
      for (let m = 0; m < 1 + random() * 3; m++) mutate(random, body);
      return JSON.stringify(body);
    }
    case 8:
      return random() < 0.5
        ? JSON.stringify(validShape(updateId, userId, "a".repeat(110_000)))
        : JSON.stringify({ update_id: updateId, pad: "é".repeat(60_000) });
    case 9:
      return random() < 0.5 ? "[".repeat(2000) + "]".repeat(2000) : JSON.stringify({
        update_id: updateId,
        message: message(userId, {
          text: "x",
          entities: Array(3000).fill({ type: "bold", offset: -1, length: 1e9 }),
        }),
      });
    case 10: {
      const data = random() < 0.8 ? pick(random, CALLBACK_DATA) : pick(random, ODD_STRINGS);
      const presser = FIRST_BUTTON_USER + (i % BUTTON_USERS);
      return JSON.stringify(callbackShape(random, updateId, presser, data, false));
    }
    case 11: {
      const args = random() < 0.3 ? "" : pick(random, POSSIBLE_STRINGS).repeat(
        1 + Math.floor(random() * 50),
      );
      const text = `/${pick(random, COMMANDS)}${args ? ` ${args}` : ""}`.slice(0, 4096);
      return JSON.stringify({
        update_id: updateId,
        message: message(userId, {
          text,
          entities: [{ type: "bot_command", offset: 0, length: text.split(" ")[0].length }],
        }),
      });
    }
    case 12:
      return JSON.stringify({ update_id: updateId, message: otherMessage(random, userId) });
    case 13: {
      const body = validShape(updateId, userId, "Bitcoin rose after the halving");
      const msg = body.message as Record<string, unknown>;
      const wrong = pick(random, [
        () => (msg.from as Record<string, unknown>).id = String(userId),
        () => (msg.from as Record<string, unknown>).id = userId + 0.5,
        () => (msg.from as Record<string, unknown>).id = -userId,
        () => (msg.chat as Record<string, unknown>).id = [userId],
        () => (msg.chat as Record<string, unknown>).type = 42,
        () => msg.text = pick(random, [42, ["a"], { text: "x" }, null, true]),
        () => msg.date = "yesterday",
        () => msg.message_id = -1,
        () => msg.entities = "bold",
        () => msg.entities = [{ type: "bot_command", offset: "0", length: null }],
        () => msg.from = null,
        () => msg.from = "Fuzz",
        () => msg.chat = null,
        () => body.message = [msg],
        () => body.message = "Bitcoin rose after the halving",
      ]);
      wrong();
      return JSON.stringify(body);
    }
    case 14: {
      const body = callbackShape(random, updateId, userId, pick(random, CALLBACK_DATA), true);
      for (let m = 0; m < 1 + random() * 3; m++) mutate(random, body);
      body.update_id = updateId;
      return JSON.stringify(body);
    }
    case 15: {
      const kind = pick(random, OTHER_KINDS);
      return JSON.stringify({
        update_id: updateId,
        [kind]: otherKindPayload(random, kind, userId),
      });
    }
    default: {
      const text = pick(random, [...IMPOSSIBLE_STRINGS, "x", "Bitcoin "]).repeat(
        1 + Math.floor(random() * 8000),
      );
      return JSON.stringify(validShape(updateId, userId, text.slice(0, 60_000)));
    }
  }
}

type Item =
  | { kind: "fuzz"; i: number; body: string | Uint8Array<ArrayBuffer> }
  | { kind: "valid"; userId: number; update: Update };

Deno.test({
  name: "bad input: 10 000 fuzzed bodies get 200/400/413 only; valid traffic still served",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const random = seeded(4242);
  const dir = await Deno.makeTempDir({ prefix: "rvx-fuzz-" });
  const kvPath = `${dir}/rvx.kv`;
  await using fake = startFakeBotApi();
  let bot: BotProcess | undefined;
  try {
    bot = await spawnBot({
      fake,
      kvPath,
      env: {
        FLOOD_COOLDOWN_SECONDS: "0",
        MAX_REQUESTS_PER_DAY: "10000",
        API_RATE_LIMIT_REQUESTS: "100000",
        // A failing turn reaches the dead-letter list after one retry instead of five.
        TURN_MAX_ATTEMPTS: "2",
      },
    });
    const running = bot;
    const started = Date.now();
    // The users who press buttons first get the welcome message (message 2 of their chat).
    const presserIds = Array.from({ length: BUTTON_USERS }, (_, n) => FIRST_BUTTON_USER + n);
    await pool(presserIds, CONNECTIONS, async (userId) => {
      const update = fake.commandUpdate({ userId, command: "start" });
      assert.equal(await fake.deliverWebhook(running.hook, update, SECRET), 200);
    });
    await waitIdle(running, 60_000);
    const noWelcome = presserIds.filter((id) =>
      !fake.messages(id).some((m) => m.message_id === 2 && m.from?.is_bot === true)
    );
    assert.deepEqual(noWelcome, [], "every presser got the welcome message");

    const items: Item[] = [];
    const every = Math.floor(BODIES / VALID);
    for (let i = 0; i < BODIES; i++) {
      items.push({ kind: "fuzz", i, body: fuzzBody(random, i) });
      if (i % every === every - 1) {
        const userId = 4_000_000 + items.length;
        const pct = 1 + Math.floor(random() * 30);
        const update = fake.textUpdate({
          userId,
          text: `Tesla shares jumped ${pct}% after earnings, report ${items.length}`,
        });
        items.push({ kind: "valid", userId, update });
      }
    }
    const counts = new Map<number, number>();
    const offenders: string[] = [];
    await pool(items, CONNECTIONS, async (item) => {
      let status = 0;
      try {
        const res = await fetch(running.hook, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-telegram-bot-api-secret-token": SECRET,
          },
          body: item.kind === "fuzz" ? item.body : JSON.stringify(item.update),
          signal: AbortSignal.timeout(30_000),
        });
        await res.body?.cancel();
        status = res.status;
      } catch {
        status = 0;
      }
      if (item.kind === "valid") {
        if (status !== 200) offenders.push(`valid update of ${item.userId} → ${status}`);
        return;
      }
      counts.set(status, (counts.get(status) ?? 0) + 1);
      if (!ALLOWED.has(status) && offenders.length < 5) {
        const text = typeof item.body === "string" ? item.body : `<${item.body.length} raw bytes>`;
        offenders.push(
          `#${item.i} (${CASES[item.i % CASES.length].name}) → ${status}: ${text.slice(0, 160)}`,
        );
      }
    });
    const sentMs = Date.now() - started;
    assert.deepEqual(offenders, [], "only 200, 400 or 413");
    assert.equal(running.exited.code, null, "main.ts is still running");

    const health = await fetch(`${running.base}/health`);
    await health.body?.cancel();
    assert.equal(health.status, 200);

    // Valid traffic still served: one more user after the storm, and every real user's card.
    const userId = 4_242_424;
    const update = fake.textUpdate({ userId, text: "Tesla shares jumped 8% after earnings" });
    assert.equal(await fake.deliverWebhook(running.hook, update, SECRET), 200);
    const figures = await waitIdle(running, 120_000);
    const valid = [
      ...items.flatMap((item) => item.kind === "valid" ? [item.userId] : []),
      userId,
    ];
    const noCard = valid.filter((id) =>
      !fake.messages(id).some((m) => buttonData(m).some((d) => d.startsWith("v:up:")))
    );
    assert.deepEqual(noCard.slice(0, 5), [], `${noCard.length} real users got no card`);
    assert.equal(running.exited.code, null, "main.ts is still running");
    await running.kill();
    bot = undefined;

    // What ended in the dead-letter list, by case.
    const store = await openStore(kvPath);
    let letters;
    try {
      await runMigrations(store);
      letters = await listDeadLetters(store, 20_000);
    } finally {
      store.close();
    }
    const byCase = new Map<string, number>();
    const telegramShaped: string[] = [];
    const examples: string[] = [];
    for (const letter of letters) {
      const i = letter.update_id - 5_000_000;
      const fuzzCase = i >= 0 && i < BODIES ? CASES[i % CASES.length] : undefined;
      const name = fuzzCase?.name ?? `update ${letter.update_id}`;
      if (!byCase.has(name)) {
        examples.push(`${name}: ${letter.error_code} ${letter.update.slice(0, 400)}`);
      }
      byCase.set(name, (byCase.get(name) ?? 0) + 1);
      if (!fuzzCase || fuzzCase.telegram) {
        telegramShaped.push(
          `${name}: ${letter.reason}/${letter.error_code} ${letter.update.slice(0, 300)}`,
        );
      }
    }
    // deno-lint-ignore no-console
    console.log(
      `fuzz: ${BODIES} bodies + ${valid.length} valid updates sent in ${sentMs} ms; statuses ` +
        `${JSON.stringify(Object.fromEntries(counts))}; idle after ${Date.now() - started} ms; ` +
        `dead letters ${letters.length} (stats ${figures.dead_letters}) ` +
        `${JSON.stringify(Object.fromEntries(byCase))}\n${examples.join("\n")}`,
    );
    assert.deepEqual(
      telegramShaped.slice(0, 5),
      [],
      `${telegramShaped.length} updates Telegram could send were dead-lettered`,
    );
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : err}\n${bot ? tail(bot) : ""}`);
  } finally {
    await bot?.kill();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
