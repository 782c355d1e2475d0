/**
 * The `ops` group: backup and restore of 100 000 records on file KV, each in a fresh child
 * process so its memory is its own.
 *
 * - `backup_records_per_s`: records / wall time of `BackupService.create` (export under the
 *   maintenance lease, gzip file written and renamed into place).
 * - `restore_records_per_s`: records / wall time of `BackupService.restore` into an empty KV
 *   (verify: signature, checksum and every record's shape; safety backup of nothing, fresh
 *   generation in batched atomics, count, ledger replay, switch). The empty KV is another
 *   installation, so it is given the signing key, as `deno task restore --key` would.
 * - `restore_over_live_records_per_s`: the same restore over the 100 000 live records, so it
 *   includes their safety backup.
 * - `backup_peak_rss_mb`: the backup process's peak RSS (sampled every 10 ms), and
 *   `backup_rss_growth_mb` its growth over the RSS just before the backup, and
 *   `backup_peak_heap_mb` the JS heap's peak. The export streams (KV list → lines → file →
 *   gzip), so memory does not grow with the record count: most of the RSS growth is garbage V8
 *   has not yet collected and SQLite's cache (the same backup completes with the heap capped
 *   at 40 MB, `--v8-flags=--max-old-space-size=40`).
 * - `dead_letter_page_ms`, `dead_letters_bulk_retry_per_s`: see `dead_letters.ts`.
 *
 * @module
 */
import { systemClock } from "../src/core/clock.ts";
import { parseBackupKey, readBackupKey } from "../src/store/backup_signing.ts";
import { BackupService } from "../src/store/backups.ts";
import { dataKey } from "../src/store/keys.ts";
import { atomicCommit, openStore } from "../src/store/kv.ts";
import { runMigrations } from "../src/store/schema_upgrade.ts";
import { measureDeadLetters } from "./dead_letters.ts";
import { progress, round } from "./support.ts";

const RECORDS = 100_000;

/** ~300-byte records shaped like the bot's: profiles, history, audit rows, counters, sessions. */
function record(i: number, now: number): [Deno.KvKey, unknown] {
  const user = 1_000_000 + (i % 20_000);
  const id = `${(now + i).toString(36).padStart(9, "0")}0000${String(i).padStart(7, "0")}`;
  switch (i % 5) {
    case 0:
      return [dataKey(1, "history", user, id), {
        id,
        user_id: user,
        at: new Date(now + i).toISOString(),
        kind: "news",
        text: `Bitcoin ETF inflows reached a record ${i} while the market waited for the Fed.`,
        analysis: { summary: "Inflows up", risk: "medium", assets: ["BTC", "ETH"], score: i % 7 },
        feedback_attempts: 0,
        helpful: false,
      }];
    case 1:
      return [dataKey(1, "audit", "t", id), {
        id,
        user_id: user,
        action: "analysis",
        parameters: { mode: "default", length: i % 4000 },
        status: "ok",
        timestamp: new Date(now + i).toISOString(),
        execution_time_ms: i % 900,
      }];
    case 2:
      return [dataKey(1, "counter", `bench_counter_${i}`), new Deno.KvU64(BigInt(i) * 7n)];
    case 3:
      return [dataKey(1, "session", `u:${user}:${i}`), {
        state: { mode: "news", lesson: null, quiz: { step: i % 5 }, lastAnalysisId: id },
        expiresAt: now + 3_600_000,
        createdAt: now,
      }];
    default:
      return [dataKey(1, "profile", 10_000_000 + i), {
        id: 10_000_000 + i,
        username: `user${i}`,
        first_name: "Алиса",
        language: i % 2 ? "ru" : "en",
        local: false,
        badges: ["first_analysis"],
        active: true,
        blocked: false,
        created_at: new Date(now).toISOString(),
        last_seen_at: new Date(now + i).toISOString(),
        seen: new Date(now + i),
        avatar: new Uint8Array(16).fill(i & 255),
      }];
  }
}

/** Writes the {@linkcode RECORDS} records into a new KV file at `path`. */
async function seed(path: string): Promise<void> {
  const store = await openStore(path);
  await runMigrations(store);
  const now = Date.UTC(2026, 0, 1);
  for (let start = 0; start < RECORDS; start += 500) {
    await atomicCommit(store, (op) => {
      for (let i = start; i < start + 500; i++) {
        const [key, value] = record(i, now);
        op.set(key, value);
      }
      return op;
    });
  }
  store.close();
}

/** What a probe child reports. */
interface ProbeResult {
  ms: number;
  records: number;
  rss_before: number;
  rss_peak: number;
  heap_peak: number;
  name?: string;
  /** The signing key of the KV that made the backup (a restore into another KV needs it). */
  key?: string;
}

/** Runs in the child: one backup or restore, timed, with RSS sampled. */
async function probe(
  op: string,
  kvPath: string,
  dir: string,
  name?: string,
  key?: string,
): Promise<void> {
  const store = await openStore(kvPath);
  await runMigrations(store);
  const backups = new BackupService({
    store,
    clock: systemClock,
    backupDir: dir,
    retentionDays: 30,
  });
  const rssBefore = Deno.memoryUsage().rss;
  let peak = rssBefore;
  let heapPeak = 0;
  const sampler = setInterval(() => {
    const usage = Deno.memoryUsage();
    peak = Math.max(peak, usage.rss);
    heapPeak = Math.max(heapPeak, usage.heapUsed);
  }, 10);
  const started = performance.now();
  let result: ProbeResult;
  if (op === "backup") {
    const made = await backups.create();
    result = {
      ms: performance.now() - started,
      records: made.record_count,
      rss_before: rssBefore,
      rss_peak: peak,
      heap_peak: heapPeak,
      name: made.name,
      key: (await readBackupKey(store))?.secret,
    };
  } else {
    const restored = await backups.restore(name!, { key: key ? parseBackupKey(key) : undefined });
    result = {
      ms: performance.now() - started,
      records: restored.records,
      rss_before: rssBefore,
      rss_peak: peak,
      heap_peak: heapPeak,
    };
  }
  clearInterval(sampler);
  result.rss_peak = Math.max(peak, Deno.memoryUsage().rss);
  store.close();
  Deno.stdout.writeSync(new TextEncoder().encode(`${JSON.stringify(result)}\n`));
}

async function runProbe(args: string[]): Promise<ProbeResult> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--probe", ...args],
    cwd: new URL("../", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout).trim();
  if (!output.success) {
    throw new Error(`ops probe ${args[0]} failed: ${new TextDecoder().decode(output.stderr)}`);
  }
  return JSON.parse(text.split("\n").pop()!);
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/**
 * Measures backup and restore of 100 000 records.
 *
 * @example
 * ```ts
 * const figures = await runOpsBench();
 * ```
 */
export async function runOpsBench(): Promise<Record<string, number>> {
  const dir = await Deno.makeTempDir({ prefix: "rvx-bench-ops-" });
  try {
    const kvPath = `${dir}/live.kv`;
    const backupDir = `${dir}/backups`;
    progress(`ops: seeding ${RECORDS} records`);
    await seed(kvPath);
    progress("ops: backup");
    const backup = await runProbe(["backup", kvPath, backupDir]);
    const size = (await Deno.stat(`${backupDir}/${backup.name}`)).size;
    progress("ops: restore into an empty KV");
    const fresh = await runProbe([
      "restore",
      `${dir}/fresh.kv`,
      backupDir,
      backup.name!,
      backup.key!,
    ]);
    progress("ops: restore over the live records");
    const over = await runProbe(["restore", kvPath, backupDir, backup.name!]);
    const deadLetters = await measureDeadLetters(dir);
    return {
      ...deadLetters,
      backup_records_per_s: Math.round(backup.records / (backup.ms / 1000)),
      restore_records_per_s: Math.round(fresh.records / (fresh.ms / 1000)),
      restore_over_live_records_per_s: Math.round(over.records / (over.ms / 1000)),
      backup_peak_rss_mb: mb(backup.rss_peak),
      backup_rss_growth_mb: mb(backup.rss_peak - backup.rss_before),
      backup_peak_heap_mb: mb(backup.heap_peak),
      backup_file_mb: mb(size),
      records: backup.records,
    };
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  if (Deno.args[0] === "--probe") {
    const [, op, kvPath, dir, name, key] = Deno.args;
    await probe(op, kvPath, dir, name, key);
  } else {
    const figures = await runOpsBench();
    for (const [name, value] of Object.entries(figures)) {
      Deno.stdout.writeSync(new TextEncoder().encode(`${name}=${value}\n`));
    }
  }
}
