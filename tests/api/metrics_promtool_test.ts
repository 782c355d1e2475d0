import assert from "node:assert/strict";
import * as counters from "../../src/store/counters.ts";
import { commitTx } from "../../src/store/kv.ts";
import { FakeLlmServer } from "../support/fake_llm_server.ts";
import { requireTool, runTool } from "../support/tools.ts";
import { apiHarness, bearer, json } from "./support.ts";

const NEWS =
  "SEC approves spot Ethereum ETFs; ETH jumps 6% in an hour as traders price in inflows.";

const ROOT = new URL("../../", import.meta.url).pathname;

function findPromtool(): Promise<string> {
  return requireTool("promtool", { install: "`apt-get install prometheus`" });
}

/** `/metrics` of an API that answered analyses (one provider failing), bad requests and a turn. */
async function metricsAfterTraffic(): Promise<string> {
  await using failing = await FakeLlmServer.start({ type: "status", status: 500 });
  await using working = await FakeLlmServer.start();
  await using api = await apiHarness({
    providers: [failing.provider("primary"), working.provider("fallback-2")],
  });
  const { key } = await api.createKey();
  for (const text of [NEWS, `${NEWS} Again.`]) {
    const res = await api.app.request("/api/v1/analyze", json({ text }, { headers: bearer(key) }));
    assert.equal(res.status, 200);
    await res.body?.cancel();
  }
  const statuses = [
    await api.app.request("/api/v1/analyze", json({ text: "short" }, { headers: bearer(key) })),
    await api.app.request("/api/v1/stats"),
    await api.app.request("/no/such/route"),
  ];
  for (const res of statuses) await res.body?.cancel();
  // A turn as the supervisor records it (the API harness runs no supervisor).
  const tx = api.store.tx();
  counters.add(tx, "turns_total");
  counters.observe(tx, "turn_ms", 42);
  await commitTx(api.store, tx);
  await api.metrics.flush();

  return await (await api.admin("/metrics")).text();
}

Deno.test("metrics: promtool check metrics finds no problem in /metrics after real traffic", async () => {
  const promtool = await findPromtool();
  const text = await metricsAfterTraffic();
  // The traffic shows, so promtool checks histograms and labels, not an empty page.
  assert.match(text, /^rvx_provider_errors_total\{provider="primary"\} 2$/m);
  assert.match(text, /^rvx_provider_successes_total\{provider="fallback-2"\} 2$/m);
  assert.match(text, /^rvx_provider_request_duration_seconds_bucket\{provider="primary",le=/m);
  assert.match(text, /^rvx_api_responses_total\{code="4xx"\} [1-9]/m);
  assert.match(text, /^rvx_api_request_duration_seconds_count [1-9]/m);
  assert.match(text, /^rvx_turn_duration_seconds_bucket\{le="0.05"\} 1$/m);

  const run = await runTool(promtool, ["check", "metrics"], { stdin: text });
  assert.equal(
    `${run.stdout}${run.stderr}`.trim(),
    "",
    `promtool check metrics reported problems:\n${run.stdout}${run.stderr}`,
  );
  assert.equal(run.code, 0);
});

Deno.test("metrics: the PromQL in docs/OPERATIONS.md parses and names only exported metrics", async () => {
  const promtool = await findPromtool();
  const doc = await Deno.readTextFile(`${ROOT}docs/OPERATIONS.md`);
  const queries = [...doc.matchAll(/```promql\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1].split("\n"))
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  assert.ok(queries.length >= 10, `queries found: ${queries.length}`);

  const families = new Set(
    [...(await metricsAfterTraffic()).matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap((
      [, name, type],
    ) => type === "histogram" ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name]),
  );
  for (const query of queries) {
    for (const [name] of query.matchAll(/\brvx_[a-z0-9_]+/g)) {
      assert.ok(families.has(name), `${name} (in "${query}") is not exported by /metrics`);
    }
  }

  const dir = await Deno.makeTempDir({ prefix: "rvx-promql-" });
  try {
    const rules = queries.map((expr, i) =>
      `      - record: rvx:doc_query_${i}\n        expr: ${JSON.stringify(expr)}`
    );
    await Deno.writeTextFile(
      `${dir}/rules.yaml`,
      `groups:\n  - name: operations_doc\n    rules:\n${rules.join("\n")}\n`,
    );
    const run = await runTool(promtool, ["check", "rules", `${dir}/rules.yaml`]);
    assert.equal(run.code, 0, `promtool check rules:\n${run.stdout}${run.stderr}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
