/**
 * The `start` bench group (#17 item 4): how soon a freshly spawned `main.ts` answers, beside a bare
 * `Deno.serve` started in the same run. Each round spawns, in turn, the bare server and `main.ts`
 * five times (Deploy mode on a copy of a prepared KV file, against the fake Bot API): time from
 * spawn to the first `/health` 200 and, in another process, to the first acknowledged webhook
 * update (answered once durable), on a migrated empty KV and on one with 10 000 queued updates
 * (1 000 users) that the instance starts draining; and on the empty KV, to the first webhook
 * answer as Deploy gives it by default, after the update's turn (`cold_start_webhook_turn_ms`).
 * Figures are medians over the rounds (`BENCH_START_ROUNDS`, default 7).
 *
 * Run: `deno run -A bench/start.ts`. The bench runner imports {@linkcode runStartBench}.
 *
 * @module
 */
import { type Update } from "grammy/types";
import { Inbox } from "../src/actors/inbox.ts";
import { systemClock } from "../src/core/clock.ts";
import { GroupCommitter } from "../src/store/committer.ts";
import { KvMetricsSink } from "../src/store/counters.ts";
import { openStore } from "../src/store/kv.ts";
import { runMigrations } from "../src/store/schema_upgrade.ts";
import { startFakeBotApi } from "../tests/support/fake_bot_api.ts";
import { percentile, print, progress, round } from "./support.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const SECRET = "bench_start_secret_0123456789";
const QUEUED = 10_000;
const QUEUED_USERS = 1_000;

/**
 * What a spawn is timed to: the first `/health` 200; the first webhook 200 as soon as the update
 * is durable (`WEBHOOK_TURNS_IN_REQUEST=false`); or, as Deploy answers by default, once the
 * update's turn is done (the rest of the app loaded, the turn run).
 */
type Probe = "health" | "webhook" | "webhook_turn";

const FIGURES: Record<Probe, string> = {
  health: "cold_start_ms",
  webhook: "cold_start_webhook_ms",
  webhook_turn: "cold_start_webhook_turn_ms",
};

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Spawns a server and measures spawn → the first 200 of `probe`; then kills it. */
async function timeToFirst200(
  args: string[],
  env: Record<string, string>,
  probe: () => Promise<number>,
): Promise<number> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const errors = child.stderr.pipeTo(new WritableStream());
  try {
    const deadline = started + 60_000;
    while (performance.now() < deadline) {
      try {
        if (await probe() === 200) return performance.now() - started;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    throw new Error(`no 200 within 60 s from ${args.join(" ")}`);
  } finally {
    child.kill("SIGKILL");
    await child.status;
    await errors.catch(() => {});
  }
}

async function copyKv(from: string, to: string): Promise<void> {
  for (const suffix of ["", "-wal", "-shm"]) {
    await Deno.copyFile(`${from}${suffix}`, `${to}${suffix}`).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
  }
}

/**
 * Measures the start figures.
 *
 * @example
 * ```ts
 * const figures = await runStartBench();
 * ```
 */
export async function runStartBench(): Promise<Record<string, number>> {
  const rounds = Number(Deno.env.get("BENCH_START_ROUNDS") ?? "7");
  const dir = await Deno.makeTempDir({ prefix: "rvx-bench-start-" });
  await using fake = startFakeBotApi();
  try {
    progress(`start: preparing an empty KV and one with ${QUEUED} queued updates`);
    const empty = `${dir}/empty.kv`;
    const queued = `${dir}/queued.kv`;
    for (const path of [empty, queued]) {
      const store = await openStore(path);
      await runMigrations(store);
      if (path === queued) {
        const metrics = new KvMetricsSink(store);
        const inbox = new Inbox({
          store,
          committer: new GroupCommitter(store),
          clock: systemClock,
          metrics,
        });
        const updates: Update[] = [];
        for (let i = 0; i < QUEUED; i++) {
          updates.push(
            fake.commandUpdate({ userId: 1_000_000 + i % QUEUED_USERS, command: "help" }),
          );
        }
        for (let i = 0; i < updates.length; i += 500) {
          await inbox.ingest(updates.slice(i, i + 500), "tg");
        }
        await metrics.flush();
      }
      store.close();
    }

    const samples: Record<string, number[]> = {};
    const add = (name: string, ms: number) => (samples[name] ??= []).push(ms);
    for (let r = 0; r < rounds; r++) {
      progress(`start: round ${r + 1} of ${rounds}`);
      const port = freePort();
      const base = `http://127.0.0.1:${port}`;
      const health = async () => {
        const res = await fetch(`${base}/health`);
        await res.body?.cancel();
        return res.status;
      };
      add(
        "bare_start_ms",
        await timeToFirst200(["run", "--allow-net", "--allow-env", "bench/bare_server.ts"], {
          PORT: String(port),
        }, health),
      );
      for (const [kv, suffix] of [[empty, ""], [queued, "_10k_queued"]] as const) {
        const probes: Probe[] = suffix
          ? ["health", "webhook"]
          : ["health", "webhook", "webhook_turn"];
        for (const probe of probes) {
          const kvPath = `${dir}/run-${r}-${probe}${suffix}.kv`;
          await copyKv(kv, kvPath);
          const update = fake.commandUpdate({ userId: 5_000_000 + r, command: "help" });
          const webhook = () => fake.deliverWebhook(`${base}/telegram/webhook`, update, SECRET);
          const ms = await timeToFirst200(
            [
              "run",
              "--allow-net",
              "--allow-env",
              "--allow-read",
              `--allow-write=${dir}`,
              "main.ts",
            ],
            {
              DENO_DEPLOYMENT_ID: "bench",
              DEPLOY_ALLOW_FILE_KV: "true",
              KV_PATH: kvPath,
              HOST: "127.0.0.1",
              PORT: String(port),
              BOT_TOKEN: fake.token,
              BOT_API_ROOT: fake.url,
              WEBHOOK_URL: "https://bench.test/telegram/webhook",
              WEBHOOK_SECRET: SECRET,
              ADMIN_API_TOKEN: "bench-admin-token-0123456789",
              LOG_LEVEL: "error",
              LOG_FORMAT: "json",
              WEBHOOK_TURNS_IN_REQUEST: String(probe === "webhook_turn"),
            },
            probe === "health" ? health : webhook,
          );
          add(`${FIGURES[probe]}${suffix}`, ms);
        }
      }
    }
    const figures: Record<string, number> = {};
    for (const [name, values] of Object.entries(samples)) {
      figures[name] = round(percentile(values, 50), 1);
    }
    const bare = figures.bare_start_ms;
    figures.cold_start_vs_bare_ratio = round(
      Math.max(
        figures.cold_start_ms,
        figures.cold_start_webhook_ms,
        figures.cold_start_ms_10k_queued,
        figures.cold_start_webhook_ms_10k_queued,
      ) / bare,
      2,
    );
    figures.start_rounds = rounds;
    return figures;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const figures = await runStartBench();
  for (const [name, value] of Object.entries(figures)) print(`${name}=${value}`);
}
