import assert from "node:assert/strict";
import { DatabaseError } from "../../src/core/errors.ts";
import { Tx } from "../../src/core/tx.ts";
import { dropGeneration, nextGeneration, switchGeneration } from "../../src/store/generations.ts";
import { commitTx } from "../../src/store/kv.ts";
import * as profiles from "../../src/store/profiles.ts";
import { fileStore, tempKvPath } from "../support/store.ts";

Deno.test("generations: a fresh generation is invisible until the pointer switches, for every handle", async () => {
  await using tmp = await tempKvPath();
  const a = await fileStore(tmp.path);
  const b = await fileStore(tmp.path);
  const live = a.tx();
  profiles.save(live, profiles.newProfile({ id: 1, language: "en", first_name: "Old" }, 0));
  await commitTx(a, live);

  const next = await nextGeneration(a);
  assert.equal(next, 2);
  const fresh = new Tx({ generation: next });
  profiles.save(fresh, profiles.newProfile({ id: 1, language: "ru", first_name: "New" }, 0));
  await commitTx(a, fresh);
  assert.equal((await profiles.get(a, 1))?.first_name, "Old");
  assert.equal(await nextGeneration(a), 3, "a half-written generation is not reused");

  await switchGeneration(a, 1, next);
  assert.equal((await profiles.get(a, 1))?.first_name, "New");
  assert.equal(
    (await profiles.get(b, 1))?.first_name,
    "Old",
    "b reads its generation until it refreshes",
  );
  await b.refreshGeneration();
  assert.equal((await profiles.get(b, 1))?.first_name, "New");

  await assert.rejects(
    switchGeneration(b, 1, 3),
    (e) => e instanceof DatabaseError && e.code === "GENERATION_CONFLICT",
  );
  await assert.rejects(dropGeneration(a, 2), DatabaseError);
  assert.ok(await dropGeneration(a, 1) > 0);
  assert.equal(await nextGeneration(a), 3);
  a.close();
  b.close();
});
