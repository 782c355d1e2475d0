import assert from "node:assert/strict";
import * as apiKeys from "../../src/store/api_keys.ts";
import { dataPrefix } from "../../src/store/keys.ts";
import { memoryStore } from "../support/store.ts";

Deno.test("api keys: only a SHA-256 hash is stored, never the key", async () => {
  using store = await memoryStore();
  const { key, view } = await apiKeys.create(store, { name: "ci", owner: "ops" }, 1_000, {
    via: "test",
  });
  assert.ok(key.startsWith(apiKeys.API_KEY_PREFIX));
  assert.ok(apiKeys.looksLikeApiKey(key));
  const stored = await Array.fromAsync(store.kv.list({ prefix: dataPrefix(1) }));
  const dump = JSON.stringify(stored, (_, v) => typeof v === "bigint" ? String(v) : v);
  assert.ok(!dump.includes(key));
  assert.ok(dump.includes(await apiKeys.hashApiKey(key)));
  assert.equal((await apiKeys.verify(store, key))?.id, view.id);
});

Deno.test("api keys: verify refuses unknown, malformed and revoked keys", async () => {
  using store = await memoryStore();
  const { key, view } = await apiKeys.create(store, { name: "a", owner: "b" }, 1_000, {
    via: "test",
  });
  assert.equal(await apiKeys.verify(store, `rvx_${"x".repeat(43)}`), null);
  assert.equal(await apiKeys.verify(store, key.slice(0, -1)), null);
  assert.equal(await apiKeys.verify(store, ""), null);
  assert.equal((await apiKeys.revoke(store, view.id, 2_000, { via: "test" }))?.status, "revoked");
  assert.equal(await apiKeys.verify(store, key), null);
  assert.equal(await apiKeys.revoke(store, "nope", 3_000, { via: "test" }), null);
});

Deno.test("api keys: touch counts uses and sets the last-used time", async () => {
  using store = await memoryStore();
  const { view } = await apiKeys.create(store, { name: "a", owner: "b" }, 1_000, { via: "test" });
  await Promise.all([1, 2, 3].map((i) => apiKeys.touch(store, view.id, 1_000 + i)));
  const [listed] = await apiKeys.list(store);
  assert.equal(listed.request_count, 3);
  assert.ok(listed.last_used_at);
  assert.equal(Object.hasOwn(listed, "hash"), false);
});
