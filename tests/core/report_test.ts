import assert from "node:assert/strict";
import { FakeClock } from "../../src/core/clock.ts";
import { DatabaseError, ValidationError } from "../../src/core/errors.ts";
import { createErrorReporter } from "../../src/core/report.ts";
import { configureLogging } from "../../src/log.ts";
import * as audit from "../../src/store/audit.ts";
import * as counters from "../../src/store/counters.ts";
import { commitTx } from "../../src/store/kv.ts";
import { memoryStore } from "../support/store.ts";

async function setUp() {
  const store = await memoryStore();
  const clock = new FakeClock(0);
  const metrics = new counters.KvMetricsSink(store, { clock });
  const reportError = createErrorReporter({ audit: new audit.KvAuditSink(store, clock), metrics });
  const lines: string[] = [];
  await configureLogging({ level: "debug", format: "json", write: (l) => lines.push(l) });
  return { store, metrics, reportError, lines };
}

Deno.test("report: an error is logged with its code, audited and counted by level and class", async () => {
  const { store, metrics, reportError, lines } = await setUp();
  const appError = await reportError(new DatabaseError("disk on fire"), "turn", 42);
  await metrics.flush();
  assert.equal(appError.code, "DB_ERROR");
  const logged = JSON.parse(lines.find((l) => l.includes("DB_ERROR"))!);
  assert.equal(logged.level, "ERROR");
  assert.equal(logged.operation, "turn");
  // The rendered line, not the bare error text: a property must not shadow the message field.
  assert.equal(logged.message, "turn failed: DB_ERROR disk on fire");
  const [row] = await audit.query(store, { userId: 42 });
  assert.equal(row.action, "error");
  assert.equal(row.command, "turn");
  assert.match(row.error_message!, /^DB_ERROR: /);
  assert.equal(await counters.get(store, "errors_error"), 1);
  assert.equal(await counters.get(store, "errors_db"), 1);
  store.close();
});

Deno.test("report: a warning is logged and counted but not audited", async () => {
  const { store, metrics, reportError, lines } = await setUp();
  await reportError(new ValidationError("text", "too short"), "analyze");
  await metrics.flush();
  assert.equal(JSON.parse(lines.find((l) => l.includes("VALIDATION_ERROR_TEXT"))!).level, "WARN");
  assert.deepEqual(await audit.query(store), []);
  assert.equal(await counters.get(store, "errors_warning"), 1);
  store.close();
});

Deno.test("report: given a tx it stages the audit row and counts instead of writing", async () => {
  const { store, metrics, reportError } = await setUp();
  const tx = store.tx();
  const appError = await reportError(new Error("unexpected"), "feature", 7, tx);
  assert.equal(appError.level, "critical");
  await metrics.flush();
  assert.deepEqual(await audit.query(store), []);
  await commitTx(store, tx);
  assert.equal((await audit.query(store, { userId: 7 })).length, 1);
  assert.equal(await counters.get(store, "errors_critical"), 1);
  store.close();
});

Deno.test("report: a failing sink never turns reporting into a crash", async () => {
  const { store, reportError } = await setUp();
  store.injectFault("throwing");
  const appError = await reportError(new Error("first failure"), "job");
  assert.equal(appError.code, "UNKNOWN_ERROR");
  store.close();
});
