import assert from "node:assert/strict";
import { apiHarness, envelope } from "./support.ts";

const ROUTES = [
  "GET /health",
  "GET /metrics",
  "GET /api/v1/metrics",
  "POST /api/v1/analyze",
  "GET /api/v1/stats",
  "GET /api/v1/users/{id}",
  "GET /api/v1/audit",
  "POST /api/v1/keys",
  "GET /api/v1/keys",
  "DELETE /api/v1/keys/{id}",
  "GET /api/v1/backups",
  "GET /api/v1/backups/{name}/download",
  "POST /api/v1/backups",
  "POST /api/v1/backups/{name}/restore",
  "GET /api/v1/dead_letters",
  "GET /api/v1/dead_letters/{id}",
  "POST /api/v1/dead_letters/{id}/retry",
  "DELETE /api/v1/dead_letters/{id}",
  "POST /api/v1/dead_letters/retry",
  "POST /api/v1/dead_letters/discard",
  "GET /openapi.json",
  "GET /docs",
];

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);

// deno-lint-ignore no-explicit-any
type Json = any;

/** Structural OpenAPI 3.x checks: the parts tools rely on. */
function assertOpenApi3(doc: Json): void {
  assert.match(doc.openapi, /^3\.\d+\.\d+$/);
  assert.equal(typeof doc.info?.title, "string");
  assert.equal(typeof doc.info?.version, "string");
  assert.equal(typeof doc.paths, "object");
  const refs: string[] = [];
  JSON.stringify(doc, (key, value) => {
    if (key === "$ref") refs.push(value);
    return value;
  });
  for (const ref of refs) {
    const match = /^#\/components\/(\w+)\/(.+)$/.exec(ref);
    assert.ok(match && doc.components?.[match[1]]?.[match[2]], `unresolved ${ref}`);
  }
  const schemes = doc.components?.securitySchemes ?? {};
  for (const [path, item] of Object.entries<Json>(doc.paths)) {
    assert.ok(path.startsWith("/"), path);
    for (const [method, op] of Object.entries<Json>(item)) {
      assert.ok(METHODS.has(method), `${path}: ${method}`);
      const statuses = Object.keys(op.responses ?? {});
      assert.ok(statuses.length > 0, `${method} ${path} has no responses`);
      for (const status of statuses) {
        assert.match(status, /^([1-5]\d\d|default)$/);
        assert.equal(typeof op.responses[status].description, "string");
      }
      const params: Json[] = op.parameters ?? [];
      for (const p of params) {
        assert.ok(["query", "path", "header", "cookie"].includes(p.in), `${path} ${p.name}`);
        assert.equal(typeof p.name, "string");
        if (p.in === "path") assert.equal(p.required, true);
      }
      for (const name of path.matchAll(/\{(\w+)\}/g)) {
        assert.ok(params.some((p) => p.in === "path" && p.name === name[1]), `${path}: ${name[1]}`);
      }
      for (const requirement of op.security ?? []) {
        for (const scheme of Object.keys(requirement)) assert.ok(schemes[scheme], scheme);
      }
      if (op.requestBody) assert.ok(op.requestBody.content["application/json"].schema);
    }
  }
}

Deno.test("openapi: /openapi.json is an OpenAPI 3 document listing every route, not a BotResponse", async () => {
  await using api = await apiHarness();
  const res = await api.app.request("/openapi.json");
  assert.equal(res.status, 200);
  const doc = await res.json();
  assert.equal(doc.success, undefined);
  assertOpenApi3(doc);
  const listed = Object.entries<Json>(doc.paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)
  );
  assert.deepEqual([...listed].sort(), [...ROUTES].sort());
  // And every route the app serves is in the document.
  const served = new Set(
    api.app.routes.filter((r) => r.method !== "ALL")
      .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, "{$1}")}`),
  );
  assert.deepEqual([...served].sort(), [...ROUTES].sort());
  const analyze = doc.paths["/api/v1/analyze"].post;
  assert.deepEqual(analyze.security, [{ apiKey: [] }]);
  const body = analyze.requestBody.content["application/json"].schema;
  const schema = body.$ref ? doc.components.schemas[body.$ref.split("/").pop()] : body;
  assert.deepEqual(schema.required, ["text"]);
  assert.equal(schema.properties.text.minLength, 10);
  assert.equal(schema.properties.text.maxLength, 4096);
  assert.ok(analyze.responses["429"]);
  assert.deepEqual(doc.paths["/api/v1/stats"].get.security, [{ adminToken: [] }]);
  assert.deepEqual(doc.paths["/health"].get.security, []);
  const audit = doc.paths["/api/v1/audit"].get.parameters.map((p: Json) => p.name);
  assert.deepEqual(audit.sort(), ["action", "limit", "since", "user_id"]);
});

Deno.test("openapi: /docs is a self-contained page with every route and no external URL", async () => {
  await using api = await apiHarness();
  const res = await api.app.request("/docs");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("Content-Type") ?? "", /^text\/html/);
  assert.match(res.headers.get("Content-Security-Policy") ?? "", /default-src 'none'/);
  assert.doesNotMatch(res.headers.get("Content-Security-Policy") ?? "", /script-src/);
  // The only link is the empty icon that keeps the browser from asking for /favicon.ico.
  const html = (await res.text()).replace(/<link rel="icon" href="data:,"\/?>/, "");
  assert.doesNotMatch(html, /https?:|\/\/[a-z]|<script|<link|@import|url\(/i);
  for (const route of ROUTES) {
    const [method, path] = route.split(" ");
    assert.ok(html.includes(`>${method}</span> <code>${path}</code>`), route);
  }
  assert.match(html, /VALIDATION_ERROR_/);
});

Deno.test("openapi: the docs routes are public and the document is stable across requests", async () => {
  await using api = await apiHarness({ adminToken: null });
  const first = await (await api.app.request("/openapi.json")).text();
  const second = await (await api.app.request("/openapi.json")).text();
  assert.equal(first, second);
  const head = await api.app.request("/docs", { method: "HEAD" });
  assert.equal(head.status, 200);
  await head.body?.cancel();
  const envelopeCheck = await api.app.request("/openapi.json", { method: "DELETE" });
  assert.equal((await envelope(envelopeCheck)).error_code, "METHOD_NOT_ALLOWED");
});
