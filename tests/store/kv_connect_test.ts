/**
 * KV Connect (`KV_PATH=http(s)://…`): no KV Connect server can be installed on these machines, so
 * these tests stand a plain HTTP server on 127.0.0.1 where the server would be and prove what
 * reaches it: the URL as given, the access token from `DENO_KV_ACCESS_TOKEN`, one connection, no
 * directory made from the URL, and a clear error that names the URL without its credentials.
 */
import assert from "node:assert/strict";
import { AppError } from "../../src/core/errors.ts";
import { describeKvPath, kvLocation } from "../../src/core/kv_location.ts";
import { openStore } from "../../src/store/kv.ts";

const TOKEN = "kv-connect-test-token-0123456789";

interface SeenRequest {
  method: string;
  path: string;
  authorization: string | null;
}

/** A stand-in for a KV Connect server that records each request and refuses it. */
function refusingServer(): { url: string; seen: SeenRequest[]; close: () => Promise<void> } {
  const seen: SeenRequest[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    seen.push({
      method: req.method,
      path: url.pathname,
      authorization: req.headers.get("authorization"),
    });
    return new Response("not a KV Connect server", { status: 503 });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    seen,
    close: () => server.shutdown(),
  };
}

async function withAccessToken<T>(fn: () => Promise<T>): Promise<T> {
  const before = Deno.env.get("DENO_KV_ACCESS_TOKEN");
  Deno.env.set("DENO_KV_ACCESS_TOKEN", TOKEN);
  try {
    return await fn();
  } finally {
    if (before === undefined) Deno.env.delete("DENO_KV_ACCESS_TOKEN");
    else Deno.env.set("DENO_KV_ACCESS_TOKEN", before);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("kv connect: a KV_PATH names managed, memory, remote or file KV", () => {
  assert.equal(kvLocation(undefined), "managed");
  assert.equal(kvLocation(":memory:"), "memory");
  assert.equal(kvLocation("https://api.deno.com/databases/abc/connect"), "remote");
  assert.equal(kvLocation("HTTP://127.0.0.1:4512"), "remote");
  assert.equal(kvLocation("./data/rvx.kv"), "file");
  assert.equal(
    describeKvPath("https://user:secret@kv.example.net/db?access_token=abc"),
    "https://kv.example.net/db",
  );
  assert.equal(describeKvPath("./data/rvx.kv"), "./data/rvx.kv");
});

Deno.test("kv connect: the URL reaches Deno.openKv unchanged, with the access token, and makes no directory", async () => {
  const server = refusingServer();
  try {
    const err = await withAccessToken(() =>
      openStore(`${server.url}/databases/rvx/connect`).then(
        () => assert.fail("a refusing server must not open"),
        (e) => e,
      )
    );
    assert.ok(err instanceof AppError);
    assert.equal(err.code, "KV_UNREACHABLE");
    assert.ok(server.seen.length >= 1, "the KV Connect server was never asked");
    assert.equal(server.seen[0].path, "/databases/rvx/connect");
    assert.equal(server.seen[0].authorization, `Bearer ${TOKEN}`);
    assert.ok(!(await exists("http:")), "a directory was made from the URL");
  } finally {
    await server.close();
  }
});

Deno.test("kv connect: an unreachable URL fails with KV_UNREACHABLE naming the URL without credentials", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const err = await withAccessToken(() =>
    openStore(`http://admin:hunter2@127.0.0.1:${port}/db`).then(
      () => assert.fail("nothing listens there"),
      (e) => e,
    )
  );
  assert.ok(err instanceof AppError);
  assert.equal(err.code, "KV_UNREACHABLE");
  assert.match(err.message, new RegExp(`http://127\\.0\\.0\\.1:${port}/db`));
  const shown = `${err.message} ${JSON.stringify(err.details)}`;
  assert.ok(!shown.includes("hunter2") && !shown.includes(TOKEN), shown);
});

Deno.test("kv connect: the CLI tasks may reach a KV Connect URL and say plainly when it fails", async () => {
  const server = refusingServer();
  try {
    const { code, stderr, stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["task", "backups"],
      env: {
        KV_PATH: `${server.url}/db`,
        DENO_KV_ACCESS_TOKEN: TOKEN,
        NO_COLOR: "1",
        CRON_ENABLED: "false",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(stderr) + new TextDecoder().decode(stdout);
    assert.notEqual(code, 0);
    assert.ok(server.seen.length >= 1, `the task never reached the server: ${text}`);
    assert.equal(code, 1);
    assert.match(text, new RegExp(`^Could not open the KV at ${server.url}/db: `, "m"));
    assert.ok(!/NotCapable|Uncaught|\n\s+at /.test(text), `not a plain message: ${text}`);
    assert.ok(!text.includes(TOKEN), "the access token was printed");
  } finally {
    await server.close();
  }
});
