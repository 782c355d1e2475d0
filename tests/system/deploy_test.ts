/**
 * A Deploy-like start: `main.ts` as a child process under Deno 2.5 (from npm) with no write
 * permission, `DENO_DEPLOYMENT_ID` and `ADMIN_API_TOKEN` set and `KV_PATH=:memory:`, against the
 * fake Bot API in webhook mode. Real time: the child is polled until `/health` answers.
 *
 * @module
 */
import assert from "node:assert/strict";
import { callTo } from "../support/app.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";

const ADMIN_TOKEN = "deploy-admin-token-0123456789";
const SECRET = "deploy_webhook_secret_123";
/** The first run downloads Deno 2.5 from npm. */
const START_TIMEOUT_MS = 180_000;

/**
 * The Deno 2.5 binary `npx -y deno@2.5` runs (spawned directly so that killing it ends main.ts,
 * not only the npx wrapper).
 */
async function deno25(): Promise<string> {
  const { success, stdout, stderr } = await new Deno.Command("npx", {
    args: ["-y", "deno@2.5", "eval", "console.log(Deno.execPath(), Deno.version.deno)"],
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(stdout).trim();
  assert.ok(success, `npx -y deno@2.5 failed: ${new TextDecoder().decode(stderr)}`);
  const [path, version] = text.split(" ");
  assert.match(version, /^2\.5\./);
  return path;
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function waitForHealth(
  base: string,
  child: Deno.ChildProcess,
  exited: { code: number | null },
) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited.code !== null) {
      throw new Error(`main.ts exited with code ${exited.code} before /health answered`);
    }
    try {
      const res = await fetch(`${base}/health`);
      await res.body?.cancel();
      return res.status;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  child.kill("SIGKILL");
  throw new Error(`/health did not answer within ${START_TIMEOUT_MS} ms`);
}

async function drain(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) into.push(decoder.decode(chunk, { stream: true }));
}

Deno.test({
  name:
    "deploy: main.ts under Deno 2.5 without write permission serves health, webhook and KV backups",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await using fake = startFakeBotApi();
  const port = freePort();
  const base = `http://127.0.0.1:${port}`;
  const root = new URL("../../", import.meta.url).pathname;
  const child = new Deno.Command(await deno25(), {
    args: ["run", "--allow-net", "--allow-env", "--allow-read", "main.ts"],
    cwd: root,
    env: {
      DENO_DEPLOYMENT_ID: "test",
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      KV_PATH: ":memory:",
      HOST: "127.0.0.1",
      PORT: String(port),
      BOT_MODE: "webhook",
      BOT_TOKEN: fake.token,
      BOT_API_ROOT: fake.url,
      WEBHOOK_URL: "https://x.test/telegram/webhook",
      WEBHOOK_SECRET: SECRET,
      LOG_FORMAT: "json",
      NO_COLOR: "1",
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  const exited: { code: number | null } = { code: null };
  const done = Promise.all([
    drain(child.stdout, output),
    drain(child.stderr, output),
    child.status.then((s) => void (exited.code = s.code)),
  ]);
  try {
    assert.equal(await waitForHealth(base, child, exited), 200);
    const health = await fetch(`${base}/health`);
    assert.equal(health.status, 200);
    assert.equal((await health.json()).success, true);

    // The server answers before the transport has registered commands and set the webhook.
    await fake.waitFor("setWebhook", { includePast: true, timeoutMs: 10_000 });
    assert.ok(fake.webhook, "main.ts set the webhook at start");
    const update = fake.commandUpdate({ userId: 4242, command: "help" });
    assert.equal(await fake.deliverWebhook(`${base}/telegram/webhook`, update, SECRET), 200);
    await fake.waitFor(callTo("sendMessage", 4242), { timeoutMs: 15_000, includePast: true });

    const made = await fetch(`${base}/api/v1/backups`, {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const body = await made.json();
    assert.equal(made.status, 201, JSON.stringify(body));
    assert.equal(body.data.location, "kv");
    const listed = await fetch(`${base}/api/v1/backups`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const list = await listed.json();
    assert.equal(list.data.location, "kv");
    assert.ok(list.data.backups.some((b: { name: string }) => b.name === body.data.name));
  } catch (err) {
    throw new Error(
      `${err instanceof Error ? err.message : err}\n--- main.ts output ---\n${output.join("")}`,
    );
  } finally {
    if (exited.code === null) child.kill("SIGKILL");
    await done;
  }
  const text = output.join("");
  assert.doesNotMatch(text, /PermissionDenied|NotCapable|Requires write access/i, text);
});
