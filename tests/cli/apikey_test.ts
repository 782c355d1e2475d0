import assert from "node:assert/strict";
import { runApiKeyCli } from "../../src/cli/apikey.ts";
import { FakeClock } from "../../src/core/clock.ts";
import * as apiKeys from "../../src/store/api_keys.ts";
import { ensureAdminToken } from "../../src/store/admin_token.ts";
import { memoryStore } from "../support/store.ts";
import { collector } from "../support/cli_io.ts";

Deno.test("apikey cli: create prints the key once; list never shows it; revoke refuses it", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const created = collector();
  assert.equal(
    await runApiKeyCli(["create", "ci", "ops@example.com"], { store, clock, io: created.io }),
    0,
  );
  const key = created.out.find((line) => line.startsWith("rvx_"))!;
  assert.ok(apiKeys.looksLikeApiKey(key));
  const record = await apiKeys.verify(store, key);
  assert.ok(record);
  const listed = collector();
  assert.equal(await runApiKeyCli(["list"], { store, clock, io: listed.io }), 0);
  assert.ok(listed.out.some((line) => line.includes(record.id) && line.includes("active")));
  assert.ok(!listed.out.join("\n").includes(key));
  const revoked = collector();
  assert.equal(await runApiKeyCli(["revoke", record.id], { store, clock, io: revoked.io }), 0);
  assert.equal(await apiKeys.verify(store, key), null);
  const missing = collector();
  assert.equal(await runApiKeyCli(["revoke", "nope"], { store, clock, io: missing.io }), 1);
});

Deno.test("apikey cli: usage errors exit 2; admin-token prints the generated token", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  for (const args of [[], ["create", "only-name"], ["revoke"], ["frobnicate"]]) {
    const run = collector();
    assert.equal(await runApiKeyCli(args, { store, clock, io: run.io }), 2, args.join(" "));
    assert.ok(run.err.length > 0);
  }
  const none = collector();
  assert.equal(await runApiKeyCli(["admin-token"], { store, clock, io: none.io }), 1);
  const { token } = await ensureAdminToken(store, { onDeploy: false });
  const shown = collector();
  assert.equal(await runApiKeyCli(["admin-token"], { store, clock, io: shown.io }), 0);
  assert.deepEqual(shown.out, [token]);
});

Deno.test("apikey cli: list keeps a space between columns when a name is wider than its column", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const name = "nightly-exports-for-the-finance-team";
  assert.equal(
    await runApiKeyCli(["create", name, "ops@example.com"], { store, clock, io: collector().io }),
    0,
  );
  const listed = collector();
  assert.equal(await runApiKeyCli(["list"], { store, clock, io: listed.io }), 0);
  assert.ok(
    listed.out.some((line) => line.includes(`${name} ops@example.com`)),
    listed.out.join("\n"),
  );
});
