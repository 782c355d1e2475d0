import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { getMetricsSummary } from "../../src/metrics/bot_metrics.ts";
import { prometheusText } from "../../src/metrics/prometheus.ts";
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
    // One histogram per label set (e.g. per provider).
    const sets = new Map<string, Sample[]>();
    for (const s of family.samples) {
      const { le: _le, ...rest } = s.labels;
      const key = JSON.stringify(rest);
      sets.set(key, [...(sets.get(key) ?? []), s]);
    }
    for (const [set, samples] of sets) {
      const buckets = samples.filter((s) => s.name === `${name}_bucket`);
      const counts = buckets.map((b) => b.value);
      assert.deepEqual(counts, [...counts].sort((a, b) => a - b), `${name}${set} cumulative`);
      const bounds = buckets.map((b) => parseValue(b.labels.le));
      assert.deepEqual(bounds, [...bounds].sort((a, b) => a - b), `${name}${set} ascending`);
      assert.equal(buckets.at(-1)?.labels.le, "+Inf", `${name}${set} ends with +Inf`);
      const count = samples.find((s) => s.name === `${name}_count`);
      assert.equal(count?.value, buckets.at(-1)?.value, `${name}${set} count = +Inf bucket`);
      assert.ok(samples.some((s) => s.name === `${name}_sum`), `${name}${set} has _sum`);
    }
  }
  return families;
}

function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}) {
  return families.get(name)?.samples.find((s) =>
    Object.entries(labels).every(([k, v]) => s.labels[k] === v)
  )?.value;
}

Deno.test("prometheus: names follow Prometheus' conventions, durations are histograms in seconds", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(Date.UTC(2026, 0, 1, 12));
  const tx = store.tx();
  counters.add(tx, "turns_total", 9);
  counters.add(tx, "turns_failed", 1);
  counters.add(tx, "dead_letters", 1);
  counters.add(tx, "api_requests_total", 4);
  counters.add(tx, "api_responses_2xx", 3);
  counters.add(tx, "api_responses_4xx", 1);
  counters.add(tx, "cache_hits", 3);
  counters.add(tx, "cache_misses", 1);
  counters.add(tx, "errors_warning", 2);
  counters.add(tx, "errors_db", 1);
  counters.add(tx, "feedback_up", 2);
  counters.add(tx, "users_total", 5);
  counters.add(tx, "local_users_total", 1);
  counters.add(tx, "sessions_active", 3);
  counters.add(tx, "lessons_opened", 6);
  counters.add(tx, "users_last_seen_20260101", 2);
  counters.add(tx, "provider_my-llm_requests", 4);
  counters.add(tx, "provider_my-llm_successes", 2);
  counters.add(tx, "provider_other_requests", 1);
  for (const ms of [3, 7, 40, 900, 12_000]) counters.observe(tx, "turn_ms", ms);
  counters.observe(tx, "api_request_ms", 2);
  counters.observe(tx, "provider_my-llm_latency", 700);
  counters.observe(tx, "provider_other_latency", 30);
  await commitTx(store, tx);
  const summary = await getMetricsSummary(store, {
    clock,
    version: 'v1 "quoted" \\ path\nnext',
    startedAt: clock.now() - 60_000,
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
      state: "open",
      lastErrorCode: null,
      lastErrorAt: null,
      lastSuccessAt: null,
      retryAfterUntil: null,
    }],
  });
  const text = prometheusText(await counters.getAll(store), summary);
  const families = parsePrometheus(text);
  for (const [name, family] of families) {
    assert.match(name, /^rvx_[a-z0-9_]+$/);
    assert.doesNotMatch(name, /_(ms|us)(_|$)/, `${name}: base units`);
    assert.equal(name.endsWith("_total"), family.type === "counter", `${name}: _total iff counter`);
    assert.ok(family.help && family.help.length > 5, `${name} has a help text`);
  }

  assert.equal(value(families, "rvx_build_info")!, 1);
  assert.equal(
    families.get("rvx_build_info")!.samples[0].labels.version,
    'v1 "quoted" \\ path\nnext',
  );
  assert.equal(value(families, "rvx_turns_total"), 9);
  assert.equal(value(families, "rvx_turns_failed_total"), 1);
  assert.equal(value(families, "rvx_api_requests_total"), 4);
  assert.equal(value(families, "rvx_api_responses_total", { code: "2xx" }), 3);
  assert.equal(value(families, "rvx_api_responses_total", { code: "4xx" }), 1);
  assert.equal(value(families, "rvx_api_responses_total", { code: "5xx" }), 0, "known at 0");
  assert.equal(value(families, "rvx_users_active", { window: "today" }), 2);
  assert.equal(value(families, "rvx_users", { kind: "telegram" }), 5);
  assert.equal(value(families, "rvx_users", { kind: "local" }), 1);
  assert.equal(families.get("rvx_users")?.type, "gauge");
  assert.equal(value(families, "rvx_sessions_active"), 3);
  assert.equal(value(families, "rvx_dead_letters"), 1);
  assert.equal(value(families, "rvx_cache_hits_total"), 3);
  assert.equal(value(families, "rvx_errors_total", { level: "warning" }), 2);
  assert.equal(value(families, "rvx_errors_total", { level: "critical" }), 0, "known at 0");
  assert.equal(value(families, "rvx_errors_by_kind_total", { kind: "db" }), 1);
  assert.equal(value(families, "rvx_feedback_total", { vote: "up" }), 2);
  assert.equal(value(families, "rvx_lessons_opened_total"), 6);
  assert.equal(value(families, "rvx_provider_requests_total", { provider: "my-llm" }), 4);
  assert.equal(value(families, "rvx_provider_requests_total", { provider: "other" }), 1);
  assert.equal(value(families, "rvx_provider_successes_total", { provider: "my-llm" }), 2);
  assert.equal(value(families, "rvx_inbox_depth"), 5);
  assert.equal(families.has("rvx_users_last_seen_20260101"), false, "no per-day series");

  // Only what every instance reads alike from KV: nothing of this process alone.
  for (const name of ["rvx_resident_actors", "rvx_uptime_seconds", "rvx_provider_breaker_open"]) {
    assert.equal(families.has(name), false, name);
  }
  assert.doesNotMatch(text, /instance=|pid=|hostname=/);

  const turn = families.get("rvx_turn_duration_seconds")!;
  assert.equal(turn.type, "histogram");
  assert.equal(value(families, "rvx_turn_duration_seconds", { le: "0.005" }), 1);
  assert.equal(value(families, "rvx_turn_duration_seconds", { le: "10" }), 4);
  assert.equal(value(families, "rvx_turn_duration_seconds", { le: "+Inf" }), 5);
  assert.equal(turn.samples.find((s) => s.name === "rvx_turn_duration_seconds_sum")?.value, 12.95);
  assert.equal(families.get("rvx_api_request_duration_seconds")?.type, "histogram");
  const provider = (p: string, le: string) =>
    value(families, "rvx_provider_request_duration_seconds", { provider: p, le });
  assert.equal(provider("my-llm", "0.5"), 0);
  assert.equal(provider("my-llm", "1"), 1);
  assert.equal(provider("other", "0.05"), 1);
});

Deno.test("prometheus: with no traffic the text still parses and shows the known series at 0", async () => {
  using store = await memoryStore();
  const summary = await getMetricsSummary(store, { clock: new FakeClock(0), version: "test" });
  const families = parsePrometheus(prometheusText(await counters.getAll(store), summary));
  assert.equal(value(families, "rvx_turns_total"), 0);
  const api = families.get("rvx_api_request_duration_seconds")!;
  assert.equal(api.samples.find((s) => s.name.endsWith("_count"))?.value, 0);
  assert.equal(value(families, "rvx_turn_duration_seconds", { le: "+Inf" }), 0);
  assert.equal(families.has("rvx_provider_requests_total"), false, "no provider yet");
});
