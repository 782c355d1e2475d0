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
  await configureLogging({ level: "info", format: "json", write: () => {} });
  const text = lines.join("\n");
  for (
    const secret of [
      "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
      "top-secret-token",
      "hunter2",
      "abc.def.ghi",
      "rvx_0123456789abcdefghij",
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
