import assert from "node:assert/strict";
import { apiHarness, bearer, envelope, json } from "./support.ts";

Deno.test("keys: created keys are shown once, listed without the key, and counted when used", async () => {
  await using api = await apiHarness();
  const created = await api.admin("/api/v1/keys", json({ name: " ci ", owner: "ops@example.com" }));
  assert.equal(created.status, 201);
  assert.equal(created.headers.get("Cache-Control"), "no-store");
  const data = (await envelope(created)).data;
  assert.match(data.key, /^rvx_[A-Za-z0-9_-]{43}$/);
  assert.equal(data.name, "ci");
  assert.equal(data.status, "active");
  assert.equal(data.request_count, 0);
  const key: string = data.key;
  for (let i = 0; i < 2; i++) {
    const res = await api.app.request(
      "/api/v1/analyze",
      json({ text: "Solana had a five-hour outage." }, {
        headers: bearer(key),
      }),
    );
    assert.equal(res.status, 200);
    await res.body?.cancel();
  }
  const listed = await api.admin("/api/v1/keys");
  assert.equal(listed.status, 200);
  const raw = await listed.text();
  assert.ok(!raw.includes(key), "the list contains the key");
  assert.ok(!raw.includes(key.slice(4, 20)), "the list contains part of the key");
  assert.ok(!raw.includes('"hash"'), "the list contains the hash");
  const keys = JSON.parse(raw).data.keys;
  assert.equal(keys.length, 1);
  assert.equal(keys[0].id, data.id);
  assert.equal(keys[0].request_count, 2);
  assert.equal(keys[0].last_used_at, new Date(api.clock.now()).toISOString());
  assert.equal(keys[0].owner, "ops@example.com");
});

Deno.test("keys: revoking an unknown id is 404; revoking twice keeps the first revocation", async () => {
  await using api = await apiHarness();
  const missing = await api.admin("/api/v1/keys/0000000000000abcdefg", { method: "DELETE" });
  assert.equal(missing.status, 404);
  assert.equal((await envelope(missing)).error_code, "NOT_FOUND");
  const bad = await api.admin("/api/v1/keys/..%2F..%2Fetc", { method: "DELETE" });
  assert.equal(bad.status, 400);
  assert.equal((await envelope(bad)).error_code, "VALIDATION_ERROR_ID");
  const { id } = await api.createKey();
  const first = (await envelope(await api.admin(`/api/v1/keys/${id}`, { method: "DELETE" }))).data;
  await api.clock.advance(60_000);
  const second = (await envelope(await api.admin(`/api/v1/keys/${id}`, { method: "DELETE" }))).data;
  assert.equal(second.revoked_at, first.revoked_at);
  const list = (await envelope(await api.admin("/api/v1/keys"))).data.keys;
  assert.equal(list[0].status, "revoked");
});

Deno.test("keys: creating and revoking keys are audited without the key", async () => {
  await using api = await apiHarness();
  const { id, key } = await api.createKey("audited");
  await api.admin(`/api/v1/keys/${id}`, { method: "DELETE" });
  const res = await api.admin("/api/v1/audit");
  const raw = await res.text();
  assert.ok(!raw.includes(key));
  const rows = JSON.parse(raw).data.rows;
  assert.deepEqual(rows.map((r: { action: string }) => r.action), [
    "api_key_revoke",
    "api_key_create",
  ]);
  assert.equal(rows[0].parameters.id, id);
});
