import assert from "node:assert/strict";
import {
  PREFIX_ERASED_FAMILIES,
  RUNTIME_USER_FAMILIES,
  stageEraseBatch,
} from "../../src/store/erase.ts";
import { DATA_FAMILIES, FAMILY_OWNERS, runtimeKeys } from "../../src/store/keys.ts";
import { commitTx } from "../../src/store/kv.ts";
import { QUOTA_SCOPE_OWNERS } from "../../src/store/quotas.ts";
import { memoryStore } from "../support/store.ts";
import { FEATURE_FAMILIES } from "../support/features.ts";

Deno.test("erase: every per-user record family is covered by a feature's declaration or the runtime", () => {
  const byFeatures = new Set(FEATURE_FAMILIES.map((f) => f.family));
  const byRuntime = new Set(Object.keys(RUNTIME_USER_FAMILIES));
  const perUser = DATA_FAMILIES.filter((family) => FAMILY_OWNERS[family] === "user");
  const uncovered = perUser.filter((family) => !byFeatures.has(family) && !byRuntime.has(family));
  assert.deepEqual(uncovered, [], "per-user families nobody owns or erases");
  // What /forget erases by prefix is exactly what features own.
  assert.deepEqual(new Set(PREFIX_ERASED_FAMILIES), byFeatures);
  for (const family of byFeatures) {
    assert.equal(FAMILY_OWNERS[family], "user", `${family} is declared by a feature as per-user`);
    assert.ok(!byRuntime.has(family), `${family} is erased twice`);
  }
});

Deno.test("export: every feature's per-user family has an export section or says why it has none", () => {
  for (const family of FEATURE_FAMILIES) {
    if (typeof family.export === "function") continue;
    assert.ok(family.export.omitted.length > 10, `${family.family} says why it is not exported`);
  }
});

Deno.test("erase: /forget removes every per-user window and no other, and a local chat's transcript", async () => {
  using store = await memoryStore();
  const now = Date.UTC(2026, 0, 5);
  const scopes = Object.keys(QUOTA_SCOPE_OWNERS) as (keyof typeof QUOTA_SCOPE_OWNERS)[];
  const tx = store.tx();
  for (const scope of scopes) tx.set(runtimeKeys.limit(scope, "42"), { hits: 1 });
  tx.set(runtimeKeys.localChat(42), { messages: [{ text: "my news" }] });
  tx.set(runtimeKeys.localChat(43), { messages: [{ text: "someone else's" }] });
  await commitTx(store, tx);
  let cursor = { step: 0 };
  for (let batch = 0; batch < 50; batch++) {
    const erase = store.tx();
    const result = await stageEraseBatch(store, erase, 42, cursor, now);
    await commitTx(store, erase);
    if (result.done) break;
    cursor = result.cursor;
  }
  for (const scope of scopes) {
    const left = (await store.kv.get(runtimeKeys.limit(scope, "42"))).value !== null;
    assert.equal(left, QUOTA_SCOPE_OWNERS[scope] === "system", `${scope} window`);
  }
  assert.equal((await store.kv.get(runtimeKeys.localChat(42))).value, null, "the transcript");
  assert.notEqual((await store.kv.get(runtimeKeys.localChat(43))).value, null);
});
