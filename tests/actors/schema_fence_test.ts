import assert from "node:assert/strict";
import { readInbox } from "../../src/actors/inbox.ts";
import { webhookRoutes } from "../../src/api/routes/webhook.ts";
import { healthCheck, healthProbe } from "../../src/api/routes/health_check.ts";
import { requestContext } from "../../src/api/middleware/request_context.ts";
import { type ApiEnv } from "../../src/api/env.ts";
import { FakeClock } from "../../src/core/clock.ts";
import * as counters from "../../src/store/counters.ts";
import { metaKeys } from "../../src/store/keys.ts";
import { type Store } from "../../src/store/kv.ts";
import { SCHEMA_VERSION } from "../../src/store/migrations.ts";
import { SchemaFence, SchemaFenceError } from "../../src/store/schema_fence.ts";
import { readSession } from "../../src/store/sessions.ts";
import { Hono } from "hono";
import { createRuntime, textUpdate } from "../support/runtime.ts";
import { collectLogs } from "../support/logs.ts";
import { fileStore, tempKvPath } from "../support/store.ts";

const SECRET = "fence_test_secret_0123456789";

/** `/health` and the webhook of a process on `store`, as the first phase serves them. */
function routes(
  store: Store,
  clock: FakeClock,
  inbox: Parameters<typeof webhookRoutes>[0]["inbox"],
) {
  const app = new Hono<ApiEnv>();
  app.use(requestContext(clock, { clientIp: { trustProxy: false } }));
  app.get("/health", healthCheck(clock, healthProbe({ store, clock, startedAt: 0, version: "t" })));
  app.route("/", webhookRoutes({ inbox, secret: SECRET, clock }));
  return {
    health: () => app.request("/health"),
    deliver: (update: unknown) =>
      app.request("/telegram/webhook", {
        method: "POST",
        headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
        body: JSON.stringify(update),
      }),
  };
}

Deno.test("schema fence: once a newer version's migration moves the KV, the old process commits nothing more, says why once, and answers 503", async () => {
  await using tmp = await tempKvPath();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const old = await fileStore(tmp.path);
  old.fence = await SchemaFence.open(old, clock);
  let release: () => void = () => {};
  let started: () => void = () => {};
  const blocked = new Promise<void>((r) => started = r);
  const handled: number[] = [];
  const runtime = createRuntime({
    store: old,
    clock,
    owner: "old",
    handle: async (turn) => {
      handled.push(turn.update.update_id);
      counters.add(turn.tx, "effects");
      if (turn.update.update_id === 2) {
        started();
        await new Promise<void>((r) => release = r);
      }
    },
  });
  const http = routes(old, clock, runtime.inbox);
  const newer = await fileStore(tmp.path);
  let blockedTurn: Response | undefined;
  const logs = await collectLogs(async () => {
    assert.equal((await http.deliver(textUpdate(1, 7))).status, 200);
    await runtime.supervisor.whenIdle();
    assert.equal(await counters.get(old, "effects"), 1);

    // A turn is running when the newer version's migration rewrites the schema record.
    assert.equal((await http.deliver(textUpdate(2, 8))).status, 200);
    await blocked;
    await newer.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION + 1);
    release();
    await runtime.supervisor.whenIdle();
    // Later updates are refused before anything is written, so Telegram redelivers them.
    blockedTurn = await http.deliver(textUpdate(3, 9));
    await assert.rejects(
      runtime.inbox.ingest([textUpdate(4, 9)]),
      (e) => e instanceof SchemaFenceError && e.code === "SCHEMA_CHANGED",
    );
  });
  assert.equal(blockedTurn!.status, 503);
  const refused = await blockedTurn!.json();
  assert.equal(refused.error_code, "SCHEMA_CHANGED");
  assert.match(refused.error, /schema 4.*deploy the new version/);

  assert.equal(old.fence.status, "stopped");
  assert.deepEqual(handled, [1, 2], "no turn ran after the fence closed");
  assert.equal(await counters.get(newer, "effects"), 1, "the fenced turn committed nothing");
  assert.equal((await readSession(newer, "u:8", clock.now())).status, "absent");
  assert.deepEqual(
    (await readInbox(newer, "u:8", 10)).map((r) => r.entry.update_id),
    [2],
    "the update acknowledged before the fence closed is still queued for the newer process",
  );
  assert.deepEqual(await readInbox(newer, "u:9", 10), [], "refused updates were not queued");

  const stops = logs.filter((l) => l.code === "SCHEMA_CHANGED");
  assert.equal(stops.length, 1, "said once why it stops");
  assert.equal(stops[0].level, "FATAL");
  assert.match(
    String(stops[0].message),
    new RegExp(
      `schema ${SCHEMA_VERSION + 1}.*runs schema ${SCHEMA_VERSION}.*deploy the new version`,
    ),
  );
  assert.equal(logs.filter((l) => l.level === "ERROR").length, 0, "and nothing else errs");

  const health = await http.health();
  assert.equal(health.status, 503);
  const body = await health.json();
  assert.equal(body.error_code, "SCHEMA_CHANGED");
  assert.equal(body.data.schema.status, "stopped");
  assert.equal(body.data.schema.stored, SCHEMA_VERSION + 1);

  // A process of the newer version takes the queued update over once the old lease lapses.
  const done: number[] = [];
  newer.fence = await SchemaFence.open(newer, clock, SCHEMA_VERSION + 1);
  const next = createRuntime({
    store: newer,
    clock,
    owner: "newer",
    handle: (turn) => {
      done.push(turn.update.update_id);
      return Promise.resolve();
    },
  });
  await clock.advance(30_001);
  await next.supervisor.sweepInboxes();
  await next.supervisor.whenIdle();
  assert.deepEqual(done, [2]);
  await runtime.supervisor.stop();
  await next.supervisor.stop();
  old.close();
  newer.close();
});

Deno.test("schema fence: an idle old process learns of the migration from /health, before any commit", async () => {
  await using tmp = await tempKvPath();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const old = await fileStore(tmp.path);
  old.fence = await SchemaFence.open(old, clock);
  const runtime = createRuntime({ store: old, clock, handle: () => Promise.resolve() });
  const http = routes(old, clock, runtime.inbox);
  assert.equal((await http.health()).status, 200);
  const newer = await fileStore(tmp.path);
  await newer.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION + 1);
  await clock.advance(1000);
  const logs = await collectLogs(async () => {
    assert.equal((await http.health()).status, 503);
  });
  assert.equal(logs.filter((l) => l.code === "SCHEMA_CHANGED").length, 1);
  assert.equal(old.fence.status, "stopped");
  await runtime.supervisor.stop();
  old.close();
  newer.close();
});

Deno.test("schema fence: a stopped process says why once, not again every time it would write its tally", async () => {
  await using tmp = await tempKvPath();
  const clock = new FakeClock(Date.UTC(2026, 0, 1));
  const old = await fileStore(tmp.path);
  old.fence = await SchemaFence.open(old, clock);
  const runtime = createRuntime({ store: old, clock, handle: () => Promise.resolve() });
  const newer = await fileStore(tmp.path);
  const logs = await collectLogs(async () => {
    await newer.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION + 1);
    await assert.rejects(runtime.inbox.ingest([textUpdate(1, 7)]), SchemaFenceError);
    // Requests keep counting (a load balancer's probes) for the minutes until it is replaced.
    for (let i = 0; i < 12; i++) {
      runtime.metrics.count("http_requests");
      await clock.advance(10_000);
    }
  });
  assert.equal(old.fence.status, "stopped");
  assert.equal(logs.filter((l) => l.code === "SCHEMA_CHANGED").length, 1);
  assert.deepEqual(
    logs.filter((l) => l.code === "TALLY_FLUSH_FAILED").map((l) => l.message),
    [],
    "the fence's line is the only one",
  );
  await runtime.supervisor.stop();
  old.close();
  newer.close();
});
