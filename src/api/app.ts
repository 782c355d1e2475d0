/**
 * The Hono app. Order: request context → access log → secure headers → 405 for known paths →
 * CORS (when configured) → body limit → the Telegram webhook (exempt from the IP limit) → the
 * per-IP limit on `/api/*` → routes → docs; then the BotResponse 404 and error handler.
 *
 * @module
 */
import { type Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { HTTPException } from "hono/http-exception";
import { methodNotAllowed } from "hono/method-not-allowed";
import { OpenAPIHono } from "@hono/zod-openapi";
import { getLogger } from "@logtape/logtape";
import { type SupervisorStats } from "../actors/supervisor.ts";
import { type AnalysisEngine } from "../analysis/engine.ts";
import { type Config } from "../config.ts";
import { type Clock } from "../core/clock.ts";
import { type ReportError } from "../core/report.ts";
import { type MetricsSink } from "../core/sinks.ts";
import { t } from "../i18n/mod.ts";
import { type BackupService } from "../store/backups.ts";
import { type ApiEnv } from "./env.ts";
import { accessLog } from "./middleware/access_log.ts";
import { createAuth } from "./middleware/auth.ts";
import { ipRateLimit } from "./middleware/rate_limit.ts";
import { requestContext } from "./middleware/request_context.ts";
import { securityHeaders } from "./middleware/security_headers.ts";
import { type ApiRouter, createRouter, ErrorEnvelopeSchema } from "./openapi.ts";
import { sendAppError, sendError } from "./respond.ts";
import { analyzeRoutes } from "./routes/analyze.ts";
import { assetsRoutes } from "./routes/assets.ts";
import { auditRoutes } from "./routes/audit.ts";
import { backupsRoutes } from "./routes/backups.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { dashboardDeadLettersRoutes } from "./routes/dashboard_dead_letters.ts";
import { deadLettersRoutes } from "./routes/dead_letters.ts";
import { addDocsRoutes } from "./routes/docs.ts";
import { type HealthDeps, healthProbe, healthRoutes } from "./routes/health.ts";
import { keysRoutes } from "./routes/keys.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { type PlaygroundDeps, playgroundRoutes } from "./routes/playground.ts";
import { signInRoutes } from "./routes/sign_in.ts";
import { statsRoutes } from "./routes/stats.ts";
import { usersRoutes } from "./routes/users.ts";

/** The settings the API reads. */
export type ApiConfig = Pick<
  Config,
  | "apiRateLimit"
  | "apiKeyDailyLimit"
  | "trustProxy"
  | "trustedProxyHops"
  | "corsOrigins"
  | "defaultLanguage"
  | "maxRequestsPerDay"
  | "adminUserIds"
  | "aiRateLimit"
  | "retentionDays"
>;

/** Everything the API is built from. */
export interface ApiDeps extends HealthDeps {
  clock: Clock;
  reportError: ReportError;
  config: ApiConfig;
  /** From `ensureAdminToken`: null disables admin routes (503 `UNAVAILABLE`, Deploy without the setting). */
  adminToken: string | null;
  /** The token is the generated one in KV (`source: "kv"`): re-read on each check, so it can rotate. */
  adminTokenInKv?: boolean;
  engine: Pick<AnalysisEngine, "analyze" | "providerStatus">;
  /** The supervisor's `getStats()`, for `/api/v1/stats` and the metrics routes. */
  stats?: () => Promise<SupervisorStats>;
  /** Counts requests by status class and their durations (batched, never in a request's way). */
  metrics?: MetricsSink;
  /** `POST /telegram/webhook`, mounted before the IP limit (exempt). */
  telegramWebhook?: Hono<ApiEnv>;
  /** Wakes this process's actor for a retried dead letter (the supervisor's `schedule`). */
  scheduleActor?: (actor: string, updateId: number) => void;
  /** The backup service behind `/api/v1/backups` (absent: those routes answer 503). */
  backups?: BackupService;
  /** The admin pages (docs/OPERATIONS.md, "HTTP API"); absent ones are not mounted. */
  pages?: {
    /** Mounts `/dashboard`. */
    dashboard?: boolean;
    /** Local mode's API and client: mounts `/playground` and its routes. */
    playground?: Pick<PlaygroundDeps, "local" | "client">;
  };
}

/** The largest body accepted (docs/OPERATIONS.md, "HTTP API"). */
export const MAX_BODY_BYTES = 102_400;

const log = getLogger(["rvx", "api"]);

/** Codes for HTTP exceptions thrown by Hono middleware (not by our code). */
function codeOf(status: number): string {
  switch (status) {
    case 400:
      return "VALIDATION_ERROR_BODY";
    case 401:
      return "UNAUTHORIZED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 405:
      return "METHOD_NOT_ALLOWED";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 429:
      return "RATE_LIMIT_ERROR";
    default:
      return status === 415 ? "VALIDATION_ERROR_BODY" : "BAD_REQUEST";
  }
}

function documentWebhook(app: ApiRouter): void {
  app.openAPIRegistry.registerPath({
    method: "post",
    path: "/telegram/webhook",
    operationId: "telegramWebhook",
    tags: ["telegram"],
    summary: "Telegram updates (200 once durable, 503 if KV is unavailable or on another schema)",
    description: "Checked by `X-Telegram-Bot-Api-Secret-Token` = `WEBHOOK_SECRET`. " +
      "Not rate-limited. With `WEBHOOK_TURNS_IN_REQUEST` (Deno Deploy) the answer waits until " +
      "the update's turn is done or `WEBHOOK_TURN_DEADLINE_MS` passed.",
    security: [{ telegramSecret: [] }],
    responses: {
      200: { description: "The update is durably queued (or was seen before)" },
      401: {
        description: "Wrong or missing secret",
        content: { "application/json": { schema: ErrorEnvelopeSchema } },
      },
      503: {
        description: "KV is unavailable (`UNAVAILABLE`), or its schema is not this process's " +
          "(`SCHEMA_CHANGED`: a newer version migrated it; `SCHEMA_BEHIND`: not migrated yet); " +
          "Telegram retries",
        content: { "application/json": { schema: ErrorEnvelopeSchema } },
      },
    },
  });
}

/**
 * Builds the API.
 *
 * @example
 * ```ts
 * const admin = await ensureAdminToken(store, config);
 * const app = createApi({ store, clock, startedAt, version, reportError, config, adminToken: admin.token, engine });
 * Deno.serve({ port: 8000 }, app.fetch);
 * ```
 */
export function createApi(deps: ApiDeps): ApiRouter {
  const { clock, config, store } = deps;
  const app = createRouter();
  const clientIp = { trustProxy: config.trustProxy, proxyHops: config.trustedProxyHops };
  const auth = createAuth({
    store,
    clock,
    adminToken: deps.adminToken,
    adminTokenInKv: deps.adminTokenInKv,
    clientIp,
  });

  app.use(requestContext(clock, { clientIp }));
  app.use(accessLog(deps.metrics));
  app.use(securityHeaders());
  app.use(methodNotAllowed({
    app,
    onMethodNotAllowed(c, methods) {
      c.header("Allow", methods.join(", "));
      return sendError(
        c,
        clock,
        405,
        "METHOD_NOT_ALLOWED",
        t(c.get("lang"), "error_method_not_allowed"),
        { allow: methods },
      );
    },
  }));
  if (config.corsOrigins.length > 0) {
    app.use(cors({
      origin: config.corsOrigins,
      allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
      allowHeaders: ["Authorization", "Content-Type", "X-Request-Id"],
      exposeHeaders: [
        "X-Request-Id",
        "Retry-After",
        "RateLimit-Limit",
        "RateLimit-Remaining",
        "RateLimit-Reset",
      ],
      maxAge: 600,
    }));
  }
  app.use(bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      sendError(
        c,
        clock,
        413,
        "PAYLOAD_TOO_LARGE",
        t(c.get("lang"), "error_payload_too_large", { limit: MAX_BODY_BYTES }),
      ),
  }));

  if (deps.telegramWebhook) {
    app.route("/", deps.telegramWebhook);
    if (!(deps.telegramWebhook instanceof OpenAPIHono)) documentWebhook(app);
  }

  app.use(
    "/api/*",
    ipRateLimit({
      store,
      clock,
      limit: config.apiRateLimit.requests,
      windowSeconds: config.apiRateLimit.windowSeconds,
      trustProxy: config.trustProxy,
      proxyHops: config.trustedProxyHops,
    }),
  );

  const health = healthProbe(deps);
  app.route("/", healthRoutes({ clock, probe: health }));
  app.route("/", metricsRoutes({ ...deps, guard: auth.admin }));
  app.route(
    "/",
    analyzeRoutes({
      store,
      clock,
      engine: deps.engine,
      guard: auth.apiKey,
      dailyLimit: config.apiKeyDailyLimit,
      defaultLang: config.defaultLanguage,
    }),
  );
  app.route("/", statsRoutes({ store, clock, guard: auth.admin, stats: deps.stats }));
  app.route("/", usersRoutes({ store, clock, guard: auth.admin, config }));
  app.route("/", auditRoutes({ store, clock, guard: auth.admin }));
  app.route("/", keysRoutes({ store, clock, guard: auth.admin }));
  app.route(
    "/",
    deadLettersRoutes({
      store,
      clock,
      guard: auth.admin,
      retentionDays: config.retentionDays.deadLetters,
      scheduleActor: deps.scheduleActor,
    }),
  );
  app.route("/", backupsRoutes({ clock, guard: auth.admin, backups: deps.backups }));
  if (deps.pages?.dashboard || deps.pages?.playground) {
    app.route("/", assetsRoutes({ clock }));
    app.route("/", signInRoutes(auth.pages));
  }
  if (deps.pages?.dashboard) {
    app.route(
      "/",
      dashboardRoutes({
        store,
        clock,
        health,
        engine: deps.engine,
        guard: auth.page,
        stats: deps.stats,
        backups: deps.backups,
        deadLetterRetentionDays: config.retentionDays.deadLetters,
      }),
    );
    app.route(
      "/",
      dashboardDeadLettersRoutes({
        store,
        clock,
        guard: auth.page,
        retentionDays: config.retentionDays.deadLetters,
        scheduleActor: deps.scheduleActor,
      }),
    );
  }
  if (deps.pages?.playground) {
    app.route(
      "/",
      playgroundRoutes({
        ...deps.pages.playground,
        clock,
        guard: auth.page,
        apiGuard: auth.pageApi,
        trustProxy: config.trustProxy,
      }),
    );
  }
  addDocsRoutes(app, { clock, version: deps.version });

  app.notFound((c) => sendError(c, clock, 404, "NOT_FOUND", t(c.get("lang"), "error_not_found")));
  app.onError(async (err, c) => {
    if (err instanceof HTTPException && err.status < 500) {
      return sendError(c, clock, err.status, codeOf(err.status), err.message || "Bad request");
    }
    const appError = await deps.reportError(err, `http ${c.req.method} ${c.req.routePath}`);
    log.debug("Request {requestId} failed with {code}", {
      requestId: c.get("requestId"),
      code: appError.code,
    });
    return sendAppError(c, clock, appError);
  });
  return app;
}
