import assert from "node:assert/strict";
import { runDeadLettersCli } from "../../src/cli/deadletters.ts";
import { FakeClock } from "../../src/core/clock.ts";
import * as audit from "../../src/store/audit.ts";
import { metaKeys } from "../../src/store/keys.ts";
import { openStore } from "../../src/store/kv.ts";
import { SCHEMA_VERSION } from "../../src/store/migrations.ts";
import { seedThree } from "../support/dead_letters.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";
import { collector } from "../support/cli_io.ts";

Deno.test("deadletters cli: list, show, retry and discard one; a second retry exits 1 and changes nothing", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  const [first, second, third] = await seedThree(store, clock);
  const deps = (io: ReturnType<typeof collector>["io"]) => ({
    store,
    clock,
    io,
    retentionDays: 30,
  });

  const listed = collector();
  assert.equal(await runDeadLettersCli([], deps(listed.io)), 0);
  assert.equal(listed.out.length, 4, listed.out.join("\n"));
  assert.ok(listed.out[1].startsWith(third) && listed.out[1].includes("BUG"));
  const byUser = collector();
  assert.equal(
    await runDeadLettersCli(["list", "--user", "7", "--limit", "1"], deps(byUser.io)),
    0,
  );
  assert.ok(byUser.out[1].startsWith(third));
  assert.match(byUser.out.at(-1)!, new RegExp(`--cursor ${third}`));

  const shown = collector();
  assert.equal(await runDeadLettersCli(["show", second], deps(shown.io)), 0);
  assert.ok(shown.out.some((l) => /^error_code\s+PROVIDER_DOWN$/.test(l)));
  assert.ok(shown.out.some((l) => l.includes('"update_id": 2')));

  const retried = collector();
  assert.equal(await runDeadLettersCli(["retry", first], deps(retried.io)), 0);
  assert.match(retried.out[0], /Re-queued update 1 of u:7/);
  assert.ok((await store.kv.get(["inbox", "u:7", 1])).value);
  const again = collector();
  assert.equal(await runDeadLettersCli(["retry", first], deps(again.io)), 1);
  assert.match(again.err[0], /already retried .*DEAD_LETTER_ALREADY_RETRIED/);
  const discarded = collector();
  assert.equal(await runDeadLettersCli(["discard", second], deps(discarded.io)), 0);
  const gone = collector();
  assert.equal(await runDeadLettersCli(["show", second], deps(gone.io)), 1);
  assert.match(gone.err[0], /was discarded at .* \(via cli\)/);
  const rows = await audit.query(store, {});
  assert.deepEqual(
    rows.filter((r) => r.action.startsWith("dead_letter_")).map((r) => [r.action, r.command]),
    [["dead_letter_discard", "cli"], ["dead_letter_retry", "cli"]],
  );
});

Deno.test("deadletters cli: bulk retry by code, usage errors exit 2", async () => {
  using store = await memoryStore();
  const clock = new FakeClock();
  await seedThree(store, clock);
  const deps = (io: ReturnType<typeof collector>["io"]) => ({
    store,
    clock,
    io,
    retentionDays: 30,
  });
  for (
    const args of [
      ["retry"],
      ["show"],
      ["show", "not-an-id"],
      ["list", "--code", "lower"],
      ["list", "--frob", "1"],
      ["frobnicate"],
    ]
  ) {
    const run = collector();
    assert.equal(await runDeadLettersCli(args, deps(run.io)), 2, args.join(" "));
    assert.ok(run.err.some((l) => l.startsWith("Usage:")));
  }
  const bulk = collector();
  assert.equal(await runDeadLettersCli(["retry", "--code", "PROVIDER_DOWN"], deps(bulk.io)), 0);
  assert.equal(bulk.out.at(-1), "Re-queued 2 dead letters; left 0 as they were.");
  assert.ok((await store.kv.get(["inbox", "u:8", 2])).value);
  const left = collector();
  await runDeadLettersCli(["list"], deps(left.io));
  assert.equal(left.out.length, 2);
});

/** `deno task deadletters show <id>` run as an operator runs it, on the KV file at `kvPath`. */
function showTask(kvPath: string, id: string): Promise<Deno.CommandOutput> {
  return new Deno.Command(Deno.execPath(), {
    args: ["task", "-q", "deadletters", "show", id],
    env: { KV_PATH: kvPath, LOG_LEVEL: "error" },
    stdout: "piped",
    stderr: "piped",
  }).output();
}

Deno.test("deadletters cli: deno task deadletters works on a KV file given by KV_PATH", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const clock = new FakeClock(Date.now());
  const [id] = await seedThree(store, clock);
  store.close();
  const output = await showTask(tmp.path, id);
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.match(stdout, new RegExp(`^id\\s+${id}$`, "m"));
  assert.match(stdout, /^error_code\s+PROVIDER_DOWN$/m);
});

Deno.test("deadletters cli: a task of a newer version leaves a KV at an older schema as it is and names the step that migrates it", async () => {
  await using tmp = await tempKvPath();
  const store = await fileStore(tmp.path);
  const clock = new FakeClock(Date.now());
  const [id] = await seedThree(store, clock);
  await store.kv.set(metaKeys.schemaVersion, SCHEMA_VERSION - 1);
  const before = await store.kv.get(metaKeys.schemaVersion);
  store.close();
  const output = await showTask(tmp.path, id);
  assert.equal(output.code, 1);
  assert.match(
    new TextDecoder().decode(output.stderr),
    new RegExp(
      `schema ${SCHEMA_VERSION - 1}, this code needs ${SCHEMA_VERSION}: .deno task setup.`,
    ),
  );
  const after = await openStore(tmp.path);
  const record = await after.kv.get(metaKeys.schemaVersion);
  after.close();
  assert.equal(record.versionstamp, before.versionstamp, "not migrated, not even fenced");
});
