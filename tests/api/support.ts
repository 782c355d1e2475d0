/**
 * The API under test: a real app on a real store (memory, or a temp file for two instances),
 * a real analysis engine (offline, or providers on the fake LLM server), an injected clock.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type SupervisorStats } from "../../src/actors/supervisor.ts";
import { analysisEngineOptions, createAnalysisEngine } from "../../src/analysis/engine.ts";
import { type ApiDeps, createApi } from "../../src/api/app.ts";
import { type ApiEnv } from "../../src/api/env.ts";
import { type Config, createConfig, type ProviderConfig } from "../../src/config.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { createErrorReporter } from "../../src/core/report.ts";
import { KvAuditSink } from "../../src/store/audit.ts";
import { KvMetricsSink } from "../../src/store/counters.ts";
import { type Store } from "../../src/store/kv.ts";
import { memoryStore } from "../support/store.ts";
import { type Hono } from "hono";

/** The admin token the harness configures. */
export const ADMIN_TOKEN = "test-admin-token-0123456789";

/** Options of {@linkcode apiHarness}. */
export interface HarnessOptions {
  /** Settings on top of the defaults (ADMIN_API_TOKEN, KV_PATH). */
  env?: Record<string, string>;
  /** A store to use (not closed by the harness); default a fresh `:memory:` one. */
  store?: Store;
  clock?: FakeClock;
  providers?: ProviderConfig[];
  /** `null` disables admin routes (Deploy without ADMIN_API_TOKEN). */
  adminToken?: string | null;
  /** The admin token is the generated one in KV (re-read on each check). */
  adminTokenInKv?: boolean;
  stats?: () => Promise<SupervisorStats>;
  telegramWebhook?: Hono<ApiEnv>;
  backups?: ApiDeps["backups"];
  pages?: ApiDeps["pages"];
  scheduleActor?: ApiDeps["scheduleActor"];
}

/** What tests drive. */
export interface ApiHarness extends AsyncDisposable {
  app: ReturnType<typeof createApi>;
  store: Store;
  clock: FakeClock;
  config: Config;
  metrics: KvMetricsSink;
  /** `app.request` with the admin token. */
  admin(path: string, init?: RequestInit): Promise<Response>;
  /** Creates an API key through the API and returns it. */
  createKey(name?: string): Promise<{ id: string; key: string }>;
}

/**
 * @example
 * ```ts
 * await using api = await apiHarness();
 * const res = await api.admin("/api/v1/stats");
 * ```
 */
export async function apiHarness(options: HarnessOptions = {}): Promise<ApiHarness> {
  const clock = options.clock ?? new FakeClock(Date.UTC(2026, 0, 1, 12));
  const own = options.store ? null : await memoryStore();
  const store = options.store ?? own!;
  const config = createConfig({
    ADMIN_API_TOKEN: ADMIN_TOKEN,
    KV_PATH: ":memory:",
    ...options.env,
  });
  const metrics = new KvMetricsSink(store, { clock });
  const audit = new KvAuditSink(store, clock);
  const reportError = createErrorReporter({ audit, metrics });
  const engine = createAnalysisEngine({
    ...analysisEngineOptions(config),
    providers: options.providers ?? config.providers,
    retry: { maxAttempts: 1 },
    store,
    metrics,
    clock,
  });
  const app = createApi({
    store,
    clock,
    startedAt: clock.now(),
    version: "test",
    reportError,
    config,
    adminToken: options.adminToken === undefined ? ADMIN_TOKEN : options.adminToken,
    adminTokenInKv: options.adminTokenInKv,
    engine,
    stats: options.stats,
    metrics,
    telegramWebhook: options.telegramWebhook,
    backups: options.backups,
    pages: options.pages,
    scheduleActor: options.scheduleActor,
  });
  function admin(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${ADMIN_TOKEN}`);
    return Promise.resolve(app.request(path, { ...init, headers }));
  }
  return {
    app,
    store,
    clock,
    config,
    metrics,
    admin,
    async createKey(name = "test") {
      const res = await admin("/api/v1/keys", json({ name, owner: "tests@example.com" }));
      assert.equal(res.status, 201);
      const body = await res.json();
      return { id: body.data.id, key: body.data.key };
    },
    [Symbol.asyncDispose]() {
      own?.close();
      return Promise.resolve();
    },
  };
}

/**
 * A JSON POST init.
 *
 * @example
 * ```ts
 * await app.request("/api/v1/keys", json({ name: "ci", owner: "me" }));
 * ```
 */
export function json(body: unknown, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json");
  return { method: "POST", ...init, headers, body: JSON.stringify(body) };
}

/** Bearer auth headers. */
export function bearer(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: `Bearer ${token}`, ...extra };
}

const ENVELOPE_KEYS = [
  "data",
  "error",
  "error_code",
  "processing_time_ms",
  "request_id",
  "status",
  "success",
  "timestamp",
];

/**
 * Reads a response as a BotResponse and checks the envelope: every key, ISO timestamp, the
 * request id echoed in the header.
 *
 * @example
 * ```ts
 * const body = await envelope(res);
 * ```
 */
// deno-lint-ignore no-explicit-any
export async function envelope(res: Response): Promise<any> {
  assert.match(res.headers.get("Content-Type") ?? "", /^application\/json/);
  const body = await res.json();
  assert.deepEqual(Object.keys(body).sort(), ENVELOPE_KEYS);
  assert.equal(typeof body.success, "boolean");
  assert.ok(["ok", "error", "warning", "processing"].includes(body.status));
  assert.match(body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(typeof body.processing_time_ms, "number");
  assert.ok(body.request_id);
  assert.equal(res.headers.get("X-Request-Id"), body.request_id);
  if (body.success) {
    assert.equal(body.error_code === null || body.status === "warning", true);
  } else {
    assert.equal(body.status, "error");
    assert.equal(typeof body.error_code, "string");
    assert.equal(typeof body.error, "string");
  }
  return body;
}

/**
 * Signs a browser in through `POST /sign-in` and returns its session cookie (`rvx_session=…`).
 *
 * @example
 * ```ts
 * const cookie = await signInCookie(api.app);
 * await api.app.request("/dashboard", { headers: { Cookie: cookie } });
 * ```
 */
export async function signInCookie(
  app: { request: ApiHarness["app"]["request"] },
  token = ADMIN_TOKEN,
): Promise<string> {
  const res = await app.request("/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token, next: "/dashboard" }).toString(),
  });
  assert.equal(res.status, 303, "signed in");
  const line = res.headers.getSetCookie().find((c) => c.startsWith("rvx_session="));
  assert.ok(line, "a session cookie");
  return line.split(";")[0];
}
