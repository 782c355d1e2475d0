import assert from "node:assert/strict";
import * as audit from "../../src/store/audit.ts";
import { FakeClock } from "../../src/core/clock.ts";
import { AppError } from "../../src/core/errors.ts";
import { BACKUP_NAME, backupName, backupTime, parseHeader } from "../../src/store/backup_format.ts";
import { readBackupKey } from "../../src/store/backup_signing.ts";
import { CHUNK_BYTES } from "../../src/store/backup_storage.ts";
import {
  BackupNotFoundError,
  BackupService,
  KV_BACKUPS_KEPT,
  MAINTENANCE_LEASE,
} from "../../src/store/backups.ts";
import { DATA_FAMILIES, dataKey, dataPrefix, metaKeys, runtimeKeys } from "../../src/store/keys.ts";
import { atomicCommit, type Store } from "../../src/store/kv.ts";
import { acquireLease, isLeaseLive } from "../../src/store/leases.ts";
import { SCHEMA_VERSION } from "../../src/store/migrations.ts";
import * as profiles from "../../src/store/profiles.ts";
import { gunzip, gzipTo, resign, sha256Hex, tempDir } from "../support/backup_files.ts";
import { fileStore, memoryStore, tempKvPath } from "../support/store.ts";

const T0 = Date.UTC(2026, 2, 1, 3, 20, 0);
const DAY = 86_400_000;

// === Helpers

/** A value of every kind KV keeps, picked by `i`. */
function valueOf(i: number): unknown {
  const proto = JSON.parse('{"__proto__": {"x": 1}, "ok": true}');
  const sparse = [1, , 3];
  const error = new TypeError(`bad ${i}`);
  const kinds: (() => unknown)[] = [
    () => `text ${i} "quoted" \\ \n\u2028 emoji 🚀 кириллица`,
    () => i * 1.5 - 7,
    () => [NaN, Infinity, -Infinity, -0, Number.MAX_SAFE_INTEGER][i % 5],
    () => -(2n ** 80n) - BigInt(i),
    () => i % 2 === 0,
    () => null,
    () => undefined,
    () => crypto.getRandomValues(new Uint8Array(i % 50)),
    () => new Deno.KvU64(2n ** 64n - 1n - BigInt(i)),
    () => new Date(T0 + i),
    () => new Date(NaN),
    () => ({
      id: i,
      nested: { list: [1, "two", { three: 3n }], when: new Date(i), empty: {} },
      bytes: new Uint8Array([i & 255]),
      nothing: undefined,
    }),
    () => new Map<unknown, unknown>([[1, "a"], ["b", new Set([1n, "x"])], [{ k: 1 }, [2]]]),
    () => new Set([i, `s${i}`, null]),
    () => /a+b?\d/giu,
    () => new Float64Array([i, -0.25, NaN]),
    () => new BigInt64Array([-1n, BigInt(i)]),
    () => new Int16Array([-i, i]),
    () => new Uint8Array([1, 2, 3]).buffer,
    () => sparse,
    () => ({ $t: "looks tagged", v: i, inner: { $t: "u64", v: "1" } }),
    () => proto,
    () => error,
    () => [[], {}, "", 0, [null, [undefined]]],
  ];
  return kinds[i % kinds.length]();
}

/** A key below a family, of every part type, picked by `i`. */
function partsOf(i: number): Deno.KvKeyPart[] {
  switch (i % 6) {
    case 0:
      return [i];
    case 1:
      return [`s${i}`, "ü🚀"];
    case 2:
      return [BigInt(i) * 10n ** 20n];
    case 3:
      return [i % 2 === 0, i];
    case 4:
      return [new Uint8Array([i & 255, (i >> 8) & 255]), -0.5 - i];
    default:
      return [`u${i}`, i, `id${i}`];
  }
}

/**
 * Record `i`: of family `i mod 18`, shaped as that family's records are (a restore checks it),
 * carrying `valueOf(i)` where the family allows any value, and key parts of every type in the
 * ranking index (whose keys hold numbers of any kind).
 */
function recordOf(i: number): [Deno.KvKeyPart[], unknown] {
  const family = DATA_FAMILIES[i % DATA_FAMILIES.length];
  const v = valueOf(i);
  const at = new Date(T0 + i).toISOString();
  const u64 = new Deno.KvU64(BigInt(i));
  switch (family) {
    case "profile":
      return [[family, i], { ...profiles.newProfile({ id: i, language: "en" }, T0), extra: v }];
    case "profile_admin":
      return [[family, i], { tier: i % 2 ? "pro" : "free", banned: false, ban_reason: null }];
    case "profile_xp":
      return [[family, i], u64];
    case "profile_total":
      return [[family, i, "analyses"], u64];
    case "session":
      return [[family, `u:${i}`], { state: v, expiresAt: T0 + i, createdAt: T0 }];
    case "session_expiry":
      return [[family, T0 + i, `u:${i}`], { createdAt: T0, gauges: { v } }];
    case "history":
      return [[family, i, `h${i}`], { id: `h${i}`, user_id: i, at, analysis: { v } }];
    case "feedback":
      return [[family, i, `f${i}`], { id: `f${i}`, user_id: i, vote: "up", extra: v }];
    case "bookmark":
      return [[family, i, `a${i}`], { user_id: i, analysis_id: `a${i}`, at, extra: v }];
    case "learning":
      return [[family, i, "progress"], { user_id: i, extra: v }];
    case "leaderboard":
      return [[family, "top", ...[...partsOf(i), "p", "q", "r", "s"].slice(0, 5)], v];
    case "audit":
      return [[family, "t", `id${i}`], { id: `id${i}`, action: "x", timestamp: at, v }];
    case "counter":
      return [[family, `c${i}`], u64];
    case "series":
      return [[family, "s", T0 + i], v];
    case "api_key":
      return [[family, "rec", `k${i}`], {
        id: `k${i}`,
        name: "n",
        owner: "o",
        hash: "0".repeat(64),
        created_at: at,
        revoked_at: at,
      }];
    case "job":
      return [[family, `j${i}`], { id: `j${i}`, kind: "x", extra: v }];
    case "dead_letter":
      return [[family, "tg", i], { source: "tg", extra: v }];
    case "cron_run":
      return [[family, "backup", `r${i}`], { name: "backup", status: "ok", extra: v }];
  }
}

/** Writes `count` records spread over every family, plus runtime and meta records. */
async function seed(store: Store, count: number, offset = 0): Promise<void> {
  const g = store.generation;
  for (let start = 0; start < count; start += 500) {
    await atomicCommit(store, (op) => {
      for (let i = start; i < Math.min(count, start + 500); i++) {
        const [key, value] = recordOf(i + offset);
        op.set(["g", g, ...key], value);
      }
      return op;
    });
  }
  // Runtime state and meta: never in a backup.
  await store.kv.set(runtimeKeys.inbox("u:1", 5), { update_id: 5 });
  await store.kv.set(runtimeKeys.lease("u:1"), { owner: "x", epoch: 1 });
  await store.kv.set(runtimeKeys.updateMarker("tg", 5), 1);
  await store.kv.set(runtimeKeys.limit("ip", "1.2.3.4"), [1]);
  await store.kv.set(runtimeKeys.analysisCache("h"), { a: 1 });
  await store.kv.set(metaKeys.adminToken, "token");
}

type Entry = [Deno.KvKeyPart[], unknown];

/** Normalises what deepStrictEqual cannot compare (KvU64 keeps its value in a private slot). */
function normal(value: unknown): unknown {
  if (value instanceof Deno.KvU64) return { KvU64: value.value };
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    value.forEach((v, i) => out[i] = normal(v));
    return out;
  }
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: normal(v), enumerable: true, writable: true });
    }
    return out;
  }
  return value;
}

/** The live generation's records (keys below the generation), minus backup/restore audit rows. */
async function snapshot(store: Store): Promise<Entry[]> {
  const entries: Entry[] = [];
  for await (const e of store.kv.list({ prefix: dataPrefix(store.generation) })) {
    // The row holds its action; the action index names it in its key, the user index as its value.
    const action = e.key[3] === "a"
      ? e.key[4]
      : typeof e.value === "string"
      ? e.value
      : (e.value as { action?: string } | null)?.action;
    if (e.key[2] === "audit" && typeof action === "string" && action.startsWith("backup_")) {
      continue;
    }
    entries.push([e.key.slice(2), normal(e.value)]);
  }
  return entries;
}

/** Deletes every record of the live generation. */
async function wipe(store: Store): Promise<void> {
  while (true) {
    const keys: Deno.KvKey[] = [];
    for await (const e of store.kv.list({ prefix: dataPrefix(store.generation) }, { limit: 500 })) {
      keys.push(e.key);
    }
    if (keys.length === 0) return;
    await atomicCommit(store, (op) => {
      keys.forEach((k) => op.delete(k));
      return op;
    });
  }
}

/** Keys in generations above the live one (a half-written restore). */
async function keysAbove(store: Store): Promise<number> {
  let n = 0;
  for await (
    const _ of store.kv.list({
      start: dataPrefix(store.generation + 1),
      end: dataPrefix(Number.MAX_SAFE_INTEGER),
    })
  ) n++;
  return n;
}

function isCode(code: string) {
  return (e: unknown) => e instanceof AppError && e.code === code;
}

// === Tests

Deno.test("backups: 20 000 records of every value type survive backup, wipe and restore", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  await seed(store, 20_000);
  const before = await snapshot(store);
  assert.equal(before.length, 20_000);

  const made = await backups.create({ reason: "test" });
  assert.equal(made.name, "rvx-backup-20260301-032000.jsonl.gz");
  assert.equal(made.record_count, 20_000);
  assert.equal(made.location, "file");

  await wipe(store);
  assert.equal((await snapshot(store)).length, 0);
  await clock.advance(60_000);
  const result = await backups.restore(made.name);
  assert.equal(result.records, 20_000);
  assert.equal(result.from_generation, 1);
  assert.equal(result.to_generation, 2);
  assert.equal(store.generation, 2);
  assert.equal((await store.kv.get(metaKeys.generation)).value, 2);
  assert.deepStrictEqual(await snapshot(store), before);

  // The safety backup holds what was live (the wiped generation: only the create's audit row).
  assert.equal(result.safety_backup, "rvx-backup-20260301-032100.jsonl.gz");
  const names = (await backups.list()).map((b) => b.name);
  assert.deepEqual(names, [result.safety_backup, made.name]);
  // The restore is audited in the restored data.
  const restoredRows = await audit.query(store, { action: "backup_restore" });
  assert.equal(restoredRows.length, 1);
  assert.equal(restoredRows[0].parameters?.name, made.name);
});

Deno.test("backups: the file is gzip JSON lines with the header first and no runtime or meta records", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const backups = new BackupService({
    store,
    clock: new FakeClock(T0),
    backupDir: dir.path,
    retentionDays: 30,
  });
  await seed(store, 300);
  const made = await backups.create();
  assert.match(made.name, BACKUP_NAME);
  const lines = (await gunzip(`${dir.path}/${made.name}`)).split("\n");
  assert.equal(lines.pop(), "");
  const header = JSON.parse(lines[0]);
  assert.deepEqual(Object.keys(header), [
    "format_version",
    "schema_version",
    "generation",
    "created_at",
    "record_count",
    "body_sha256",
    "key_id",
    "signature",
  ]);
  assert.equal(header.format_version, 2);
  assert.equal(header.key_id, (await readBackupKey(store))?.id);
  assert.match(header.signature, /^[0-9a-f]{64}$/);
  assert.equal(header.schema_version, SCHEMA_VERSION);
  assert.equal(header.generation, 1);
  assert.equal(header.created_at, new Date(T0).toISOString());
  assert.equal(header.record_count, 300);
  assert.equal(lines.length, 301);
  const body = new TextEncoder().encode(lines.slice(1).map((l) => `${l}\n`).join(""));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
  assert.equal(
    header.body_sha256,
    [...digest].map((b) => b.toString(16).padStart(2, "0")).join(""),
  );
  const families = new Set<string>();
  for (const line of lines.slice(1)) {
    const record = JSON.parse(line);
    assert.deepEqual(Object.keys(record), ["k", "v"]);
    assert.equal(record.k[0][0], "s");
    families.add(record.k[0][1]);
  }
  assert.deepEqual([...families].sort(), [...DATA_FAMILIES].sort());
  assert.equal(made.size_bytes, (await Deno.stat(`${dir.path}/${made.name}`)).size);
});

Deno.test("backups: a damaged, cut-short, foreign or newer-schema file is refused and nothing changes", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  await seed(store, 2000);
  const made = await backups.create();
  const path = `${dir.path}/${made.name}`;
  const original = await Deno.readFile(path);
  const text = await gunzip(path);
  const [headerText, ...rest] = text.split("\n");
  const header = parseHeader(headerText);
  const before = await snapshot(store);

  const cases: [string, () => Promise<void>, RegExp][] = [
    ["flipped bytes", async () => {
      const bad = original.slice();
      for (let i = 100; i < 110; i++) bad[Math.floor(bad.length / 2) + i] ^= 0xff;
      await Deno.writeFile(path, bad);
    }, /not valid gzip|not valid UTF-8|SHA-256|records/],
    ["cut short", async () => {
      await Deno.writeFile(path, original.slice(0, Math.floor(original.length / 2)));
    }, /not valid gzip|cut short/],
    ["an edited record", async () => {
      await gzipTo(path, [headerText, rest[0].replace(/\d/, "7"), ...rest.slice(1)].join("\n"));
    }, /SHA-256 does not match/],
    [
      "a record removed",
      async () => {
        await gzipTo(path, [headerText, ...rest.slice(1)].join("\n"));
      },
      new RegExp(
        `header says ${header.record_count} records but the body has ${header.record_count - 1}`,
      ),
    ],
    ["not gzip at all", async () => {
      await Deno.writeTextFile(path, `${headerText}\n${rest.join("\n")}`);
    }, /not valid gzip/],
    ["another format", async () => {
      await gzipTo(path, [JSON.stringify({ ...header, format_version: 9 }), ...rest].join("\n"));
    }, /format_version is 9/],
    ["a newer schema", async () => {
      const newer = await resign(store, { ...header, schema_version: SCHEMA_VERSION + 1 });
      await gzipTo(path, [JSON.stringify(newer), ...rest].join("\n"));
    }, /newer than this code's/],
  ];
  for (const [what, damage, message] of cases) {
    await damage();
    await assert.rejects(
      backups.restore(made.name),
      (e) =>
        isCode("BACKUP_INVALID")(e) && message.test((e as Error).message) &&
        (e as Error).message.includes(made.name) &&
        (e as Error).message.endsWith("nothing was changed"),
      what,
    );
    assert.equal(store.generation, 1, what);
    assert.equal((await store.kv.get(metaKeys.generation)).value, 1, what);
    assert.deepStrictEqual(await snapshot(store), before, what);
    assert.equal(await keysAbove(store), 0, what);
    assert.deepEqual(await backups.storage.names(), [made.name], what);
    assert.equal(await isLeaseLive(store, MAINTENANCE_LEASE, clock.now()), false, what);
  }
  await Deno.writeFile(path, original);
  assert.equal((await backups.restore(made.name)).records, header.record_count);
});

Deno.test("backups: an unknown name is not found; another backup or restore running is refused", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  await assert.rejects(backups.restore("rvx-backup-20200101-000000.jsonl.gz"), BackupNotFoundError);
  await assert.rejects(backups.restore("../../etc/passwd"), BackupNotFoundError);

  await seed(store, 12_000);
  let sawLease = false;
  const made = await backups.create({
    onProgress: async () => {
      if (sawLease) return;
      sawLease = await isLeaseLive(store, MAINTENANCE_LEASE, clock.now());
      await assert.rejects(backups.create(), isCode("MAINTENANCE_BUSY"));
    },
  });
  assert.ok(sawLease, "the export holds the maintenance lease");
  assert.equal(await isLeaseLive(store, MAINTENANCE_LEASE, clock.now()), false);

  // Another process holds maintenance: both refused, nothing written.
  const other = await acquireLease(store, MAINTENANCE_LEASE, "other", 30_000, clock.now());
  assert.ok(other);
  await assert.rejects(backups.create(), isCode("MAINTENANCE_BUSY"));
  await assert.rejects(backups.restore(made.name), isCode("MAINTENANCE_BUSY"));
  assert.equal((await backups.list()).length, 1);
  await clock.advance(31_000);
  // The first backup's audit row (two keys: by time and by action) is in the data now.
  assert.equal((await backups.create()).record_count, made.record_count + 2);
});

Deno.test("backups: two backups in one second get consecutive names", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const backups = new BackupService({
    store,
    clock: new FakeClock(T0 + 400),
    backupDir: dir.path,
    retentionDays: 30,
  });
  const a = await backups.create();
  const b = await backups.create();
  assert.equal(a.name, backupName(T0));
  assert.equal(b.name, backupName(T0 + 1000));
});

Deno.test("backups: an older schema is migrated on restore", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  // A schema-1 profile kept tier and ban inline.
  await store.kv.set(dataKey(1, "profile", 7), {
    ...profiles.newProfile({ id: 7, language: "en" }, 0),
    tier: "pro",
    banned: true,
    ban_reason: "spam",
  });
  const made = await backups.create();
  const path = `${dir.path}/${made.name}`;
  const [headerText, ...rest] = (await gunzip(path)).split("\n");
  const header = JSON.parse(headerText);
  const older = await resign(store, { ...header, schema_version: 1 });
  await gzipTo(path, [JSON.stringify(older), ...rest].join("\n"));
  await store.kv.delete(dataKey(1, "profile", 7));

  const result = await backups.restore(made.name);
  assert.equal(result.migrated_from_schema, 1);
  const seven = await profiles.get(store, 7);
  assert.equal(seven?.tier, "pro");
  assert.equal(seven?.banned, true);
  const raw = (await store.kv.get<Record<string, unknown>>(dataKey(store.generation, "profile", 7)))
    .value!;
  assert.equal("tier" in raw, false);
});

Deno.test("backups: retention deletes backups past BACKUP_RETENTION_DAYS but never the newest", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  const names: string[] = [];
  for (const day of [0, 10, 25, 45]) {
    await clock.set(T0 + day * DAY);
    names.push((await backups.create()).name);
  }
  // At day 50: days 0 and 10 are past 30 days; 25 and 45 stay.
  assert.deepEqual(await backups.prune(T0 + 50 * DAY), names.slice(0, 2));
  assert.deepEqual((await backups.list()).map((b) => b.name), [names[3], names[2]]);
  // A year later everything is old, but the newest stays.
  assert.deepEqual(await backups.prune(T0 + 400 * DAY), [names[2]]);
  assert.deepEqual((await backups.list()).map((b) => b.name), [names[3]]);
  assert.deepEqual(await backups.prune(T0 + 800 * DAY), []);
});

Deno.test("backups: in KV only the newest few are kept, within BACKUP_RETENTION_DAYS", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, retentionDays: 30 });
  const names: string[] = [];
  for (const day of [0, 1, 2, 3, 4]) {
    await clock.set(T0 + day * DAY);
    names.push((await backups.create()).name);
  }
  assert.equal(KV_BACKUPS_KEPT, 3);
  assert.deepEqual(await backups.prune(T0 + 5 * DAY), names.slice(0, 2));
  assert.deepEqual((await backups.list()).map((b) => b.name), names.slice(2).reverse());
  // Age still applies to the few; the newest always stays.
  assert.deepEqual(await backups.prune(T0 + 34 * DAY), names.slice(2, 4));
  assert.deepEqual((await backups.list()).map((b) => b.name), [names[4]]);
});

Deno.test("backups: backups kept in KV (no BACKUP_DIR) round-trip in parts under 64 KiB", async () => {
  using store = await memoryStore();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, retentionDays: 30 });
  assert.equal(backups.location, "kv");
  await seed(store, 3000);
  // Incompressible bytes, so the file spans several parts.
  await atomicCommit(store, (op) => {
    for (let i = 0; i < 300; i++) {
      op.set(dataKey(1, "series", "big", i), crypto.getRandomValues(new Uint8Array(1000)));
    }
    return op;
  });
  // Left by a crashed backup: a spool and parts without a listing record.
  await store.kv.set(runtimeKeys.backupSpool("rvx-backup-20200101-000000.jsonl.gz", 0), "x");
  await store.kv.set(runtimeKeys.backupChunk("rvx-backup-20200101-000000.jsonl.gz", 0), "x");
  const before = await snapshot(store);

  const made = await backups.create();
  assert.equal(made.location, "kv");
  assert.equal(made.record_count, 3300);
  let parts = 0;
  let bytes = 0;
  for await (const e of store.kv.list<Uint8Array>({ prefix: runtimeKeys.backupChunkAll })) {
    assert.equal(e.key[1], made.name, "leftover parts were removed");
    assert.ok(e.value.byteLength <= CHUNK_BYTES && e.value.byteLength < 65_536);
    parts++;
    bytes += e.value.byteLength;
  }
  assert.ok(parts >= 5, `${parts} parts`);
  assert.equal(bytes, made.size_bytes);
  assert.equal((await store.kv.list({ prefix: runtimeKeys.backupSpoolAll }).next()).done, true);
  const [listed] = await backups.list();
  assert.equal(listed.name, made.name);
  assert.equal(listed.record_count, 3300);

  await wipe(store);
  await clock.advance(5000);
  const result = await backups.restore(made.name);
  assert.equal(result.records, 3300);
  assert.deepStrictEqual(await snapshot(store), before);

  // Retention removes a KV backup's parts with it.
  await clock.advance(40 * DAY);
  await backups.create();
  assert.deepEqual(await backups.prune(), [made.name, result.safety_backup]);
  for await (const e of store.kv.list({ prefix: runtimeKeys.backupChunkAll })) {
    assert.notEqual(e.key[1], made.name);
  }
});

Deno.test("backups: a restore killed half-way leaves the old data readable and a re-run completes", async () => {
  await using tmp = await tempKvPath();
  await using dir = await tempDir();
  const store = await fileStore(tmp.path);
  try {
    const backups = new BackupService({
      store,
      clock: new FakeClock(T0),
      backupDir: dir.path,
      retentionDays: 30,
    });
    await seed(store, 20_000);
    const backedUp = await snapshot(store);
    const made = await backups.create();
    // The live data moves on after the backup.
    await seed(store, 1000, 50_000);
    const live = await snapshot(store);

    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./backup_restore_child.ts", import.meta.url).pathname,
        tmp.path,
        dir.path,
        made.name,
      ],
      cwd: new URL("../../", import.meta.url).pathname,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("HALFWAY")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    const stderr = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
    if (!out.includes("HALFWAY")) {
      let why = "";
      while (true) {
        const { value, done } = await stderr.read();
        if (done) break;
        why += value;
      }
      assert.fail(`the child did not reach the write phase: ${why}`);
    }
    child.kill("SIGKILL");
    const status = await child.status;
    await reader.cancel();
    await stderr.cancel();
    assert.equal(status.success, false);

    // The old data is live and whole; the half-written generation is there, unused.
    await store.refreshGeneration();
    assert.equal(store.generation, 1);
    assert.deepStrictEqual(await snapshot(store), live);
    assert.ok(await keysAbove(store) >= 5000, "a generation was half-written");

    // Re-run once the killed process's maintenance lease has lapsed.
    const rerun = new BackupService({
      store,
      clock: new FakeClock(Date.now() + 5 * 60_000),
      backupDir: dir.path,
      retentionDays: 30,
    });
    const result = await rerun.restore(made.name);
    assert.equal(result.from_generation, 1);
    assert.equal(result.to_generation, 2, "the half-written generation was dropped and reused");
    assert.deepStrictEqual(await snapshot(store), backedUp);
    assert.equal(await keysAbove(store), 0);
  } finally {
    store.close();
  }
});

Deno.test("backups: a file whose records repeat a key is refused and its partial generation dropped", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const backups = new BackupService({ store, clock, backupDir: dir.path, retentionDays: 30 });
  await seed(store, 1000);
  const made = await backups.create();
  const path = `${dir.path}/${made.name}`;
  const [headerText, ...rest] = (await gunzip(path)).split("\n");
  const lines = rest.slice(0, -1);
  const header = parseHeader(headerText);
  const before = await snapshot(store);
  // The same key next to itself (one batch) and far from itself (another batch).
  for (const body of [[lines[0], ...lines], [...lines, lines[0]]]) {
    const text = body.map((l) => `${l}\n`).join("");
    const forged = { ...header, record_count: body.length, body_sha256: await sha256Hex(text) };
    await gzipTo(path, `${JSON.stringify(await resign(store, forged))}\n${text}`);
    await assert.rejects(
      backups.restore(made.name),
      (e) => isCode("BACKUP_INVALID")(e) && /repeat/.test((e as Error).message),
    );
    assert.equal(store.generation, 1);
    assert.deepStrictEqual(await snapshot(store), before);
    assert.equal(await keysAbove(store), 0);
  }
});

Deno.test("backups: names stand for UTC seconds; anything else is not a backup name", () => {
  assert.equal(
    backupName(Date.UTC(2026, 0, 2, 3, 4, 5, 999)),
    "rvx-backup-20260102-030405.jsonl.gz",
  );
  assert.equal(backupTime("rvx-backup-20260102-030405.jsonl.gz"), Date.UTC(2026, 0, 2, 3, 4, 5));
  for (
    const name of [
      "rvx-backup-20261302-030405.jsonl.gz",
      "rvx-backup-20260102-030405.jsonl",
      "../rvx-backup-20260102-030405.jsonl.gz",
      "rvx-backup-2026012-030405.jsonl.gz",
    ]
  ) {
    assert.equal(backupTime(name), null, name);
  }
});

Deno.test("backups: with settleMs the export waits, lease held, for turns already running", async () => {
  using store = await memoryStore();
  await using dir = await tempDir();
  const clock = new FakeClock(T0);
  const backups = new BackupService({
    store,
    clock,
    backupDir: dir.path,
    retentionDays: 30,
    settleMs: 2000,
  });
  const pending = backups.create();
  while (clock.pendingTimers === 0) await new Promise((r) => setTimeout(r, 1));
  assert.equal(await isLeaseLive(store, MAINTENANCE_LEASE, clock.now()), true);
  assert.deepEqual(await backups.storage.names(), []);
  await clock.advance(2000);
  const made = await pending;
  assert.equal(made.created_at, new Date(T0 + 2000).toISOString());
});
