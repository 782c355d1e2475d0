/**
 * Shared helpers for system tests: `main.ts` as a child process (webhook mode, on a KV file, against
 * the fake Bot API), waiting for `/health`, waiting until the inboxes are drained, and reading the
 * KV file afterwards. Everything binds to 127.0.0.1.
 *
 * @module
 */
import { type FakeBotApi } from "../support/fake_bot_api.ts";
import * as history from "../../src/store/history.ts";
import { openStore } from "../../src/store/kv.ts";
import { runMigrations } from "../../src/store/schema_upgrade.ts";

/** The admin token every spawned bot gets. */
export const ADMIN_TOKEN = "system-admin-token-0123456789";
/** The webhook secret every spawned bot gets. */
export const SECRET = "system_webhook_secret_123";
/** The repository root (where `main.ts` lives). */
export const ROOT = new URL("../../", import.meta.url).pathname;

/** A free TCP port on 127.0.0.1. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A running `main.ts`. */
export interface BotProcess {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** `${base}/telegram/webhook` */
  hook: string;
  port: number;
  child: Deno.ChildProcess;
  /** Everything it printed so far (stdout and stderr interleaved). */
  output: string[];
  /** Exit code once it exited, else null. */
  exited: { code: number | null };
  /** Resolves when it exited and its pipes are drained. */
  done: Promise<unknown>;
  /** SIGKILLs it (if still running) and waits until it is gone. */
  kill(): Promise<void>;
}

/** Options for {@linkcode spawnBot}. */
export interface SpawnOptions {
  fake: FakeBotApi;
  kvPath: string;
  /** Reuse a port (e.g. on restart); a free one when absent. */
  port?: number;
  /** Extra or overriding environment variables. */
  env?: Record<string, string>;
  /** How long to wait for `/health`. @default 60000 */
  startTimeoutMs?: number;
  /** The Deno binary to run. @default this one */
  denoPath?: string;
  /** Permission flags. @default ["-A"] */
  permissions?: string[];
  /** Return as soon as it is spawned, without waiting for `/health` (cold-start tests). */
  noWait?: boolean;
}

async function drain(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
  const decoder = new TextDecoder();
  try {
    for await (const chunk of stream) {
      into.push(decoder.decode(chunk, { stream: true }));
      // Keep memory bounded on chatty runs: only the tail matters for diagnostics.
      if (into.length > 4000) into.splice(0, into.length - 2000);
    }
  } catch {
    // The pipe closes with the process.
  }
}

/**
 * Spawns `main.ts` in webhook mode with a clean environment (no AI providers unless given) and
 * waits until `/health` answers.
 */
export async function spawnBot(options: SpawnOptions): Promise<BotProcess> {
  const port = options.port ?? freePort();
  const base = `http://127.0.0.1:${port}`;
  const inherited: Record<string, string> = {};
  for (const name of ["PATH", "HOME", "DENO_DIR", "TMPDIR", "XDG_CACHE_HOME"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) inherited[name] = value;
  }
  const child = new Deno.Command(options.denoPath ?? Deno.execPath(), {
    args: ["run", ...(options.permissions ?? ["-A"]), "main.ts"],
    cwd: ROOT,
    clearEnv: true,
    env: {
      ...inherited,
      ADMIN_API_TOKEN: ADMIN_TOKEN,
      KV_PATH: options.kvPath,
      HOST: "127.0.0.1",
      PORT: String(port),
      BOT_MODE: "webhook",
      BOT_TOKEN: options.fake.token,
      BOT_API_ROOT: options.fake.url,
      WEBHOOK_URL: "https://x.test/telegram/webhook",
      WEBHOOK_SECRET: SECRET,
      LOG_FORMAT: "json",
      LOG_LEVEL: "warning",
      NO_COLOR: "1",
      ...options.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  const exited: { code: number | null } = { code: null };
  const done = Promise.all([
    drain(child.stdout, output),
    drain(child.stderr, output),
    child.status.then((s) => void (exited.code = s.code)),
  ]);
  const kill = async () => {
    if (exited.code === null) {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    }
    await done;
  };
  const bot: BotProcess = {
    base,
    hook: `${base}/telegram/webhook`,
    port,
    child,
    output,
    exited,
    done,
    kill,
  };
  if (options.noWait) return bot;
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (true) {
    if (exited.code !== null) {
      await done;
      throw new Error(`main.ts exited with ${exited.code} before /health answered\n${tail(bot)}`);
    }
    if (Date.now() > deadline) {
      await kill();
      throw new Error(`/health did not answer in time\n${tail(bot)}`);
    }
    try {
      const res = await fetch(`${base}/health`);
      await res.body?.cancel();
      if (res.status === 200) return bot;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The Deno 2.5 binary `npx -y deno@2.5` runs (Deno Deploy's runtime), spawned directly so that
 * killing it ends main.ts, not only the npx wrapper.
 */
export async function deno25(): Promise<string> {
  const { success, stdout, stderr } = await new Deno.Command("npx", {
    args: ["-y", "deno@2.5", "eval", "console.log(Deno.execPath(), Deno.version.deno)"],
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(stdout).trim();
  if (!success) throw new Error(`npx -y deno@2.5 failed: ${new TextDecoder().decode(stderr)}`);
  const [path, version] = text.split(" ");
  if (!/^2\.5\./.test(version)) throw new Error(`npx -y deno@2.5 ran Deno ${version}`);
  return path;
}

/**
 * Exactly-once effects, read from the KV file once the bots are gone: for each user, the texts
 * in their history differ from the acknowledged ones (each once) how?
 *
 * @returns one line per user whose history differs.
 */
export async function historyMismatches(
  kvPath: string,
  acked: Map<number, { text: string }[]>,
): Promise<string[]> {
  const store = await openStore(kvPath);
  try {
    await runMigrations(store);
    const problems: string[] = [];
    for (const [user, list] of acked) {
      const texts = (await history.list(store, user, 1000)).map((h) => h.text).sort();
      const expected = list.map((d) => d.text).sort();
      if (JSON.stringify(texts) !== JSON.stringify(expected)) {
        problems.push(`user ${user}: history ${texts.length} items, expected ${expected.length}`);
      }
    }
    return problems;
  } finally {
    store.close();
  }
}

/** A test failure with the tail of each bot's output appended. */
export function withTails(err: unknown, bots: Map<string, BotProcess>): Error {
  const tails = [...bots].map(([name, bot]) => `${name}: ${tail(bot, 2000)}`).join("\n");
  return new Error(`${err instanceof Error ? err.stack ?? err.message : err}\n${tails}`);
}

/** The last part of a bot's output, for error messages. */
export function tail(bot: BotProcess, chars = 4000): string {
  const text = bot.output.join("");
  return `--- main.ts output (tail) ---\n${text.slice(-chars)}`;
}

/**
 * Analysis cards per chat: each answered news text is a "thinking" message edited once. Counts
 * those edited at or after `since` (epoch ms).
 */
export function cardsByChat(fake: FakeBotApi, since = 0): Map<number, number> {
  const cards = new Map<number, number>();
  for (const call of fake.calls("editMessageText")) {
    if (call.response?.ok !== true || call.time < since) continue;
    const chat = Number(call.params.chat_id);
    cards.set(chat, (cards.get(chat) ?? 0) + 1);
  }
  return cards;
}

/** The supervisor's figures from `/api/v1/stats`. */
export async function stats(bot: BotProcess): Promise<Record<string, unknown>> {
  const res = await fetch(`${bot.base}/api/v1/stats`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`stats: ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}

/**
 * Polls `/api/v1/stats` until `inbox_depth` is 0 several times in a row (bounded by `timeoutMs`).
 *
 * @returns the last figures.
 */
export async function waitIdle(
  bot: BotProcess,
  timeoutMs = 60_000,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  let zeros = 0;
  let last: Record<string, unknown> = {};
  while (Date.now() < deadline) {
    last = await stats(bot);
    zeros = last.inbox_depth === 0 ? zeros + 1 : 0;
    if (zeros >= 3) return last;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`not idle after ${timeoutMs} ms: ${JSON.stringify(last)}\n${tail(bot)}`);
}

/**
 * Runs `tasks` with at most `concurrency` in flight.
 */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  run: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await run(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** A small seeded PRNG (mulberry32). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A small tmpfs mounted for one test, which the test can fill to make the disk full. */
export interface Tmpfs extends AsyncDisposable {
  /** Where it is mounted. */
  path: string;
  /**
   * Writes zeros into a filler file until the file system refuses (ENOSPC), so every write that
   * needs a new block fails from then on.
   *
   * @returns the bytes written.
   */
  fill(): Promise<number>;
  /** Removes the filler: the space is back. */
  free(): Promise<void>;
  /** Unmounts (lazily if something still holds it); safe to call twice. */
  unmount(): Promise<void>;
}

/** Whether this machine lets a test mount a tmpfs (Linux, as root). */
export function canMountTmpfs(): boolean {
  if (Deno.build.os !== "linux") return false;
  try {
    return Deno.uid() === 0;
  } catch {
    return false;
  }
}

async function run(command: string, args: string[]): Promise<{ ok: boolean; message: string }> {
  const out = await new Deno.Command(command, { args, stdout: "piped", stderr: "piped" }).output();
  const message = new TextDecoder().decode(out.stderr).trim();
  return { ok: out.success, message };
}

/**
 * Mounts a tmpfs of `sizeBytes` at `dir` (created if missing). Needs root (see
 * {@linkcode canMountTmpfs}); unmount it in a `finally` once nothing uses it any more.
 *
 * @example
 * ```ts
 * await using disk = await mountTmpfs(`${dir}/kv`, 16 * 1024 * 1024);
 * await disk.fill(); // writes now fail with ENOSPC
 * await disk.free();
 * ```
 */
export async function mountTmpfs(dir: string, sizeBytes: number): Promise<Tmpfs> {
  await Deno.mkdir(dir, { recursive: true });
  const mounted = await run("mount", ["-t", "tmpfs", "-o", `size=${sizeBytes}`, "tmpfs", dir]);
  if (!mounted.ok) throw new Error(`Cannot mount a tmpfs at "${dir}": ${mounted.message}`);
  const filler = `${dir}/filler`;
  let isMounted = true;
  const unmount = async () => {
    if (!isMounted) return;
    isMounted = false;
    const plain = await run("umount", [dir]);
    if (!plain.ok) await run("umount", ["-l", dir]);
  };
  return {
    path: dir,
    async fill() {
      let written = 0;
      using file = await Deno.open(filler, { write: true, create: true, append: true });
      // Big blocks first, then single pages: tmpfs hands out whole pages.
      for (const size of [1 << 20, 64 << 10, 4096]) {
        const block = new Uint8Array(size);
        try {
          while (true) {
            const n = await file.write(block);
            if (n === 0) break;
            written += n;
          }
        } catch (err) {
          if (!(err instanceof Error) || !/no space left/i.test(err.message)) throw err;
        }
      }
      return written;
    },
    async free() {
      await Deno.remove(filler).catch((err) => {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      });
    },
    unmount,
    [Symbol.asyncDispose]: unmount,
  };
}
