/**
 * Upgrades with real processes (docs/OPERATIONS.md, "Upgrading"; docs/DEPLOY.md, "Upgrading"):
 *
 * - a running `main.ts` whose KV a newer version migrates (here: the schema record rewritten from
 *   this test, as that migration's first step does) stops taking updates: webhook and `/health`
 *   answer 503 `SCHEMA_CHANGED`, it says why once at critical level, and the same code started
 *   again on that KV refuses to start;
 * - a Deno Deploy instance whose KV is behind its code migrates nothing, answers 503
 *   `SCHEMA_BEHIND`, and once `deno task setup` (another process) migrated the KV it serves the
 *   redelivered update without a restart.
 *
 * @module
 */
import assert from "node:assert/strict";
import { callTo } from "../support/app.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { dataKey, metaKeys } from "../../src/store/keys.ts";
import { openStore } from "../../src/store/kv.ts";
import { SCHEMA_VERSION } from "../../src/store/migrations.ts";
import * as profiles from "../../src/store/profiles.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";
import { tempKvPath } from "../support/store.ts";
import { type BotProcess, ROOT, SECRET, spawnBot, tail } from "./support.ts";

/** The JSON log lines a bot printed with `code`. */
function logged(bot: BotProcess, code: string): Record<string, unknown>[] {
  return bot.output.join("").split("\n").filter((line) => line.includes(`"${code}"`))
    .map((line) => JSON.parse(line)).filter((line) => line.code === code);
}

async function deliver(
  bot: BotProcess,
  update: unknown,
): Promise<{ status: number; code: string }> {
  const res = await fetch(bot.hook, {
    method: "POST",
    headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
    body: JSON.stringify(update),
  });
  const body = await res.json();
  return { status: res.status, code: body.error_code };
}

Deno.test({
  name:
    "upgrade: a running process whose KV a newer version migrated takes no more updates, says why once, and cannot start again on it",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await using fake = startFakeBotApi();
  await using kv = await tempKvPath();
  const bot = await spawnBot({ fake, kvPath: kv.path });
  try {
    const first = fake.commandUpdate({ userId: 501, command: "help" });
    assert.equal((await deliver(bot, first)).status, 200);
    await fake.waitFor(callTo("sendMessage", 501), { timeoutMs: 15_000, includePast: true });

    const newer = await openStore(kv.path);
    const record = await newer.kv.get<number>(metaKeys.schemaVersion);
    await newer.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION + 1);

    const refused = await deliver(bot, fake.commandUpdate({ userId: 502, command: "help" }));
    assert.deepEqual(refused, { status: 503, code: "SCHEMA_CHANGED" });
    const health = await fetch(`${bot.base}/health`);
    assert.equal(health.status, 503);
    assert.equal((await health.json()).error_code, "SCHEMA_CHANGED");
    assert.equal((await deliver(bot, first)).status, 503, "redeliveries too");
    let queued = 0;
    for await (const _ of newer.kv.list({ prefix: ["inbox", "u:502"] })) queued++;
    assert.equal(queued, 0, "the refused update was not queued");
    assert.equal(record.value, SCHEMA_VERSION);
    newer.close();

    const stops = logged(bot, "SCHEMA_CHANGED").filter((l) => l.level === "FATAL");
    assert.equal(stops.length, 1, tail(bot));
    assert.match(String(stops[0].message), /deploy the new version/);
    assert.equal(fake.calls("sendMessage").filter(callTo("sendMessage", 502)).length, 0);
  } finally {
    await bot.kill();
  }
  await assert.rejects(
    spawnBot({ fake, kvPath: kv.path, startTimeoutMs: 30_000 }),
    /SCHEMA_TOO_NEW|newer than this code/,
  );
});

Deno.test({
  name:
    "upgrade: a Deploy instance on a KV behind its code answers 503 SCHEMA_BEHIND, then serves once `deno task setup` migrated it, without a restart",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await using fake = startFakeBotApi();
  await using kv = await tempKvPath();
  const before = await openStore(kv.path);
  await runMigrations(before);
  await before.kv.set(
    dataKey(1, "profile", 601),
    profiles.newProfile({ id: 601, language: "en" }, 0),
  );
  await before.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION - 1);
  before.close();
  const deployEnv = { DENO_DEPLOYMENT_ID: "test", DEPLOY_ALLOW_FILE_KV: "true", LOG_LEVEL: "info" };
  // This Deno, not Deploy's 2.5: a KV file written by one cannot always be read by the other
  // (values are serialized by V8). tests/system/deploy_test.ts runs the first phase under 2.5.
  const bot = await spawnBot({ fake, kvPath: kv.path, env: deployEnv, noWait: true });
  try {
    const update = fake.commandUpdate({ userId: 601, command: "help" });
    let answer: { status: number; code: string } | null = null;
    for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
      answer = await deliver(bot, update).catch(() => null);
      if (answer) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.deepEqual(answer, { status: 503, code: "SCHEMA_BEHIND" }, tail(bot));
    const behind = logged(bot, "SCHEMA_BEHIND");
    assert.equal(behind.length, 1, tail(bot));
    assert.match(String(behind[0].message), /deno task setup/);

    // The pre-deploy step, as Deploy runs it (another process; not the production timeline,
    // so Telegram is left alone).
    const setup = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "src/cli/setup.ts"],
      cwd: ROOT,
      env: {
        ...deployEnv,
        KV_PATH: kv.path,
        BOT_MODE: "webhook",
        BOT_TOKEN: fake.token,
        BOT_API_ROOT: fake.url,
        WEBHOOK_URL: "https://x.test/telegram/webhook",
        WEBHOOK_SECRET: SECRET,
        NO_COLOR: "1",
      },
      stdin: "null",
    }).output();
    const said = new TextDecoder().decode(setup.stdout) + new TextDecoder().decode(setup.stderr);
    assert.equal(setup.code, 0, said);
    assert.match(said, new RegExp(`Migrated the KV to schema ${SCHEMA_VERSION}, after backup`));

    // Telegram redelivers; the instance re-reads the schema within seconds.
    let status = 503;
    for (const deadline = Date.now() + 20_000; status !== 200 && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await deliver(bot, update)).status;
    }
    assert.equal(status, 200, tail(bot));
    await fake.waitFor(callTo("sendMessage", 601), { timeoutMs: 15_000, includePast: true });
    assert.equal(logged(bot, "SCHEMA_CURRENT").length, 1, tail(bot));
    assert.equal((await fetch(`${bot.base}/health`)).status, 200);
  } finally {
    await bot.kill();
  }
});
