import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { getMetricsSummary } from "../../src/metrics/bot_metrics.ts";
import { metricName, prometheusText } from "../../src/metrics/prometheus.ts";
import * as counters from "../../src/store/counters.ts";
import { commitTx } from "../../src/store/kv.ts";
import { memoryStore } from "../support/store.ts";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Family {
  type: string;
  help: string | null;
  samples: Sample[];
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)$`);
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\[\\"n])*)"(?:,|$)/;

function parseValue(text: string): number {
  if (text === "+Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  assert.match(text, /^-?\d+(\.\d+)?(e[+-]?\d+)?$/, `value "${text}"`);
  return Number(text);
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = LABEL.exec(rest);
    assert.ok(match, `labels "${text}"`);
    assert.equal(match[1] in labels, false, `label ${match[1]} twice`);
    labels[match[1]] = match[2].replace(/\\(.)/g, (_, c) => c === "n" ? "\n" : c);
    rest = rest.slice(match[0].length);
  }
  return labels;
}

/** The family a sample belongs to (histogram samples carry a suffix). */
function familyOf(name: string, families: Map<string, Family>): string {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && families.get(base)?.type === "histogram") return base;
  }
  return name;
}

/** A small parser of the Prometheus text format 0.0.4; asserts what it requires. */
function parsePrometheus(text: string): Map<string, Family> {
  assert.ok(text.endsWith("\n"), "ends with a newline");
  const families = new Map<string, Family>();
  const closed = new Set<string>();
  let current: string | null = null;
  for (const line of text.slice(0, -1).split("\n")) {
    const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (comment) {
      const [, kind, name, rest] = comment;
      assert.match(name, new RegExp(`^${NAME}$`));
      assert.equal(closed.has(name), false, `${name} declared after its samples`);
      const family = families.get(name) ?? { type: "untyped", help: null, samples: [] };
      if (kind === "TYPE") {
        assert.equal(family.type, "untyped", `TYPE of ${name} twice`);
        assert.match(rest, /^(counter|gauge|histogram|summary|untyped)$/);
        family.type = rest;
      } else {
        assert.equal(family.help, null, `HELP of ${name} twice`);
        family.help = rest;
      }
      families.set(name, family);
      if (current !== null && current !== name) closed.add(current);
      current = name;
      continue;
    }
    assert.equal(line.startsWith("#"), false, `unknown comment "${line}"`);
    const match = SAMPLE.exec(line);
    assert.ok(match, `sample line "${line}"`);
    const family = familyOf(match[1], families);
    assert.ok(families.has(family), `${match[1]} has no TYPE`);
    assert.equal(closed.has(family), false, `samples of ${family} are not together`);
    if (current !== null && current !== family) closed.add(current);
    current = family;
    families.get(family)!.samples.push({
      name: match[1],
      labels: parseLabels(match[2] ?? ""),
      value: parseValue(match[3]),
    });
  }
  for (const [name, family] of families) {
    assert.ok(family.samples.length > 0, `${name} has no samples`);
    if (family.type !== "histogram") continue;
    const buckets = family.samples.filter((s) => s.name === `${name}_bucket`);
    const counts = buckets.map((b) => b.value);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), `${name} buckets cumulative`);
    const bounds = buckets.map((b) => parseValue(b.labels.le));
    assert.deepEqual(bounds, [...bounds].sort((a, b) => a - b), `${name} bounds ascending`);
    assert.equal(buckets.at(-1)?.labels.le, "+Inf", `${name} ends with +Inf`);
    const count = family.samples.find((s) => s.name === `${name}_count`);
    assert.equal(count?.value, buckets.at(-1)?.value, `${name}_count equals the +Inf bucket`);
    assert.ok(family.samples.some((s) => s.name === `${name}_sum`), `${name}_sum`);
  }
  return families;
}

function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}) {
  return families.get(name)?.samples.find((s) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v)
  )?.value;
}

Deno.test("prometheus: the text parses, names are rvx_, histograms are cumulative to +Inf", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const tx = store.tx();
  counters.add(tx, "turns_total", 9);
  counters.add(tx, "dead_letters", 1);
  counters.add(tx, "api_requests_total", 4);
  counters.add(tx, "api_responses_2xx", 3);
  counters.add(tx, "api_responses_4xx", 1);
  counters.add(tx, "cache_hits", 3);
  counters.add(tx, "cache_misses", 1);
  counters.add(tx, "errors_warning", 2);
  counters.add(tx, "users_total", 5);
  counters.add(tx, "users_last_seen_20260101", 2);
  counters.add(tx, "provider_my-llm_requests", 4);
  counters.add(tx, "provider_my-llm_successes", 2);
  for (const ms of [3, 7, 40, 900, 12_000]) counters.observe(tx, "turn_ms", ms);
  counters.observe(tx, "api_request_ms", 2);
  await commitTx(store, tx);
  const summary = await getMetricsSummary(store, {
    clock,
    version: 'v1 "quoted" \\ path\nnext',
    stats: () =>
      Promise.resolve({
        active_users: 1,
        users_in_news: 0,
        users_in_course: 0,
        users_in_quiz: 0,
        pending_feedback: 0,
        resident_actors: 2,
        inbox_depth: 5,
        dead_letters: 1,
      }),
    providerStatus: () => [{
      name: "my-llm",
      state: "closed",
      lastErrorCode: null,
      lastErrorAt: null,
      lastSuccessAt: null,
      retryAfterUntil: null,
    }],
  });
  const text = prometheusText(await counters.getAll(store), summary);
  const families = parsePrometheus(text);
  for (const name of families.keys()) assert.match(name, /^rvx_/);

  assert.equal(value(families, "rvx_build_info")!, 1);
  assert.equal(
    families.get("rvx_build_info")!.samples[0].labels.version,
    'v1 "quoted" \\ path\nnext',
  );
  assert.equal(value(families, "rvx_requests_total", { source: "turn", outcome: "success" }), 9);
  assert.equal(value(families, "rvx_requests_total", { source: "turn", outcome: "failure" }), 1);
  assert.equal(value(families, "rvx_requests_total", { source: "api", outcome: "failure" }), 1);
  assert.equal(value(families, "rvx_request_success_ratio"), 0.8571);
  assert.equal(value(families, "rvx_users_active", { window: "today" }), 2);
  assert.equal(value(families, "rvx_response_time_ms", { stat: "avg" }), 2590);
  assert.equal(value(families, "rvx_response_time_ms", { stat: "p50" }), 37.5);
  assert.equal(value(families, "rvx_cache_hit_ratio"), 0.75);
  assert.equal(value(families, "rvx_errors_total", { level: "warning" }), 2);
  assert.equal(value(families, "rvx_provider_success_ratio", { provider: "my-llm" }), 0.5);
  assert.equal(value(families, "rvx_provider_breaker_open", { provider: "my-llm" }), 0);
  assert.equal(value(families, metricName("provider_my-llm_requests")), 4);
  assert.equal(value(families, "rvx_inbox_depth"), 5);
  assert.equal(value(families, "rvx_resident_actors"), 2);
  assert.equal(families.get("rvx_users_total")?.type, "gauge");
  assert.equal(families.get("rvx_cache_hits")?.type, "counter");
  assert.equal(families.has("rvx_users_last_seen_20260101"), false, "no per-day series");

  const turn = families.get("rvx_turn_ms")!;
  assert.equal(turn.type, "histogram");
  assert.equal(value(families, "rvx_turn_ms", { le: "5" }), 1);
  assert.equal(value(families, "rvx_turn_ms", { le: "10000" }), 4);
  assert.equal(value(families, "rvx_turn_ms", { le: "+Inf" }), 5);
  assert.equal(turn.samples.find((s) => s.name === "rvx_turn_ms_sum")?.value, 12_950);
  assert.equal(families.get("rvx_api_request_ms")?.type, "histogram");
});

Deno.test("prometheus: with no traffic the text still parses", async () => {
  using store = await memoryStore();
  const summary = await getMetricsSummary(store, { clock: new FakeClock(0), version: "test" });
  const families = parsePrometheus(prometheusText(await counters.getAll(store), summary));
  assert.equal(value(families, "rvx_requests_total", { source: "turn", outcome: "success" }), 0);
  assert.equal(families.has("rvx_request_success_ratio"), false, "no ratio without requests");
  assert.equal(families.has("rvx_resident_actors"), false, "not known without a supervisor");
});
