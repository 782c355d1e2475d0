/**
 * Bad input (issue 10): ~2 000 seeded fuzzed webhook bodies with the right secret (non-JSON,
 * invalid UTF-8, wrong types, missing fields, huge or odd Unicode, unknown update kinds, mutated
 * Telegram-shaped updates, oversized bodies) against `main.ts` as a child process → only 200, 400
 * or 413, never a 500 or a crash; afterwards a valid update still gets its reply.
 *
 * @module
 */
import assert from "node:assert/strict";
import { callTo } from "../support/app.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { type BotProcess, pool, SECRET, seeded, spawnBot, tail } from "./support.ts";

const BODIES = 2000;
const CONNECTIONS = 20;
const ALLOWED = new Set([200, 400, 413]);

const ODD_STRINGS = [
  "",
  " ",
  "\u0000",
  "\u200b\u200c\u200d\u2060\ufeff",
  "\u202e\u202d RTL override",
  "\ud800",
  "\udfff lone low",
  "👨‍👩‍👧‍👦🏳️‍🌈🧑🏽‍🚀",
  "Z̷̢̛͈͎̗̰̓̈́̑a̸̧̘̺͂l̵̢̛̺̈g̴̢̛o̶",
  "مرحبا بالعالم",
  "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
  "/start",
  "/start " + "x".repeat(500),
  "/",
  "\n\n\n",
  "null",
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

function validShape(updateId: number, userId: number, text: string): Record<string, unknown> {
  return {
    update_id: updateId,
    message: {
      message_id: 1,
      date: 1_700_000_000,
      from: { id: userId, is_bot: false, first_name: "Fuzz", language_code: "en" },
      chat: { id: userId, type: "private", first_name: "Fuzz" },
      text,
    },
  };
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

/** One fuzzed body (string or raw bytes). */
function fuzzBody(random: () => number, i: number): string | Uint8Array<ArrayBuffer> {
  const updateId = 5_000_000 + i;
  const userId = 900_000 + (i % 200);
  switch (i % 10) {
    case 0: // Not JSON at all.
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
    case 1: // Invalid UTF-8.
      return new Uint8Array([
        0x7b,
        0xff,
        0xfe,
        0xc3,
        0x28,
        0x7d,
        ...Array(Math.floor(random() * 50)).fill(0x80),
      ]);
    case 2: // JSON, but not an update object.
      return JSON.stringify(randomValue(random));
    case 3: // Wrong update_id types.
      return JSON.stringify({
        ...validShape(0, userId, "Oil prices rose after the OPEC meeting"),
        update_id: pick(random, ["1", null, -5, 1.5, 2 ** 60, [], {}, true, "💥"]),
      });
    case 4: // Unknown update kinds.
      return JSON.stringify({
        update_id: updateId,
        [pick(random, ["foo", "business_message", "purchased_paid_media", "x".repeat(300), ""])]:
          randomValue(random),
      });
    case 5: // Missing fields.
      return JSON.stringify(
        pick(random, [
          { update_id: updateId },
          { message: { text: "hi" } },
          { update_id: updateId, message: {} },
          { update_id: updateId, message: { text: "Bitcoin hits new high today" } },
          { update_id: updateId, callback_query: { id: "1" } },
          { update_id: updateId, message: { chat: { id: userId }, text: "hello there all" } },
        ]),
      );
    case 6: { // Huge or odd Unicode text in a well-formed update.
      const text = pick(random, ODD_STRINGS).repeat(1 + Math.floor(random() * 3000));
      return JSON.stringify(validShape(updateId, userId, text.slice(0, 60_000)));
    }
    case 7: { // Mutated Telegram-shaped update.
      const body = validShape(updateId, userId, "Gold prices fell on strong dollar news");
      for (let m = 0; m < 1 + random() * 3; m++) mutate(random, body);
      return JSON.stringify(body);
    }
    case 8: // Oversized body.
      return random() < 0.5
        ? JSON.stringify(validShape(updateId, userId, "a".repeat(110_000)))
        : JSON.stringify({ update_id: updateId, pad: "é".repeat(60_000) });
    default: // Deep nesting and big arrays.
      return random() < 0.5 ? "[".repeat(2000) + "]".repeat(2000) : JSON.stringify({
        update_id: updateId,
        message: {
          ...validShape(updateId, userId, "x").message as object,
          entities: Array(3000).fill({ type: "bold", offset: -1, length: 1e9 }),
        },
      });
  }
}

Deno.test({
  name: "bad input: fuzzed webhook bodies get 200/400/413 only; valid traffic still served",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const random = seeded(4242);
  const dir = await Deno.makeTempDir({ prefix: "rvx-fuzz-" });
  await using fake = startFakeBotApi();
  let bot: BotProcess | undefined;
  try {
    bot = await spawnBot({
      fake,
      kvPath: `${dir}/rvx.kv`,
      env: { FLOOD_COOLDOWN_SECONDS: "0", MAX_REQUESTS_PER_DAY: "100000" },
    });
    const running = bot;
    const bodies = Array.from({ length: BODIES }, (_, i) => fuzzBody(random, i));
    const counts = new Map<number, number>();
    const offenders: string[] = [];
    await pool(bodies, CONNECTIONS, async (body, i) => {
      let status = 0;
      try {
        const res = await fetch(running.hook, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-telegram-bot-api-secret-token": SECRET,
          },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        await res.body?.cancel();
        status = res.status;
      } catch {
        status = 0;
      }
      counts.set(status, (counts.get(status) ?? 0) + 1);
      if (!ALLOWED.has(status) && offenders.length < 5) {
        const text = typeof body === "string" ? body : `<${body.length} raw bytes>`;
        offenders.push(`#${i} (${i % 10}) → ${status}: ${text.slice(0, 120)}`);
      }
    });
    // deno-lint-ignore no-console
    console.log(`fuzz statuses: ${JSON.stringify(Object.fromEntries(counts))}`);
    assert.deepEqual(offenders, [], "only 200, 400 or 413");
    assert.equal(running.exited.code, null, "main.ts is still running");

    const health = await fetch(`${running.base}/health`);
    await health.body?.cancel();
    assert.equal(health.status, 200);

    const userId = 4_242_424;
    const update = fake.textUpdate({ userId, text: "Tesla shares jumped 8% after earnings" });
    assert.equal(await fake.deliverWebhook(running.hook, update, SECRET), 200);
    await fake.waitFor(callTo("sendMessage", userId), { timeoutMs: 30_000, includePast: true });
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : err}\n${bot ? tail(bot) : ""}`);
  } finally {
    await bot?.kill();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
