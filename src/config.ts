/**
 * Every setting, parsed and validated once. This is the only module that reads `Deno.env`;
 * everything else receives a {@linkcode Config}.
 *
 * @module
 */
import { z } from "zod";
import { kvLocation } from "./core/kv_location.ts";
import { type Lang } from "./i18n/mod.ts";

/** One OpenAI-compatible endpoint from `AI_PROVIDER_<n>_*`. */
export interface ProviderConfig {
  /** `provider1`, `provider2`, … in configured order; also the name in metrics. */
  name: string;
  url: string;
  key?: string;
  model: string;
  timeoutMs: number;
}

const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.string().trim().regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const bool = z.enum(["true", "false"], { error: "must be true or false" })
  .transform((v) => v === "true");

const list = z.string().transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean));

const idList = list.pipe(
  z.array(z.string().regex(/^\d+$/, "must be numeric Telegram ids").transform(Number)),
);

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

const SETTINGS = z.object({
  BOT_TOKEN: z.string().regex(/^\d+:[\w-]{20,}$/, "must look like 123456:ABC…").optional(),
  BOT_API_ROOT: httpUrl.default("https://api.telegram.org"),
  BOT_MODE: z.enum(["polling", "webhook", "off"], { error: "must be polling, webhook or off" })
    .optional(),
  WEBHOOK_URL: z.url({ protocol: /^https$/, error: "must be an https URL" }).optional(),
  WEBHOOK_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16–256 of A-Za-z0-9_-")
    .optional(),
  WEBHOOK_TURNS_IN_REQUEST: bool.optional(),
  WEBHOOK_TURN_DEADLINE_MS: int(100, 50_000).default(8000),
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: int(0, 65535).default(8000),
  KV_PATH: z.string().min(1).optional(),
  BACKUP_DIR: z.string().min(1).optional(),
  BACKUP_RETENTION_DAYS: int(1).default(30),
  AUDIT_RETENTION_DAYS: int(1).default(90),
  HISTORY_RETENTION_DAYS: int(1).default(365),
  METRICS_RETENTION_DAYS: int(1).default(90),
  DEAD_LETTER_RETENTION_DAYS: int(1).default(30),
  ADMIN_USER_IDS: idList.default([]),
  // What a bearer header can carry (docs/SECURITY.md): a token outside this could never match.
  ADMIN_API_TOKEN: z.string().regex(
    /^[\x21-\x7e]{16,512}$/,
    "must be 16–512 printable ASCII characters without spaces",
  ).optional(),
  DEFAULT_LANGUAGE: z.enum(["ru", "en"], { error: "must be ru or en" }).default("ru"),
  FLOOD_COOLDOWN_SECONDS: int(0).default(3),
  MAX_REQUESTS_PER_DAY: int(1, 1_000_000).default(50),
  AI_RATE_LIMIT_REQUESTS: int(1, 1_000_000).default(10),
  AI_RATE_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(60),
  SESSION_TTL_SECONDS: int(1).default(3600),
  ACTOR_IDLE_SECONDS: int(1).default(60),
  ACTOR_MAX_RESIDENT: int(1).default(10_000),
  LEASE_TTL_SECONDS: int(1).default(5),
  TURN_MAX_ATTEMPTS: int(1, 100).default(5),
  API_RATE_LIMIT_REQUESTS: int(1, 1_000_000).default(60),
  API_RATE_LIMIT_WINDOW_SECONDS: int(1, 86_400).default(60),
  API_KEY_DAILY_LIMIT: int(1, 100_000_000).default(1000),
  TRUST_PROXY: bool.default(false),
  TRUSTED_PROXY_HOPS: int(1, 10).default(1),
  CORS_ORIGINS: list.pipe(z.array(httpUrl)).default([]),
  CACHE_MAX_ENTRIES: int(1).default(1000),
  CACHE_TTL_SECONDS: int(1).default(3600),
  ANALYSIS_DEADLINE_MS: int(100).default(20_000),
  CRON_ENABLED: bool.default(true),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warning", "error", "fatal"], {
    error: "must be trace, debug, info, warning, error or fatal",
  }).default("info"),
  LOG_FORMAT: z.enum(["pretty", "json"], { error: "must be pretty or json" }).optional(),
  DENO_DEPLOYMENT_ID: z.string().optional(),
  DENO_DEPLOY: z.string().optional(),
  DENO_TIMELINE: z.string().optional(),
  DENO_KV_ACCESS_TOKEN: z.string().optional(),
  DEPLOY_ALLOW_FILE_KV: bool.default(false),
});

const PROVIDER_KEY = /^AI_PROVIDER_(\d+)_(URL|KEY|MODEL|TIMEOUT_MS)$/;

/** How the bot talks to Telegram. */
export type BotMode = "polling" | "webhook" | "off";

/** The validated settings, in the names code uses. */
export interface Config {
  botToken?: string;
  botApiRoot: string;
  botMode: BotMode;
  webhookUrl?: string;
  webhookSecret?: string;
  /**
   * Run the actor's queued turns before answering the webhook (true on Deno Deploy, where only an
   * open request keeps an instance alive), for at most {@linkcode Config.webhookTurnDeadlineMs}.
   */
  webhookTurnsInRequest: boolean;
  webhookTurnDeadlineMs: number;
  host: string;
  port: number;
  /**
   * File path, `:memory:`, an `http(s)://` KV Connect URL (with `DENO_KV_ACCESS_TOKEN`), or
   * undefined for Deno Deploy's managed KV.
   */
  kvPath?: string;
  /** Undefined on Deno Deploy: backups are kept in KV there. */
  backupDir?: string;
  retentionDays: {
    backups: number;
    audit: number;
    history: number;
    metrics: number;
    deadLetters: number;
  };
  adminUserIds: number[];
  adminApiToken?: string;
  defaultLanguage: Lang;
  floodCooldownSeconds: number;
  maxRequestsPerDay: number;
  aiRateLimit: { requests: number; windowSeconds: number };
  sessionTtlSeconds: number;
  actorIdleSeconds: number;
  actorMaxResident: number;
  leaseTtlSeconds: number;
  turnMaxAttempts: number;
  apiRateLimit: { requests: number; windowSeconds: number };
  apiKeyDailyLimit: number;
  trustProxy: boolean;
  /** `TRUSTED_PROXY_HOPS`: proxies that append to `X-Forwarded-For`, counted from the right. */
  trustedProxyHops: number;
  corsOrigins: string[];
  cache: { maxEntries: number; ttlSeconds: number };
  providers: ProviderConfig[];
  analysisDeadlineMs: number;
  cronEnabled: boolean;
  logLevel: "trace" | "debug" | "info" | "warning" | "error" | "fatal";
  logFormat: "pretty" | "json";
  /** Running on Deno Deploy, or in its build (`DENO_DEPLOYMENT_ID` or `DENO_DEPLOY` is set). */
  onDeploy: boolean;
  /** Deno Deploy's timeline (`production`, `git-branch/…`, `preview/…`); undefined elsewhere. */
  timeline?: string;
  /**
   * Settings that cannot work on Deno Deploy, each as a sentence. `deno task setup` refuses them
   * (failing the deploy); an instance that meets one logs it as an error and runs without it.
   */
  deployProblems: string[];
}

/** The settings could not be used; `problems` names each bad setting and why (never its value). */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid settings:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Facts about the process that settings defaults depend on. */
export interface ConfigOptions {
  /** Whether stderr is a terminal (picks the default `LOG_FORMAT`). */
  terminal?: boolean;
}

/**
 * Parses settings from an environment map. Pure: tests pass a plain object.
 *
 * @throws {ConfigError} naming every invalid setting at once.
 * @example
 * ```ts
 * const config = createConfig({ PORT: "8080", KV_PATH: ":memory:" });
 * ```
 */
export function createConfig(env: Record<string, string>, options: ConfigOptions = {}): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => name in SETTINGS.shape && value.trim() !== ""),
  );
  const parsed = SETTINGS.safeParse(present);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? "settings");
    return `${name} ${issue.message}`;
  });
  const providers = parseProviders(env, problems);
  if (!parsed.success) throw new ConfigError(problems);
  const s = parsed.data;
  const onDeploy = s.DENO_DEPLOYMENT_ID !== undefined || s.DENO_DEPLOY !== undefined;
  const deploy = onDeploy ? deploySettings(s) : null;
  const botMode: BotMode = deploy?.botMode ?? s.BOT_MODE ?? (s.BOT_TOKEN ? "polling" : "off");
  if (botMode !== "off" && !s.BOT_TOKEN) problems.push(`BOT_MODE ${botMode} needs BOT_TOKEN`);
  if (botMode === "webhook") {
    if (!s.WEBHOOK_URL) problems.push("WEBHOOK_URL is required when BOT_MODE is webhook");
    if (!s.WEBHOOK_SECRET) problems.push("WEBHOOK_SECRET is required when BOT_MODE is webhook");
  }
  if (kvLocation(s.KV_PATH) === "remote" && !s.DENO_KV_ACCESS_TOKEN) {
    problems.push("KV_PATH is a KV Connect URL: set DENO_KV_ACCESS_TOKEN to its access token");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    botToken: s.BOT_TOKEN,
    botApiRoot: s.BOT_API_ROOT.replace(/\/+$/, ""),
    botMode,
    webhookUrl: s.WEBHOOK_URL,
    webhookSecret: s.WEBHOOK_SECRET,
    webhookTurnsInRequest: s.WEBHOOK_TURNS_IN_REQUEST ?? onDeploy,
    webhookTurnDeadlineMs: s.WEBHOOK_TURN_DEADLINE_MS,
    host: s.HOST,
    port: s.PORT,
    kvPath: deploy ? deploy.kvPath : s.KV_PATH ?? "./data/rvx.kv",
    backupDir: deploy ? undefined : s.BACKUP_DIR ?? "./data/backups",
    retentionDays: {
      backups: s.BACKUP_RETENTION_DAYS,
      audit: s.AUDIT_RETENTION_DAYS,
      history: s.HISTORY_RETENTION_DAYS,
      metrics: s.METRICS_RETENTION_DAYS,
      deadLetters: s.DEAD_LETTER_RETENTION_DAYS,
    },
    adminUserIds: s.ADMIN_USER_IDS,
    adminApiToken: s.ADMIN_API_TOKEN,
    defaultLanguage: s.DEFAULT_LANGUAGE,
    floodCooldownSeconds: s.FLOOD_COOLDOWN_SECONDS,
    maxRequestsPerDay: s.MAX_REQUESTS_PER_DAY,
    aiRateLimit: {
      requests: s.AI_RATE_LIMIT_REQUESTS,
      windowSeconds: s.AI_RATE_LIMIT_WINDOW_SECONDS,
    },
    sessionTtlSeconds: s.SESSION_TTL_SECONDS,
    actorIdleSeconds: s.ACTOR_IDLE_SECONDS,
    actorMaxResident: s.ACTOR_MAX_RESIDENT,
    leaseTtlSeconds: s.LEASE_TTL_SECONDS,
    turnMaxAttempts: s.TURN_MAX_ATTEMPTS,
    apiRateLimit: {
      requests: s.API_RATE_LIMIT_REQUESTS,
      windowSeconds: s.API_RATE_LIMIT_WINDOW_SECONDS,
    },
    apiKeyDailyLimit: s.API_KEY_DAILY_LIMIT,
    trustProxy: s.TRUST_PROXY,
    trustedProxyHops: s.TRUSTED_PROXY_HOPS,
    corsOrigins: s.CORS_ORIGINS,
    cache: { maxEntries: s.CACHE_MAX_ENTRIES, ttlSeconds: s.CACHE_TTL_SECONDS },
    providers,
    analysisDeadlineMs: s.ANALYSIS_DEADLINE_MS,
    cronEnabled: s.CRON_ENABLED,
    logLevel: s.LOG_LEVEL,
    logFormat: s.LOG_FORMAT ?? (options.terminal ? "pretty" : "json"),
    onDeploy,
    timeline: s.DENO_TIMELINE,
    deployProblems: deploy?.problems ?? [],
  };
}

/**
 * Deno Deploy's mode: webhook only (instances stop when idle, and parallel pollers get 409), the
 * managed KV (a file there is per instance and gone on eviction) and backups kept in KV (no disk
 * outlives an instance). What asks otherwise is noted, not fatal: `deno task setup` refuses it so
 * the deploy fails, and a running instance logs it and serves what it can.
 */
function deploySettings(s: z.infer<typeof SETTINGS>) {
  const problems: string[] = [];
  let botMode: BotMode | undefined = s.BOT_MODE ?? (s.BOT_TOKEN ? "webhook" : "off");
  if (botMode === "polling") {
    problems.push("BOT_MODE polling cannot work on Deno Deploy: set BOT_MODE=webhook");
    botMode = s.WEBHOOK_URL && s.WEBHOOK_SECRET ? "webhook" : "off";
  }
  let kvPath = s.KV_PATH;
  const location = kvLocation(kvPath);
  if ((location === "file" || location === "memory") && !s.DEPLOY_ALLOW_FILE_KV) {
    problems.push(
      "KV_PATH names a local database, which Deno Deploy keeps per instance and loses on eviction: unset it to use the app's KV",
    );
    kvPath = undefined;
  }
  if (s.BACKUP_DIR !== undefined) {
    problems.push(
      "BACKUP_DIR cannot be used on Deno Deploy (no disk outlives an instance): unset it; backups are kept in KV and downloaded through the API",
    );
  }
  return { botMode, kvPath, problems };
}

function parseProviders(env: Record<string, string>, problems: string[]): ProviderConfig[] {
  const byIndex = new Map<number, Record<string, string>>();
  for (const [name, value] of Object.entries(env)) {
    const match = PROVIDER_KEY.exec(name);
    if (!match || value.trim() === "") continue;
    const index = Number(match[1]);
    byIndex.set(index, { ...byIndex.get(index), [match[2]]: value.trim() });
  }
  const providers: ProviderConfig[] = [];
  for (const index of [...byIndex.keys()].sort((a, b) => a - b)) {
    const fields = byIndex.get(index)!;
    const prefix = `AI_PROVIDER_${index}`;
    const url = httpUrl.safeParse(fields.URL ?? "");
    if (!url.success) problems.push(`${prefix}_URL must be an http(s) URL`);
    if (!fields.MODEL) problems.push(`${prefix}_MODEL is required with ${prefix}_URL`);
    const timeout = int(100, 600_000).safeParse(fields.TIMEOUT_MS ?? "8000");
    if (!timeout.success) problems.push(`${prefix}_TIMEOUT_MS must be 100–600000 milliseconds`);
    if (url.success && fields.MODEL && timeout.success) {
      providers.push({
        name: `provider${index}`,
        url: url.data.replace(/\/+$/, ""),
        key: fields.KEY,
        model: fields.MODEL,
        timeoutMs: timeout.data,
      });
    }
  }
  return providers;
}

/**
 * Parses a `.env` file: `NAME=value` lines, `#` comments, optional quotes and `export`.
 *
 * @example
 * ```ts
 * parseDotEnv('PORT=8080\n# comment\nLOG_LEVEL="debug"'); // { PORT: "8080", LOG_LEVEL: "debug" }
 * ```
 */
export function parseDotEnv(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    let value = match[2];
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[1] === '"' ? quoted[2].replace(/\\n/g, "\n") : quoted[2];
    else value = value.replace(/\s+#.*$/, "");
    env[match[1]] = value;
  }
  return env;
}

/**
 * Reads `.env` (when present) under the process environment, which wins, and parses the result.
 *
 * @example
 * ```ts
 * const config = await loadConfig();
 * ```
 */
export async function loadConfig(dotEnvPath = ".env"): Promise<Config> {
  let fileEnv: Record<string, string> = {};
  try {
    fileEnv = parseDotEnv(await Deno.readTextFile(dotEnvPath));
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return createConfig({ ...fileEnv, ...Deno.env.toObject() }, {
    terminal: Deno.stderr.isTerminal(),
  });
}
