import assert from "node:assert/strict";
import { error, ok, warning } from "../../src/core/response.ts";

const KEYS = [
  "data",
  "error",
  "error_code",
  "processing_time_ms",
  "request_id",
  "status",
  "success",
  "timestamp",
];

Deno.test("response: ok has every key, ISO UTC time and processing time", () => {
  const body = ok({ a: 1 }, { requestId: "r1", startedAt: 1000, now: 1012.5 });
  assert.deepEqual(Object.keys(body).sort(), KEYS);
  assert.equal(body.success, true);
  assert.equal(body.status, "ok");
  assert.deepEqual(body.data, { a: 1 });
  assert.equal(body.error, null);
  assert.equal(body.error_code, null);
  assert.equal(body.request_id, "r1");
  assert.equal(body.processing_time_ms, 12.5);
  assert.equal(body.timestamp, "1970-01-01T00:00:01.012Z");
});

Deno.test("response: error and warning keep every key with nulls where empty", () => {
  const failed = error("Not found", "NOT_FOUND");
  assert.deepEqual(Object.keys(failed).sort(), KEYS);
  assert.equal(failed.success, false);
  assert.equal(failed.status, "error");
  assert.equal(failed.data, null);
  assert.equal(failed.request_id, null);
  assert.equal(failed.error_code, "NOT_FOUND");
  assert.match(failed.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const partial = warning({ x: 1 }, "Answered offline", "OFFLINE");
  assert.equal(partial.success, true);
  assert.equal(partial.status, "warning");
  assert.equal(partial.error, "Answered offline");
  assert.equal(partial.error_code, "OFFLINE");
  assert.deepEqual(JSON.parse(JSON.stringify(partial)), partial);
});
