import assert from "node:assert/strict";
import { callTo } from "../support/app.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";

Deno.test("start: main.ts polls Telegram, answers, says where the new backup signing key is, and prints no DeprecationWarning", async () => {
  await using fake = startFakeBotApi();
  const dir = await Deno.makeTempDir({ prefix: "rvx-start-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../../main.ts", import.meta.url).pathname],
    env: {
      BOT_TOKEN: fake.token,
      BOT_API_ROOT: fake.url,
      PORT: "0",
      KV_PATH: `${dir}/rvx.kv`,
      BACKUP_DIR: `${dir}/backups`,
      ADMIN_API_TOKEN: "admin-token-for-tests-0001",
      NO_COLOR: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    fake.pushUpdate(fake.commandUpdate({ userId: 70, command: "help" }));
    await fake.waitFor(callTo("sendMessage", 70), { timeoutMs: 30_000, includePast: true });
  } finally {
    child.kill("SIGTERM");
  }
  const { stderr } = await child.output();
  await Deno.remove(dir, { recursive: true });
  const errors = new TextDecoder().decode(stderr);
  assert.doesNotMatch(errors, /DeprecationWarning|punycode/);
  // A first start creates the backup signing key and says where it is (its id, never the key).
  assert.match(errors, /Backups are signed with key \S+ \(created now\)/);
  assert.match(errors, /deno task apikey backup-key/);
  assert.doesNotMatch(errors, /rvx_bk_[A-Za-z0-9_-]{16,}/);
  // main.ts names the modules it loads in steps after the first answer: they all exist.
  assert.doesNotMatch(errors, /START_STEP_MISSING/);
});
