import assert from "node:assert/strict";
import { constantTimeEqual } from "../../src/api/middleware/tokens.ts";
import { fileStore, tempKvPath } from "../support/store.ts";
import { ADMIN_TOKEN, apiHarness, bearer, envelope, json } from "./support.ts";

const ADMIN_ROUTES: [string, string, RequestInit?][] = [
  ["GET", "/metrics"],
  ["GET", "/api/v1/metrics"],
  ["GET", "/api/v1/stats"],
  ["GET", "/api/v1/users/42"],
  ["GET", "/api/v1/audit"],
  ["GET", "/api/v1/keys"],
  ["POST", "/api/v1/keys", json({ name: "x", owner: "y" })],
  ["DELETE", "/api/v1/keys/0000000000000abcdefg"],
];

Deno.test("auth: admin routes refuse a missing or wrong token with 401 and accept the right one", async () => {
  await using api = await apiHarness();
  for (const [method, path, init] of ADMIN_ROUTES) {
    const missing = await api.app.request(path, { ...init, method });
    assert.equal(missing.status, 401, `${method} ${path} without a token`);
    assert.equal((await envelope(missing)).error_code, "UNAUTHORIZED");
    assert.match(missing.headers.get("WWW-Authenticate") ?? "", /^Bearer/);
    for (
      const header of [`Bearer ${ADMIN_TOKEN}x`, "Bearer wrong", `Basic ${ADMIN_TOKEN}`, "Bearer"]
    ) {
      const wrong = await api.app.request(path, {
        ...init,
        method,
        headers: { ...Object.fromEntries(new Headers(init?.headers)), Authorization: header },
      });
      assert.equal(wrong.status, 401, `${method} ${path} with ${header}`);
      assert.equal((await envelope(wrong)).error_code, "UNAUTHORIZED");
    }
    const right = await api.admin(path, { ...init, method });
    assert.ok([200, 201, 404].includes(right.status), `${method} ${path}: ${right.status}`);
    await right.body?.cancel();
  }
});

Deno.test("auth: without an admin token (Deploy, no ADMIN_API_TOKEN) admin routes answer 503 UNAVAILABLE", async () => {
  await using api = await apiHarness({ adminToken: null });
  for (const [method, path, init] of ADMIN_ROUTES) {
    const res = await api.app.request(path, {
      ...init,
      method,
      headers: { ...Object.fromEntries(new Headers(init?.headers)), ...bearer(ADMIN_TOKEN) },
    });
    assert.equal(res.status, 503, `${method} ${path}`);
    const body = await envelope(res);
    assert.equal(body.error_code, "UNAVAILABLE");
    assert.match(body.error, /ADMIN_API_TOKEN/);
  }
  assert.equal((await api.app.request("/health")).status, 200);
});

Deno.test("auth: analyze needs an API key: missing or wrong 401, the admin token 403, a key 200", async () => {
  await using api = await apiHarness();
  const body = { text: "Bitcoin rose 5% after ETF inflows hit a record." };
  const missing = await api.app.request("/api/v1/analyze", json(body));
  assert.equal(missing.status, 401);
  assert.equal((await envelope(missing)).error_code, "UNAUTHORIZED");
  const fake = `rvx_${"A".repeat(43)}`;
  for (const token of [fake, "rvx_short", "garbage"]) {
    const wrong = await api.app.request("/api/v1/analyze", json(body, { headers: bearer(token) }));
    assert.equal(wrong.status, 401, token);
    await wrong.body?.cancel();
  }
  const admin = await api.admin("/api/v1/analyze", json(body));
  assert.equal(admin.status, 403);
  assert.equal((await envelope(admin)).error_code, "FORBIDDEN");
  const { key } = await api.createKey();
  const ok = await api.app.request("/api/v1/analyze", json(body, { headers: bearer(key) }));
  assert.equal(ok.status, 200);
  assert.equal((await envelope(ok)).status, "ok");
});

Deno.test("auth: an API key on an admin route is 403 FORBIDDEN", async () => {
  await using api = await apiHarness();
  const { key } = await api.createKey();
  const res = await api.app.request("/api/v1/keys", { headers: bearer(key) });
  assert.equal(res.status, 403);
  assert.equal((await envelope(res)).error_code, "FORBIDDEN");
});

Deno.test("auth: a revoked key is refused at once by every app instance on the same KV", async () => {
  await using tmp = await tempKvPath();
  const storeA = await fileStore(tmp.path);
  const storeB = await fileStore(tmp.path);
  await using a = await apiHarness({ store: storeA });
  await using b = await apiHarness({ store: storeB });
  const { id, key } = await a.createKey();
  const body = json({ text: "Ethereum fees fell to a two-year low this week." }, {
    headers: bearer(key),
  });
  assert.equal((await b.app.request("/api/v1/analyze", body)).status, 200);
  const revoked = await a.admin(`/api/v1/keys/${id}`, { method: "DELETE" });
  assert.equal(revoked.status, 200);
  const view = (await envelope(revoked)).data;
  assert.equal(view.status, "revoked");
  assert.ok(view.revoked_at);
  for (const app of [a.app, b.app]) {
    const res = await app.request(
      "/api/v1/analyze",
      json({ text: "Ethereum fees fell again." }, {
        headers: bearer(key),
      }),
    );
    assert.equal(res.status, 401);
    assert.equal((await envelope(res)).error_code, "UNAUTHORIZED");
  }
  storeA.close();
  storeB.close();
});

Deno.test("auth: constantTimeEqual compares secrets of any length", () => {
  assert.equal(constantTimeEqual("abc", "abc"), true);
  assert.equal(constantTimeEqual("abc", "abd"), false);
  assert.equal(constantTimeEqual("abc", "abcd"), false);
  assert.equal(constantTimeEqual("", ""), true);
});
