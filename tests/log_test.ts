// deno-lint-ignore-file no-console -- One test replaces the console to see what the console sink writes.
import assert from "node:assert/strict";
import { getLogger } from "@logtape/logtape";
import { configureLogging } from "../src/log.ts";

Deno.test("log: JSON lines with secrets redacted by field and by shape", async () => {
  const lines: string[] = [];
  await configureLogging({ level: "debug", format: "json", write: (l) => lines.push(l) });
  const log = getLogger(["rvx", "test"]);
  log.info("Calling {url}", {
    url: "https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/getMe",
    token: "top-secret-token",
    password: "hunter2",
    apiKey: "k",
    user: 42,
  });
  log.warn("Header was Bearer abc.def.ghi and key rvx_0123456789abcdefghij");
  log.error("Restore failed with --key rvx_bk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcde given");
  await configureLogging({ level: "info", format: "json", write: () => {} });
  const text = lines.join("\n");
  for (
    const secret of [
      "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
      "top-secret-token",
      "hunter2",
      "abc.def.ghi",
      "rvx_0123456789abcdefghij",
      "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    ]
  ) {
    assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  }
  const first = JSON.parse(lines[0]);
  assert.equal(first.level, "INFO");
  assert.equal(first.logger, "rvx.test");
  assert.equal(first.user, 42);
});

Deno.test("log: the level filters lower records", async () => {
  const lines: string[] = [];
  await configureLogging({ level: "warning", format: "pretty", write: (l) => lines.push(l) });
  const log = getLogger(["rvx", "test"]);
  log.info("hidden");
  log.error("shown");
  await configureLogging({ level: "info", format: "json", write: () => {} });
  assert.equal(lines.length, 1);
  assert.match(lines[0], /shown/);
});

Deno.test("log: JSON messages show string values as they are, other values as JSON", async () => {
  const lines: string[] = [];
  await configureLogging({ level: "info", format: "json", write: (l) => lines.push(l) });
  getLogger(["rvx", "test"]).info("Listening on {url} with {n} workers, {opts}, token {token}", {
    url: "http://127.0.0.1:8000",
    n: 3,
    opts: { a: 1 },
    token: "top-secret-token",
  });
  await configureLogging({ level: "info", format: "json", write: () => {} });
  const line = JSON.parse(lines[0]);
  assert.equal(
    line.message,
    'Listening on http://127.0.0.1:8000 with 3 workers, {"a":1}, token [REDACTED]',
  );
  assert.equal(line.url, "http://127.0.0.1:8000");
});

Deno.test("log: pretty lines show string values as they are too", async () => {
  const lines: string[] = [];
  await configureLogging({ level: "info", format: "pretty", write: (l) => lines.push(l) });
  getLogger(["rvx", "test"]).info("Listening on {url}", { url: "http://127.0.0.1:8000" });
  await configureLogging({ level: "info", format: "json", write: () => {} });
  assert.match(lines[0], /Listening on http:\/\/127\.0\.0\.1:8000/);
});

Deno.test("log: the console destination writes each line through the console at its level", async () => {
  const seen: string[] = [];
  const original = { info: console.info, warn: console.warn, error: console.error };
  console.info = (text: string) => seen.push(`info ${text}`);
  console.warn = (text: string) => seen.push(`warn ${text}`);
  console.error = (text: string) => seen.push(`error ${text}`);
  try {
    await configureLogging({ level: "info", format: "json", destination: "console" });
    const log = getLogger(["rvx", "test"]);
    log.info("one");
    log.warn("two");
    log.error("three");
  } finally {
    await configureLogging({ level: "info", format: "json", write: () => {} });
    Object.assign(console, original);
  }
  assert.deepEqual(seen.map((s) => s.split(" ")[0]), ["info", "warn", "error"]);
  assert.equal(JSON.parse(seen[1].slice(5)).message, "two");
  assert.ok(seen.every((s) => !s.endsWith("\n")));
});
