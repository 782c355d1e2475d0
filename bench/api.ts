/**
 * API benchmark: `GET /health` through the whole app (request id, access log, secure headers,
 * 405 check, body limit, one KV read) against a bare `Deno.serve` JSON handler, measured in the
 * same run by the same load client: a Web Worker on its own thread keeping 40 connections busy
 * on 127.0.0.1, as Telegram does. A webhook target can be passed in to measure
 * `POST /telegram/webhook` the same way (see {@linkcode WebhookBenchTarget}).
 *
 * Run: `deno run -A bench/api.ts`. A bench runner imports {@linkcode runApiBench}.
 *
 * Target: `/health` ≥ 0.5× bare.
 *
 * @module
 */
import { type Hono } from "hono";
import { analysisEngineOptions, createAnalysisEngine } from "../src/analysis/engine.ts";
import { createApi } from "../src/api/app.ts";
import { type ApiEnv } from "../src/api/env.ts";
import { createConfig } from "../src/config.ts";
import { systemClock } from "../src/core/clock.ts";
import { randomId } from "../src/core/ids.ts";
import { createErrorReporter } from "../src/core/report.ts";
import { KvAuditSink } from "../src/store/audit.ts";
import { KvMetricsSink } from "../src/store/counters.ts";
import { openStore, type Store } from "../src/store/kv.ts";
import { runMigrations } from "../src/store/schema_upgrade.ts";
import { Inbox } from "../src/actors/inbox.ts";
import { Supervisor } from "../src/actors/supervisor.ts";
import { webhookRoutes } from "../src/api/routes/webhook.ts";
import { GroupCommitter } from "../src/store/committer.ts";
import { doneStatus } from "../src/store/done_updates.ts";
import { runtimeKeys } from "../src/store/keys.ts";
import { sessionKey, type SessionRecord } from "../src/store/sessions.ts";
import { percentile, print, progress, round } from "./support.ts";

/** The webhook under load, built by its owner on the bench's store. */
export interface WebhookBenchTarget {
  /** Mounted as `createApi`'s `telegramWebhook`. */
  routes: Hono<ApiEnv>;
  /** @default "/telegram/webhook" */
  path?: string;
  /** Sent with every request (the secret token header). */
  headers: Record<string, string>;
  /** A JSON update with `{{n}}` where each request's own number (its update_id) goes. */
  bodyTemplate: string;
  /** After the run: how many of the accepted numbers are durably in KV. */
  verify?(accepted: number[]): Promise<number>;
  /** Stops whatever the target started (a supervisor). */
  close?(): Promise<void>;
}

/** Options of {@linkcode runApiBench}. */
export interface ApiBenchOptions {
  /** Measured time per target. @default 4000 */
  durationMs?: number;
  /** Concurrent connections. @default 40 */
  connections?: number;
  /** Builds the webhook target on the bench's store; without it the webhook figures are skipped. */
  webhook?: (store: Store) => Promise<WebhookBenchTarget>;
}

interface LoadJob {
  url: string;
  method: string;
  headers: Record<string, string>;
  bodyTemplate: string | null;
  durationMs: number;
  connections: number;
  firstNumber: number;
}

interface LoadResult {
  latencies: number[];
  ok: number;
  other: number;
  accepted: number[];
  elapsedMs: number;
}

/** The load client, run in a worker so it does not share the server's thread. */
const LOAD_WORKER = `
self.onmessage = async (event) => {
  const job = event.data;
  const latencies = [];
  const accepted = [];
  let ok = 0, other = 0, next = job.firstNumber;
  const started = performance.now();
  const end = started + job.durationMs;
  async function connection() {
    while (performance.now() < end) {
      const n = next++;
      const body = job.bodyTemplate === null ? undefined : job.bodyTemplate.replaceAll("{{n}}", String(n));
      const t0 = performance.now();
      const res = await fetch(job.url, { method: job.method, headers: job.headers, body });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      if (res.status === 200) {
        ok++;
        if (job.bodyTemplate !== null) accepted.push(n);
      } else other++;
    }
  }
  await Promise.all(Array.from({ length: job.connections }, connection));
  self.postMessage({ latencies, ok, other, accepted, elapsedMs: performance.now() - started });
};
`;

async function load(job: LoadJob): Promise<LoadResult> {
  const url = URL.createObjectURL(new Blob([LOAD_WORKER], { type: "application/javascript" }));
  const worker = new Worker(url, { type: "module" });
  try {
    return await new Promise<LoadResult>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<LoadResult>) => resolve(event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`Load worker failed: ${event.message}`));
      };
      worker.postMessage(job);
    });
  } finally {
    worker.terminate();
    URL.revokeObjectURL(url);
  }
}

interface Measured {
  rps: number;
  p99: number;
  ok: number;
  other: number;
  accepted: number[];
}

function summarize(results: LoadResult[]): Measured {
  const ok = results.reduce((n, r) => n + r.ok, 0);
  const other = results.reduce((n, r) => n + r.other, 0);
  const seconds = results.reduce((n, r) => n + r.elapsedMs, 0) / 1000;
  return {
    rps: (ok + other) / seconds,
    p99: percentile(results.flatMap((r) => r.latencies), 99),
    ok,
    other,
    accepted: results.flatMap((r) => r.accepted),
  };
}

/**
 * Measures targets in alternating rounds (a, b, a, b, …) so drifting load on the machine
 * affects each target alike; each target gets a short warm-up first.
 */
async function measureInterleaved(
  targets: { name: string; job: Omit<LoadJob, "durationMs" | "firstNumber"> }[],
  durationMs: number,
  rounds: number,
): Promise<Measured[]> {
  const results: LoadResult[][] = targets.map(() => []);
  for (const [i, target] of targets.entries()) {
    progress(`api: ${target.name} (warm-up)`);
    await load({ ...target.job, durationMs: 500, firstNumber: 1_000_000_000 + i * 10_000_000 });
  }
  let next = 1;
  for (let round = 0; round < rounds; round++) {
    for (const [i, target] of targets.entries()) {
      progress(`api: ${target.name} (round ${round + 1}/${rounds}, ${durationMs / rounds} ms)`);
      const result = await load({
        ...target.job,
        durationMs: durationMs / rounds,
        firstNumber: next,
      });
      next += result.ok + result.other + target.job.connections;
      results[i].push(result);
    }
  }
  return results.map(summarize);
}

/**
 * Runs the API benchmark and returns its figures.
 *
 * @example
 * ```ts
 * const figures = await runApiBench();
 * figures.health_vs_bare_ratio; // ≥ 0.5 is the target
 * ```
 */
export async function runApiBench(options: ApiBenchOptions = {}): Promise<Record<string, number>> {
  const durationMs = options.durationMs ?? 4000;
  const connections = options.connections ?? 40;
  const dir = await Deno.makeTempDir({ prefix: "rvx-bench-api-" });
  const store = await openStore(`${dir}/rvx.kv`);
  await runMigrations(store);
  const adminToken = `bench-${randomId(24)}`;
  const config = createConfig({
    KV_PATH: `${dir}/rvx.kv`,
    ADMIN_API_TOKEN: adminToken,
    API_RATE_LIMIT_REQUESTS: "1000000",
  });
  const clock = systemClock;
  const metrics = new KvMetricsSink(store, { clock });
  const reportError = createErrorReporter({ audit: new KvAuditSink(store, clock), metrics });
  const engine = createAnalysisEngine({ ...analysisEngineOptions(config), store, metrics, clock });
  const webhook = options.webhook ? await options.webhook(store) : undefined;
  const app = createApi({
    store,
    clock,
    startedAt: clock.now(),
    version: "bench",
    reportError,
    config,
    adminToken,
    engine,
    metrics,
    telegramWebhook: webhook?.routes,
  });
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const bareBody = { success: true, status: "ok", data: { status: "ok" } };
  const bare = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => Response.json(bareBody),
  );
  const figures: Record<string, number> = {};
  try {
    const get = { method: "GET", headers: {}, bodyTemplate: null, connections };
    const [bareRun, healthRun] = await measureInterleaved(
      [
        { name: "bare Deno.serve", job: { ...get, url: `http://127.0.0.1:${bare.addr.port}/` } },
        {
          name: "GET /health",
          job: { ...get, url: `http://127.0.0.1:${server.addr.port}/health` },
        },
      ],
      durationMs,
      4,
    );
    if (healthRun.other > 0) throw new Error(`GET /health answered ${healthRun.other} non-200s`);
    figures.health_rps = Math.round(healthRun.rps);
    figures.health_p99_ms = round(healthRun.p99, 2);
    figures.bare_rps = Math.round(bareRun.rps);
    figures.bare_p99_ms = round(bareRun.p99, 2);
    figures.health_vs_bare_ratio = round(healthRun.rps / bareRun.rps, 2);
    if (webhook) {
      const [run] = await measureInterleaved(
        [{
          name: "POST /telegram/webhook",
          job: {
            url: `http://127.0.0.1:${server.addr.port}${webhook.path ?? "/telegram/webhook"}`,
            method: "POST",
            headers: { "Content-Type": "application/json", ...webhook.headers },
            bodyTemplate: webhook.bodyTemplate,
            connections,
          },
        }],
        durationMs,
        1,
      );
      figures.webhook_ingest_rps = Math.round(run.rps * run.ok / Math.max(1, run.ok + run.other));
      figures.webhook_p99_ms = round(run.p99, 2);
      figures.webhook_non_200 = run.other;
      if (webhook.verify) {
        figures.webhook_missing_in_kv = run.accepted.length - await webhook.verify(run.accepted);
      }
    }
  } finally {
    await Promise.all([server.shutdown(), bare.shutdown()]);
    await webhook?.close?.();
    await metrics.flush().catch(() => {});
    store.close();
    await Deno.remove(dir, { recursive: true });
  }
  return figures;
}

if (import.meta.main) {
  const figures = await runApiBench();
  print("| figure | value |");
  print("|---|---|");
  for (const [name, value] of Object.entries(figures)) print(`| ${name} | ${value} |`);
  print();
  for (const [name, value] of Object.entries(figures)) print(`${name}=${value}`);
}

/**
 * The webhook under load with the runtime behind it: ingest into the durable inbox, a supervisor
 * draining it with a trivial handler, and a check that every 200 left its update in KV.
 *
 * @example
 * ```ts
 * await runApiBench({ webhook: webhookTarget });
 * ```
 */
export function webhookTarget(store: Store): Promise<WebhookBenchTarget> {
  const clock = systemClock;
  const metrics = new KvMetricsSink(store, { clock });
  const reportError = createErrorReporter({ audit: new KvAuditSink(store, clock), metrics });
  const inbox = new Inbox({ store, committer: new GroupCommitter(store), clock, metrics });
  const supervisor = new Supervisor({
    store,
    clock,
    reportError,
    handle: () => Promise.resolve(),
    settings: {
      leaseTtlMs: 30_000,
      actorIdleMs: 60_000,
      actorMaxResident: 10_000,
      turnMaxAttempts: 5,
      sessionTtlMs: 3_600_000,
      defaultLanguage: "en",
    },
  });
  inbox.onQueued = (actor, updateId) => supervisor.schedule(actor, updateId);
  inbox.runDirect = (direct) => supervisor.runDirect(direct);
  const secret = `bench_${randomId(12)}`.replace(/[^A-Za-z0-9_-]/g, "_");
  return Promise.resolve({
    routes: webhookRoutes({ inbox, secret, clock }),
    headers: { "X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json" },
    bodyTemplate: JSON.stringify({
      update_id: 0,
      message: {
        message_id: 1,
        date: 1_767_225_600,
        chat: { id: 0, type: "private", first_name: "Bench" },
        from: { id: 0, is_bot: false, first_name: "Bench" },
        text: "bench",
      },
    }).replace('"update_id":0', '"update_id":{{n}}').replace(/"id":0/g, '"id":{{n}}'),
    async verify(accepted) {
      // Durable means still waiting in its inbox or listed as finished by its actor's session.
      let present = 0;
      for (let i = 0; i < accepted.length; i += 5) {
        const ids = accepted.slice(i, i + 5);
        const entries = await store.kv.getMany(
          ids.flatMap((
            n,
          ) => [runtimeKeys.inbox(`u:${n}`, n), sessionKey(store.generation, `u:${n}`)]),
        );
        present += ids.filter((n, j) => {
          const [waiting, session] = [entries[2 * j], entries[2 * j + 1]];
          const done = (session.value as SessionRecord<unknown> | null)?.done;
          return waiting.value !== null || doneStatus(done, n) === "done";
        }).length;
      }
      return present;
    },
    async close() {
      await supervisor.whenIdle();
      await supervisor.stop();
      await metrics.flush().catch(() => {});
    },
  });
}
