import assert from "node:assert/strict";
import { PREFIX_ERASED_FAMILIES, RUNTIME_USER_FAMILIES } from "../../src/store/erase.ts";
import { DATA_FAMILIES, FAMILY_OWNERS } from "../../src/store/keys.ts";
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
