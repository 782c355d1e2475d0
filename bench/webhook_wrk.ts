/**
 * Webhook ingest measured from outside: `wrk` (Debian's package, installed when missing) posts
 * valid updates with the secret header and unique update ids to `main.ts` running as a child
 * process (webhook mode, file KV, no AI providers) whose Bot API is the fake one from the tests.
 * Each update is `/help` from one of 2 000 users, answered with one message. The run is
 * *sustained*: it ends when every update that got a 200 has its turn committed and its reply at
 * the fake Bot API, so a process that acks fast while its backlog grows does not look fast.
 *
 * Figures (all `webhook_wrk_*`, beside the in-process client's `webhook_*` of bench/api.ts):
 * acks per second over the whole sustained run and while wrk ran, wrk's latency p50/p99 of the
 * acks, how long the replies took to catch up after wrk stopped, and replies missing at the end.
 *
 * Run: `deno run -A bench/webhook_wrk.ts`. The runner imports {@linkcode runWebhookWrkBench}.
 * Targets: `webhook_wrk_ingest_rps` ≥ 5 000 and `webhook_wrk_p99_ms` ≤ 20.
 *
 * @module
 */
import { startFakeBotApi } from "../tests/support/fake_bot_api.ts";
import { SECRET, spawnBot } from "../tests/system/support.ts";
import { print, progress, round } from "./support.ts";

const USERS = 2000;

/** Options of {@linkcode runWebhookWrkBench}. */
export interface WebhookWrkOptions {
  /** wrk's `-d`. @default 10 */
  seconds?: number;
  /** wrk's `-c`, as many as Telegram may open. @default 40 */
  connections?: number;
  /** wrk's `-t`. @default 2 */
  threads?: number;
  /** How long replies may take to catch up after wrk stopped. @default 120 */
  drainSeconds?: number;
}

/** What wrk's `done` hook prints (one line, after `RESULT `). */
interface WrkResult {
  requests: number;
  acked: number;
  other: number;
  socket_errors: number;
  p50_us: number;
  p99_us: number;
  duration_us: number;
}

/**
 * The Lua script: each request is a new update (`update_id` unique per thread and run, user one
 * of {@linkcode USERS}); 200s and other statuses are counted per thread and summed in `done`.
 */
const SCRIPT = `
local threads = {}
local counter = 1
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
local n = 0
local base = 0
acked = 0
other = 0
local headers = { ["Content-Type"] = "application/json", ["X-Telegram-Bot-Api-Secret-Token"] = "${SECRET}" }
function init(args)
  base = tonumber(args[1] or "0")
end
function request()
  n = n + 1
  local id = base + tid * 100000000 + n
  local user = id % ${USERS} + 1
  local body = string.format('{"update_id":%d,"message":{"message_id":%d,"date":1767225600,' ..
    '"chat":{"id":%d,"type":"private","first_name":"Bench"},' ..
    '"from":{"id":%d,"is_bot":false,"first_name":"Bench","language_code":"en"},"text":"/help"}}',
    id, n, user, user)
  return wrk.format("POST", "/telegram/webhook", headers, body)
end
function response(status, headers, body)
  if status == 200 then acked = acked + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local a, o = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("acked")
    o = o + t:get("other")
  end
  local e = summary.errors
  io.write(string.format('RESULT {"requests":%d,"acked":%d,"other":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p99_us":%d,"duration_us":%d}\\n', summary.requests, a, o,
    e.connect + e.read + e.write + e.timeout, latency:percentile(50), latency:percentile(99),
    summary.duration))
end
`;

async function run(command: string, args: string[]): Promise<boolean> {
  const out = await new Deno.Command(command, { args, stdout: "null", stderr: "piped" }).output()
    .catch(() => null);
  return out?.success ?? false;
}

/** `wrk` on the PATH, installed from Debian when missing (`apt-get update` only if needed). */
export async function ensureWrk(): Promise<void> {
  if (await run("sh", ["-c", "command -v wrk"])) return;
  progress("webhook_wrk: installing wrk (apt-get install -y wrk)");
  if (await run("apt-get", ["install", "-y", "wrk"])) return;
  if (await run("apt-get", ["update"]) && await run("apt-get", ["install", "-y", "wrk"])) return;
  throw new Error("wrk is missing and `apt-get install -y wrk` failed (run it as root)");
}

async function wrk(
  url: string,
  script: string,
  options: Required<WebhookWrkOptions>,
  seconds: number,
  base: number,
): Promise<WrkResult> {
  const out = await new Deno.Command("wrk", {
    args: [
      `-t${options.threads}`,
      `-c${options.connections}`,
      `-d${seconds}s`,
      "--timeout",
      "10s",
      "-s",
      script,
      url,
      "--",
      String(base),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  const line = text.split("\n").find((l) => l.startsWith("RESULT "));
  if (!out.success || !line) {
    throw new Error(`wrk failed: ${text}${new TextDecoder().decode(out.stderr)}`);
  }
  return JSON.parse(line.slice("RESULT ".length));
}

/**
 * Runs wrk against a fresh `main.ts` and returns the `webhook_wrk_*` figures.
 *
 * @example
 * ```ts
 * const figures = await runWebhookWrkBench({ seconds: 5 });
 * figures.webhook_wrk_ingest_rps; // ≥ 5 000 is the target
 * ```
 */
export async function runWebhookWrkBench(
  options: WebhookWrkOptions = {},
): Promise<Record<string, number>> {
  const settings: Required<WebhookWrkOptions> = {
    seconds: options.seconds ?? 10,
    connections: options.connections ?? 40,
    threads: options.threads ?? 2,
    drainSeconds: options.drainSeconds ?? 120,
  };
  await ensureWrk();
  const dir = await Deno.makeTempDir({ prefix: "rvx-bench-wrk-" });
  const script = `${dir}/updates.lua`;
  await Deno.writeTextFile(script, SCRIPT);
  await using fake = startFakeBotApi();
  const bot = await spawnBot({
    fake,
    kvPath: `${dir}/rvx.kv`,
    env: {
      FLOOD_COOLDOWN_SECONDS: "0",
      MAX_REQUESTS_PER_DAY: "1000000",
      API_RATE_LIMIT_REQUESTS: "1000000",
      LOG_LEVEL: "error",
    },
  });
  try {
    const replies = () => fake.calls("sendMessage").filter((c) => c.response?.ok).length;
    /** Waits until `count` replies arrived (or the deadline); returns when the last one did. */
    const repliedBy = async (count: number, deadline: number): Promise<number> => {
      // Polled, not woken per message: counting is linear in the calls recorded, and the fake
      // shares this thread; the last reply's own time stamp is what the figure uses.
      while (replies() < count && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const calls = fake.calls("sendMessage").filter((c) => c.response?.ok);
      return calls.length >= count ? calls[count - 1].time : Date.now();
    };

    progress("webhook_wrk: warm-up (2 s)");
    const warm = await wrk(bot.hook, script, settings, 2, 0);
    await repliedBy(warm.acked, Date.now() + settings.drainSeconds * 1000);
    const before = replies();

    progress(
      `webhook_wrk: wrk -t${settings.threads} -c${settings.connections} ` +
        `-d${settings.seconds}s`,
    );
    const started = Date.now();
    const result = await wrk(bot.hook, script, settings, settings.seconds, 10_000_000);
    const wrkEnded = Date.now();
    progress(`webhook_wrk: ${result.acked} acks; waiting for their replies`);
    const lastReply = await repliedBy(
      before + result.acked,
      wrkEnded + settings.drainSeconds * 1000,
    );
    const missing = Math.max(0, before + result.acked - replies());
    const sustainedS = (Math.max(lastReply, wrkEnded) - started) / 1000;
    return {
      webhook_wrk_ingest_rps: Math.round(result.acked / sustainedS),
      webhook_wrk_ack_rps: Math.round(result.acked / (result.duration_us / 1e6)),
      webhook_wrk_p50_ms: round(result.p50_us / 1000, 2),
      webhook_wrk_p99_ms: round(result.p99_us / 1000, 2),
      webhook_wrk_drain_s: round(Math.max(0, lastReply - wrkEnded) / 1000, 2),
      webhook_wrk_non_200: result.other + result.socket_errors,
      webhook_wrk_replies_missing: missing,
    };
  } finally {
    await bot.kill();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) {
  const figures = await runWebhookWrkBench();
  for (const [name, value] of Object.entries(figures)) print(`${name}=${value}`);
}
