import assert from "node:assert/strict";
import { reset } from "@logtape/logtape";
import { configureLogging } from "../../src/log.ts";
import { apiHarness, bearer, json } from "./support.ts";

Deno.test("access log: one structured line per request, without secrets, queries or bodies", async () => {
  const lines: string[] = [];
  await configureLogging({ level: "debug", format: "json", write: (l) => lines.push(l) });
  try {
    await using api = await apiHarness();
    const { key } = await api.createKey();
    const secretText = "Confidential draft about a token listing next Monday";
    await (await api.app.request(
      "/api/v1/analyze?token=query-secret-123",
      json({ text: secretText }, { headers: bearer(key, { "X-Request-Id": "log-1" }) }),
    )).body?.cancel();
    const access = lines.map((l) => JSON.parse(l)).filter((r) => r.logger === "rvx.api.access");
    const line = access.find((r) => r.requestId === "log-1");
    assert.ok(line, "no access line for the request");
    assert.equal(line.method, "POST");
    assert.equal(line.path, "/api/v1/analyze");
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, "number");
    const text = lines.join("\n");
    for (const secret of [key, "query-secret-123", secretText, "Bearer"]) {
      assert.ok(!text.includes(secret), `${secret} reached the log`);
    }
  } finally {
    await reset();
  }
});
