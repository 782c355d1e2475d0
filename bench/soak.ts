/**
 * `deno task soak`: a long steady load (not in CI). The whole app runs in-process on a file KV
 * in a temp dir, local users send news texts and commands through `ingest` at a steady rate, and
 * every interval prints RSS (with V8's heap, used and reserved, and the memory its objects hold
 * outside it), ingest-ack and turn latency, the inbox backlog and the KV file size,
 * so flat curves after warm-up can be seen. At the end it counts the KV records by family, so
 * what the file grew by can be told apart: history and sessions (kept by retention and the dedupe window)
 * versus anything else, and the KV file with its WAL against those records' bytes (target
 * ≤ 1.5×; docs/ARCHITECTURE.md, "KV layout and what an update costs", says where the rest goes).
 * `SOAK_SECONDS` (default 600), `SOAK_RATE` (updates/s, default 200) and `SOAK_USERS` tune it;
 * `SOAK_KEEP=1` keeps the KV file for a look with `sqlite3`.
 *
 * @module
 */
import { serialize } from "node:v8";
import { composeApp } from "../src/compose.ts";
import { createConfig } from "../src/config.ts";
import { percentile, print, round } from "./support.ts";

const NEWS = [
  "The SEC approved a spot Bitcoin ETF; BTC rose 6% as inflows reached $1 billion.",
  "Биткоин упал на 8% после новостей о взломе биржи и выводе 200 млн долларов.",
  "Ethereum developers scheduled the next network upgrade for March; ETH was flat.",
  "Tether minted another 1 billion USDT on Tron as stablecoin demand grew.",
  "Регулятор ЕС одобрил правила MiCA для стейблкоинов, USDC вырос в объёме.",
];

async function main(): Promise<void> {
  const seconds = Number(Deno.env.get("SOAK_SECONDS") ?? 600);
  const rate = Number(Deno.env.get("SOAK_RATE") ?? 200);
  const users = Number(Deno.env.get("SOAK_USERS") ?? 2000);
  const intervalMs = Math.min(30_000, Math.max(5_000, seconds * 1000 / 20));
  const dir = await Deno.makeTempDir({ prefix: "rvx-soak-" });
  const kvPath = `${dir}/rvx.kv`;
  const app = await composeApp(createConfig({
    KV_PATH: kvPath,
    FLOOD_COOLDOWN_SECONDS: "0",
    MAX_REQUESTS_PER_DAY: "1000000",
    CRON_ENABLED: "false",
  }));
  await app.start();
  const people = [];
  for (let i = 0; i < users; i++) people.push(await app.localClient.newUser(`Soak${i}`, "en"));

  print(`soak: ${seconds} s at ${rate} updates/s over ${users} local users, KV ${kvPath}`);
  print(
    "t_s    sent  rss_mb  heap_used_mb  heap_total_mb  external_mb  ack_p50_ms  ack_p99_ms  " +
      "inbox_depth  kv_mb  wal_mb",
  );
  const started = performance.now();
  let sent = 0;
  let acks: number[] = [];
  let nextReport = started + intervalMs;
  const inFlight = new Set<Promise<void>>();
  while (performance.now() - started < seconds * 1000) {
    // Pace by the clock: send whatever is due, then yield briefly.
    const due = Math.floor((performance.now() - started) / 1000 * rate);
    while (sent < due) {
      const user = people[sent % people.length];
      const text = sent % 5 === 0 ? "/stats" : NEWS[sent % NEWS.length];
      const t0 = performance.now();
      const p = app.localClient.sendText(user, text).then(() => {
        acks.push(performance.now() - t0);
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      sent++;
    }
    if (performance.now() >= nextReport) {
      const stats = await app.supervisor.getStats();
      const [kvBytes, walBytes] = [await fileSize(kvPath), await fileSize(`${kvPath}-wal`)];
      const memory = Deno.memoryUsage();
      print(
        [
          round((performance.now() - started) / 1000, 0),
          sent,
          round(memory.rss / 1e6, 1),
          round(memory.heapUsed / 1e6, 1),
          round(memory.heapTotal / 1e6, 1),
          round(memory.external / 1e6, 1),
          round(percentile(acks, 50), 2),
          round(percentile(acks, 99), 2),
          stats.inbox_depth,
          round((kvBytes + walBytes) / 1e6, 1),
          round(walBytes / 1e6, 1),
        ].join("  "),
      );
      acks = [];
      nextReport += intervalMs;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inFlight);
  await app.supervisor.whenIdle();
  // Measured while the app still holds its connections, so the WAL is as a running bot has it.
  const live = await printFamilies(kvPath, sent);
  await printFileRatio(kvPath, live);
  await app.stop();
  if (Deno.env.get("SOAK_KEEP") === "1") print(`soak: kept ${dir}`);
  else await Deno.remove(dir, { recursive: true });
  print(`soak: done, ${sent} updates`);
}

/** A file's size in bytes, 0 when it does not exist (the WAL between checkpoints). */
async function fileSize(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return 0;
    throw err;
  }
}

/**
 * The bytes KV stores for a value: V8's serialization (how Deno KV encodes values), raw bytes
 * for a `Uint8Array`, 8 for a `Deno.KvU64`.
 */
function valueBytes(value: unknown): number {
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof Deno.KvU64) return 8;
  return serialize(value).length;
}

/** Records and their bytes (key as JSON, value as stored) per key family (`g/<n>/<family>` or the first key part). */
async function printFamilies(kvPath: string, updates: number): Promise<number> {
  using kv = await Deno.openKv(kvPath);
  const families = new Map<string, { records: number; bytes: number }>();
  const encoder = new TextEncoder();
  for await (const entry of kv.list({ prefix: [] }, { batchSize: 1000 })) {
    const name = String(entry.key[0] === "g" ? entry.key[2] : entry.key[0]);
    const family = families.get(name) ?? { records: 0, bytes: 0 };
    family.records++;
    const key = encoder.encode(
      JSON.stringify(entry.key, (_k, v) => typeof v === "bigint" ? `${v}` : v),
    );
    family.bytes += key.length + valueBytes(entry.value);
    families.set(name, family);
  }
  print(
    `kv records by family after ${updates} updates (retention keeps history; sessions keep their finished ids 48 h):`,
  );
  print("family  records  kib  bytes_per_update");
  for (const [name, { records, bytes }] of [...families].sort((a, b) => b[1].bytes - a[1].bytes)) {
    print([name, records, Math.round(bytes / 1024), round(bytes / updates, 1)].join("  "));
  }
  return [...families.values()].reduce((sum, f) => sum + f.bytes, 0);
}

/** The KV file's size with its write-ahead log beside the live records' bytes (target ≤ 1.5×). */
async function printFileRatio(kvPath: string, liveBytes: number): Promise<void> {
  const file = await fileSize(kvPath);
  const wal = await fileSize(`${kvPath}-wal`);
  print(
    `kv_file_mb=${round(file / 1e6, 1)} kv_wal_mb=${round(wal / 1e6, 1)} ` +
      `live_records_mb=${round(liveBytes / 1e6, 1)}`,
  );
  print(`kv_file_to_live_ratio=${round((file + wal) / liveBytes, 2)} (file and WAL; target ≤ 1.5)`);
  // The WAL stays at its high-water mark (~4 MB: SQLite checkpoints every 1 000 pages and reuses
  // the file without truncating it), a constant that weighs on short runs only.
  print(`kv_main_file_to_live_ratio=${round(file / liveBytes, 2)}`);
}

if (import.meta.main) await main();
