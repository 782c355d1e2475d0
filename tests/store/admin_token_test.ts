import assert from "node:assert/strict";
import { ensureAdminToken, readAdminToken } from "../../src/store/admin_token.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

Deno.test("admin token: the setting wins and nothing is stored", async () => {
  using store = await memoryStore();
  const result = await ensureAdminToken(store, {
    adminApiToken: "configured-token-123456",
    onDeploy: false,
  });
  assert.deepEqual(result, {
    token: "configured-token-123456",
    generated: false,
    source: "config",
  });
  assert.equal(await readAdminToken(store), null);
});

Deno.test("admin token: on Deploy without the setting admin routes stay disabled", async () => {
  using store = await memoryStore();
  const result = await ensureAdminToken(store, { onDeploy: true });
  assert.deepEqual(result, { token: null, generated: false, source: "disabled" });
  assert.equal(await readAdminToken(store), null);
});

Deno.test("admin token: generated once and shared by every process on the same KV", async () => {
  await using tmp = await tempKvPath();
  const a = await fileStore(tmp.path);
  const b = await fileStore(tmp.path);
  const [first, second] = await Promise.all([
    ensureAdminToken(a, { onDeploy: false }),
    ensureAdminToken(b, { onDeploy: false }),
  ]);
  assert.equal(first.token, second.token);
  assert.match(first.token!, /^rvx_admin_[A-Za-z0-9_-]{43}$/);
  assert.equal([first.generated, second.generated].filter(Boolean).length, 1);
  const again = await ensureAdminToken(a, { onDeploy: false });
  assert.deepEqual(again, { token: first.token, generated: false, source: "kv" });
  a.close();
  b.close();
});
