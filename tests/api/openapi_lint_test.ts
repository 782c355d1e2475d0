import assert from "node:assert/strict";
import { composeApp } from "../../src/compose.ts";
import { createConfig } from "../../src/config.ts";
import { startFakeBotApi } from "../support/fake_bot_api.ts";
import { requireTool, runTool, toolsDir } from "../support/tools.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

interface LintReport {
  totals: { errors: number; warnings: number; ignored: number };
  version: string;
  problems: {
    ruleId: string;
    severity: string;
    message: string;
    location: { pointer: string }[];
  }[];
}

Deno.test("openapi: redocly lint (recommended rules, redocly.yaml) finds nothing in /openapi.json", async () => {
  const redocly = await requireTool("redocly", {
    candidates: [`${toolsDir()}/node_modules/.bin/redocly`],
    install:
      "`npm install --prefix ~/.cache/rvx-tools @redocly/cli` (the version .ci/install_tools pins)",
  });
  // The whole app in webhook mode, with its pages: every route is in the document.
  await using fake = startFakeBotApi();
  const dir = await Deno.makeTempDir({ prefix: "rvx-openapi-" });
  const app = await composeApp(createConfig({
    BOT_TOKEN: fake.token,
    BOT_API_ROOT: fake.url,
    BOT_MODE: "webhook",
    WEBHOOK_URL: "https://bot.example.test/telegram/webhook",
    WEBHOOK_SECRET: "webhook_secret_for_tests_123",
    KV_PATH: ":memory:",
    ADMIN_API_TOKEN: "admin-token-for-tests-0001",
  }));
  try {
    const res = await app.api.request("/openapi.json");
    assert.equal(res.status, 200);
    const doc = await res.json();
    assert.equal(doc.openapi, "3.1.0");
    for (const path of ["/telegram/webhook", "/dashboard", "/playground", "/api/v1/analyze"]) {
      assert.ok(doc.paths[path], `${path} is in the document`);
    }
    await Deno.writeTextFile(`${dir}/openapi.json`, JSON.stringify(doc, null, 2));
    const run = await runTool(redocly, [
      "lint",
      "--config",
      `${ROOT}redocly.yaml`,
      "--format=json",
      `${dir}/openapi.json`,
    ], { env: { REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" } });
    let report: LintReport;
    try {
      report = JSON.parse(run.stdout);
    } catch {
      throw new Error(`redocly lint printed no report (exit ${run.code}):\n${run.stderr}`);
    }
    const problems = report.problems.map((p) =>
      `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`
    );
    assert.deepEqual(problems, [], `redocly ${report.version} lint:\n${problems.join("\n")}`);
    assert.deepEqual(report.totals, { errors: 0, warnings: 0, ignored: 0 });
    assert.equal(run.code, 0);
  } finally {
    await app.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
