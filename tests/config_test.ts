import assert from "node:assert/strict";
import { ConfigError, createConfig, parseDotEnv } from "../src/config.ts";

function problemsOf(env: Record<string, string>): string[] {
  try {
    createConfig(env);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.problems;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("config: an empty environment gives the documented defaults", () => {
  const config = createConfig({});
  assert.equal(config.botMode, "off");
  assert.equal(config.botApiRoot, "https://api.telegram.org");
  assert.equal(config.host, "127.0.0.1");
  assert.equal(config.port, 8000);
  assert.equal(config.kvPath, "./data/rvx.kv");
  assert.equal(config.backupDir, "./data/backups");
  assert.deepEqual(config.retentionDays, {
    backups: 30,
    audit: 90,
    history: 365,
    metrics: 90,
    deadLetters: 30,
  });
  assert.deepEqual(config.adminUserIds, []);
  assert.equal(config.defaultLanguage, "ru");
  assert.equal(config.floodCooldownSeconds, 3);
  assert.equal(config.maxRequestsPerDay, 50);
  assert.deepEqual(config.aiRateLimit, { requests: 10, windowSeconds: 60 });
  assert.equal(config.sessionTtlSeconds, 3600);
  assert.equal(config.actorIdleSeconds, 60);
  assert.equal(config.actorMaxResident, 10_000);
  assert.equal(config.leaseTtlSeconds, 5);
  assert.equal(config.turnMaxAttempts, 5);
  assert.deepEqual(config.apiRateLimit, { requests: 60, windowSeconds: 60 });
  assert.equal(config.apiKeyDailyLimit, 1000);
  assert.equal(config.trustProxy, false);
  assert.deepEqual(config.corsOrigins, []);
  assert.deepEqual(config.cache, { maxEntries: 1000, ttlSeconds: 3600 });
  assert.deepEqual(config.providers, []);
  assert.equal(config.analysisDeadlineMs, 20_000);
  assert.equal(config.cronEnabled, true);
  assert.equal(config.logLevel, "info");
  assert.equal(config.logFormat, "json");
  assert.equal(config.onDeploy, false);
});

Deno.test("config: a token turns polling on; a terminal picks pretty logs", () => {
  const config = createConfig({ BOT_TOKEN: "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ" }, {
    terminal: true,
  });
  assert.equal(config.botMode, "polling");
  assert.equal(config.logFormat, "pretty");
});

Deno.test("config: on Deno Deploy KV and backups default to the managed store", () => {
  const config = createConfig({ DENO_DEPLOYMENT_ID: "abc" });
  assert.equal(config.onDeploy, true);
  assert.equal(config.kvPath, undefined);
  assert.equal(config.backupDir, undefined);
});

const TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const WEBHOOK = {
  WEBHOOK_URL: "https://rvx.example.net/telegram/webhook",
  WEBHOOK_SECRET: "a-secret-of-16-chars",
};

Deno.test("config: on Deno Deploy (DENO_DEPLOY or DENO_DEPLOYMENT_ID) a token means webhook, with the timeline", () => {
  const flags: Record<string, string>[] = [{ DENO_DEPLOY: "true" }, { DENO_DEPLOYMENT_ID: "abc" }];
  for (const flag of flags) {
    const config = createConfig({
      ...flag,
      BOT_TOKEN: TOKEN,
      ...WEBHOOK,
      DENO_TIMELINE: "production",
    });
    assert.equal(config.onDeploy, true);
    assert.equal(config.botMode, "webhook");
    assert.equal(config.timeline, "production");
    assert.deepEqual(config.deployProblems, []);
  }
});

Deno.test("config: on Deno Deploy polling, a local KV and BACKUP_DIR are noted as problems and not used", () => {
  const config = createConfig({
    DENO_DEPLOY: "true",
    BOT_TOKEN: TOKEN,
    BOT_MODE: "polling",
    ...WEBHOOK,
    KV_PATH: "./data/rvx.kv",
    BACKUP_DIR: "./data/backups",
  });
  assert.equal(config.botMode, "webhook");
  assert.equal(config.kvPath, undefined);
  assert.equal(config.backupDir, undefined);
  assert.equal(config.deployProblems.length, 3);
  assert.match(config.deployProblems[0], /BOT_MODE polling cannot work on Deno Deploy/);
  // Without webhook settings, polling on Deploy leaves Telegram off rather than failing the start.
  const bare = createConfig({ DENO_DEPLOY: "true", BOT_TOKEN: TOKEN, BOT_MODE: "polling" });
  assert.equal(bare.botMode, "off");
});

Deno.test("config: DEPLOY_ALLOW_FILE_KV lets a Deploy-mode test share a KV file; KV Connect needs its token", () => {
  const config = createConfig({
    DENO_DEPLOY: "true",
    KV_PATH: "/tmp/shared/rvx.kv",
    DEPLOY_ALLOW_FILE_KV: "true",
  });
  assert.equal(config.kvPath, "/tmp/shared/rvx.kv");
  assert.deepEqual(config.deployProblems, []);
  assert.throws(
    () => createConfig({ KV_PATH: "https://kv.example.net" }),
    /KV_PATH is a KV Connect URL: set DENO_KV_ACCESS_TOKEN/,
  );
  const remote = createConfig({ KV_PATH: "https://kv.example.net", DENO_KV_ACCESS_TOKEN: "t" });
  assert.equal(remote.kvPath, "https://kv.example.net");
});

Deno.test("config: lists, booleans and providers are parsed", () => {
  const config = createConfig({
    ADMIN_USER_IDS: " 1, 22 ,333",
    CORS_ORIGINS: "https://a.example,http://127.0.0.1:3000",
    TRUST_PROXY: "true",
    CRON_ENABLED: "false",
    AI_PROVIDER_2_URL: "http://127.0.0.1:9/v1/",
    AI_PROVIDER_2_MODEL: "m2",
    AI_PROVIDER_1_URL: "https://api.example/v1",
    AI_PROVIDER_1_MODEL: "m1",
    AI_PROVIDER_1_KEY: "sk-secret",
    AI_PROVIDER_1_TIMEOUT_MS: "3000",
  });
  assert.deepEqual(config.adminUserIds, [1, 22, 333]);
  assert.deepEqual(config.corsOrigins, ["https://a.example", "http://127.0.0.1:3000"]);
  assert.equal(config.trustProxy, true);
  assert.equal(config.trustedProxyHops, 1);
  assert.equal(config.cronEnabled, false);
  assert.deepEqual(config.providers, [
    {
      name: "provider1",
      url: "https://api.example/v1",
      key: "sk-secret",
      model: "m1",
      timeoutMs: 3000,
    },
    {
      name: "provider2",
      url: "http://127.0.0.1:9/v1",
      key: undefined,
      model: "m2",
      timeoutMs: 8000,
    },
  ]);
});

Deno.test("config: every bad setting is named at once", () => {
  const problems = problemsOf({
    BOT_API_ROOT: "not a url",
    BOT_MODE: "carrier-pigeon",
    PORT: "80000",
    ADMIN_USER_IDS: "1,bob",
    DEFAULT_LANGUAGE: "de",
    FLOOD_COOLDOWN_SECONDS: "-1",
    MAX_REQUESTS_PER_DAY: "lots",
    TURN_MAX_ATTEMPTS: "0",
    TRUST_PROXY: "yes",
    CORS_ORIGINS: "ftp://x",
    LOG_LEVEL: "loud",
    LOG_FORMAT: "xml",
    AI_PROVIDER_1_URL: "nope",
    AI_PROVIDER_3_URL: "https://x.example",
    AI_PROVIDER_3_TIMEOUT_MS: "5",
  });
  for (
    const name of [
      "BOT_API_ROOT",
      "BOT_MODE",
      "PORT",
      "ADMIN_USER_IDS",
      "DEFAULT_LANGUAGE",
      "FLOOD_COOLDOWN_SECONDS",
      "MAX_REQUESTS_PER_DAY",
      "TURN_MAX_ATTEMPTS",
      "TRUST_PROXY",
      "CORS_ORIGINS",
      "LOG_LEVEL",
      "LOG_FORMAT",
      "AI_PROVIDER_1_URL",
      "AI_PROVIDER_1_MODEL",
      "AI_PROVIDER_3_MODEL",
      "AI_PROVIDER_3_TIMEOUT_MS",
    ]
  ) {
    assert.ok(problems.some((p) => p.startsWith(name)), `${name} should be named in ${problems}`);
  }
});

Deno.test("config: limits and proxy hops have maximums, named with the bound", () => {
  const problems = problemsOf({
    MAX_REQUESTS_PER_DAY: "1000001",
    AI_RATE_LIMIT_REQUESTS: "1000001",
    AI_RATE_LIMIT_WINDOW_SECONDS: "86401",
    API_RATE_LIMIT_REQUESTS: "1000001",
    API_RATE_LIMIT_WINDOW_SECONDS: "86401",
    API_KEY_DAILY_LIMIT: "100000001",
    TRUSTED_PROXY_HOPS: "0",
  });
  assert.deepEqual(problems.sort(), [
    "AI_RATE_LIMIT_REQUESTS must be at most 1000000",
    "AI_RATE_LIMIT_WINDOW_SECONDS must be at most 86400",
    "API_KEY_DAILY_LIMIT must be at most 100000000",
    "API_RATE_LIMIT_REQUESTS must be at most 1000000",
    "API_RATE_LIMIT_WINDOW_SECONDS must be at most 86400",
    "MAX_REQUESTS_PER_DAY must be at most 1000000",
    "TRUSTED_PROXY_HOPS must be at least 1",
  ]);
  const top = createConfig({ MAX_REQUESTS_PER_DAY: "1000000", TRUSTED_PROXY_HOPS: "3" });
  assert.equal(top.maxRequestsPerDay, 1_000_000);
  assert.equal(top.trustedProxyHops, 3);
});

Deno.test("config: webhook mode needs a token, a URL and a well-formed secret", () => {
  const problems = problemsOf({ BOT_MODE: "webhook", WEBHOOK_SECRET: "short" });
  assert.ok(problems.some((p) => p.startsWith("WEBHOOK_SECRET")));
  const missing = problemsOf({ BOT_MODE: "webhook", BOT_TOKEN: "1:abcdefghijklmnopqrstuvwxyz" });
  assert.ok(missing.some((p) => p.includes("WEBHOOK_URL is required")));
  assert.ok(missing.some((p) => p.includes("WEBHOOK_SECRET is required")));
  assert.ok(problemsOf({ BOT_MODE: "polling" }).some((p) => p.includes("needs BOT_TOKEN")));
});

Deno.test("config: secret values never appear in the message", () => {
  const secrets = {
    BOT_TOKEN: "not-a-token-SECRETVALUE1",
    WEBHOOK_SECRET: "bad secret SECRETVALUE2!",
    ADMIN_API_TOKEN: "SECRET3",
    AI_PROVIDER_1_KEY: "SECRETVALUE4",
    AI_PROVIDER_1_URL: "SECRETVALUE5",
  };
  try {
    createConfig(secrets);
    assert.fail("expected a ConfigError");
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    for (const value of Object.values(secrets)) assert.ok(!err.message.includes(value), value);
    assert.match(err.message, /BOT_TOKEN/);
    assert.match(err.message, /WEBHOOK_SECRET/);
    assert.match(err.message, /ADMIN_API_TOKEN/);
  }
});

Deno.test("config: ADMIN_API_TOKEN must be something a bearer header can carry", () => {
  const refused = [
    "with a space in the middle 0123",
    "x".repeat(513),
    "short-token",
    "tab\tseparated-token-0123456",
    "кириллица-токен-0123456789",
  ];
  for (const token of refused) {
    const problems = problemsOf({ ADMIN_API_TOKEN: token });
    assert.equal(problems.length, 1, token);
    assert.match(problems[0], /ADMIN_API_TOKEN.*16–512 printable ASCII characters without spaces/);
  }
  for (const token of ["rvx_admin_0123456789abcdef", "x".repeat(512), "!#$%&'()*+,-./0123456789"]) {
    assert.equal(createConfig({ ADMIN_API_TOKEN: token }).adminApiToken, token);
  }
});

Deno.test("config: .env files parse comments, quotes and export", () => {
  const env = parseDotEnv(
    "# settings\nexport PORT=8080\nLOG_LEVEL=\"debug\"\nHOST=0.0.0.0 # all\nEMPTY=\nnot a line\nQ='a b'\n",
  );
  assert.deepEqual(env, { PORT: "8080", LOG_LEVEL: "debug", HOST: "0.0.0.0", EMPTY: "", Q: "a b" });
  assert.equal(createConfig(env).port, 8080);
});
