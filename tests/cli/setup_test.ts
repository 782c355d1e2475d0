import assert from "node:assert/strict";
import { Api } from "grammy";
import { runSetup } from "../../src/cli/setup.ts";
import { createConfig } from "../../src/config.ts";
import { backupKeyNotice, readBackupKey } from "../../src/store/backup_signing.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { memoryStore } from "../support/store.ts";
import { metaKeys } from "../../src/store/keys.ts";
import { SCHEMA_VERSION } from "../../src/store/migrations.ts";

const SECRET = "setup-test-secret_0123456789";

function collector() {
  const out: string[] = [];
  return { out, io: { out: (l: string) => out.push(l), err: (l: string) => out.push(l) } };
}

function webhookEnv(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BOT_TOKEN: token,
    BOT_MODE: "webhook",
    WEBHOOK_URL: "https://rvx.example.net/telegram/webhook",
    WEBHOOK_SECRET: SECRET,
    KV_PATH: ":memory:",
    ...extra,
  };
}

Deno.test("setup: sets the webhook with its secret, update types and connections, registers ru and en commands, caches getMe", async () => {
  await using fake = startFakeBotApi();
  using store = await memoryStore();
  const config = createConfig(webhookEnv(fake.token));
  const { out, io } = collector();
  const api = new Api(fake.token, { apiRoot: fake.url });

  assert.equal(await runSetup({ config, store, io, api }), 0);

  const [webhook] = fake.calls("setWebhook");
  assert.equal(webhook.params.url, "https://rvx.example.net/telegram/webhook");
  assert.equal(webhook.params.secret_token, SECRET);
  assert.equal(webhook.params.max_connections, 40);
  assert.ok(Array.isArray(webhook.params.allowed_updates));
  assert.ok((webhook.params.allowed_updates as string[]).includes("callback_query"));
  const languages = fake.calls("setMyCommands").map((c) => c.params.language_code ?? "default");
  assert.deepEqual(languages.sort(), ["default", "en", "ru"]);
  assert.equal(fake.calls("getMe").length, 1);
  assert.match(out.join("\n"), /Webhook set to https:\/\/rvx\.example\.net\/telegram\/webhook/);
  assert.ok(!out.join("\n").includes(SECRET), "the secret was printed");
  const key = await readBackupKey(store);
  assert.ok(key, "setup creates the backup signing key");
  assert.ok(
    out.includes(backupKeyNotice({ id: key.id, generated: true }, ":memory:")),
    "setup says where the backup signing key is",
  );
  assert.ok(!out.join("\n").includes(key.secret), "the signing key was printed");

  // getMe is cached in KV: a second run does not ask again.
  assert.equal(await runSetup({ config, store, io, api }), 0);
  assert.equal(fake.calls("getMe").length, 1);
});

Deno.test("setup: on Deno Deploy the production timeline applies, with Telegram's most connections", async () => {
  await using fake = startFakeBotApi();
  using store = await memoryStore();
  const config = createConfig(
    webhookEnv(fake.token, { DENO_DEPLOY: "true", DENO_TIMELINE: "production" }),
  );
  const { io } = collector();
  assert.equal(
    await runSetup({ config, store, io, api: new Api(fake.token, { apiRoot: fake.url }) }),
    0,
  );
  assert.equal(fake.calls("setWebhook")[0].params.max_connections, 100);
});

Deno.test("setup: a preview or branch timeline on Deno Deploy validates and leaves Telegram alone", async () => {
  await using fake = startFakeBotApi();
  using store = await memoryStore();
  for (const timeline of ["preview/abc123", "git-branch/feature-x"]) {
    const config = createConfig(
      webhookEnv(fake.token, { DENO_DEPLOY: "true", DENO_TIMELINE: timeline }),
    );
    const { out, io } = collector();
    const api = new Api(fake.token, { apiRoot: fake.url });
    assert.equal(await runSetup({ config, store, io, api }), 0);
    assert.match(out.join("\n"), new RegExp(`Timeline ${timeline}: Telegram is left untouched`));
  }
  assert.deepEqual(fake.calls(), []);
});

Deno.test("setup: settings that cannot work on Deno Deploy fail the task before it touches anything", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rvx-setup-" });
  try {
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["task", "setup"],
      env: {
        DENO_DEPLOY: "true",
        DENO_TIMELINE: "production",
        BOT_TOKEN: "123456789:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        BOT_MODE: "polling",
        KV_PATH: `${dir}/rvx.kv`,
        BACKUP_DIR: `${dir}/backups`,
        BOT_API_ROOT: "http://127.0.0.1:9",
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stderr);
    assert.equal(code, 2, text);
    assert.match(text, /BOT_MODE polling cannot work on Deno Deploy/);
    assert.match(text, /KV_PATH names a local database/);
    assert.match(text, /BACKUP_DIR cannot be used on Deno Deploy/);
    const left = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(left, [], "the task opened KV or wrote backups before refusing");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("setup: brings a KV's schema up to date before anything else", async () => {
  const dir = await Deno.makeTempDir({ prefix: "rvx-setup-" });
  try {
    const { code, stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["task", "setup"],
      env: { KV_PATH: `${dir}/rvx.kv`, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(code, 0);
    assert.match(new TextDecoder().decode(stdout), /schema up to date/);
    const kv = await Deno.openKv(`${dir}/rvx.kv`);
    try {
      assert.equal((await kv.get(metaKeys.schemaVersion)).value, SCHEMA_VERSION);
    } finally {
      kv.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
