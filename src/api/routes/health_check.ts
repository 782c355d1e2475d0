/**
 * `GET /health`: liveness. One KV read, and what the store knows about writes: when the latest
 * commit failed and none has succeeded since (a full disk fails writes while reads still work),
 * KV counts as unavailable. Requests arriving while a read is in flight, or within
 * {@linkcode KV_READ_FRESH_MS} after one succeeded, share it, so a burst of probes costs one read.
 *
 * Healthy probes never write. While commits are failing, a probe may make one tiny write (at
 * most once per `writeProbeIntervalMs`, shared by concurrent requests), so `/health` sees writes
 * work again even when nothing else in the process writes.
 *
 * The handler is its own module, without the OpenAPI description (`health.ts` adds that), so the
 * first phase of a start serves the same `/health` before the full API is loaded
 * (docs/ARCHITECTURE.md, "Start-up").
 *
 * @module
 */
import { type Context } from "hono";
import { type Clock } from "../../core/clock.ts";
import { toAppError } from "../../core/errors.ts";
import { metaKeys } from "../../store/keys.ts";
import { probeWrite, type Store } from "../../store/kv.ts";
import { type ApiEnv } from "../env.ts";
import { sendError, sendOk } from "../respond.ts";

/** Least time between two write probes while commits are failing. */
export const WRITE_PROBE_INTERVAL_MS = 5000;
/**
 * How long a successful KV read answers later probes: under a burst of probes the read's
 * round trip to KV's thread was 30 % of `/health`'s throughput; liveness checks come seconds
 * apart, so a 100 ms old read is still news.
 */
export const KV_READ_FRESH_MS = 100;

/** What the health route reads. */
export interface HealthDeps {
  store: Store;
  clock: Clock;
  /** When the process started (epoch ms). */
  startedAt: number;
  version: string;
  /** Least time between two write probes while commits fail. @default 5000 */
  writeProbeIntervalMs?: number;
}

interface KvProbe {
  schemaVersion: number | null;
  readMs: number;
}

/**
 * An async call made once for all callers that arrive while it is pending; with `fresh`, callers
 * within `fresh.ms` after a success get its result without a new call.
 */
class SharedCall<T> {
  readonly #run: () => Promise<T>;
  readonly #fresh: { ms: number; now: () => number } | null;
  #current: Promise<T> | null = null;
  #last: { value: T; at: number } | null = null;

  constructor(run: () => Promise<T>, fresh?: { ms: number; now: () => number }) {
    this.#run = run;
    this.#fresh = fresh ?? null;
  }

  get pending(): boolean {
    return this.#current !== null;
  }

  call(): Promise<T> {
    if (this.#current) return this.#current;
    const fresh = this.#fresh;
    const last = this.#last;
    if (fresh && last && fresh.now() - last.at < fresh.ms) return Promise.resolve(last.value);
    const started = this.#run();
    this.#current = started;
    // Each caller handles a failure; a failure is never reused.
    started.then(
      (value) => this.#last = fresh && { value, at: fresh.now() },
      () => this.#last = null,
    ).finally(() => this.#current = null);
    return started;
  }
}

/**
 * The `/health` handler over `deps`; one per app (its shared read and write probe are per handler).
 *
 * @example
 * ```ts
 * app.get("/health", healthCheck({ store, clock, startedAt: Date.now(), version: "0.1.0" }));
 * ```
 */
export function healthCheck(deps: HealthDeps): (c: Context<ApiEnv>) => Promise<Response> {
  const { store, clock } = deps;
  const probeEvery = deps.writeProbeIntervalMs ?? WRITE_PROBE_INTERVAL_MS;
  let lastWriteProbeAt = Number.NEGATIVE_INFINITY;

  /** One KV read answers the requests that arrive while it runs and for a moment after. */
  const kvRead = new SharedCall(async (): Promise<KvProbe> => {
    const started = performance.now();
    const schema = await store.kv.get<number>(metaKeys.schemaVersion);
    return {
      schemaVersion: schema.value,
      readMs: Math.round((performance.now() - started) * 100) / 100,
    };
  }, { ms: KV_READ_FRESH_MS, now: () => clock.now() });

  const writeProbe = new SharedCall(() => {
    lastWriteProbeAt = clock.now();
    return probeWrite(store, lastWriteProbeAt);
  });

  /** While commits fail: one shared write, at most once per interval (its outcome is noted). */
  function probeWrites(): Promise<unknown> {
    if (!writeProbe.pending && clock.now() - lastWriteProbeAt < probeEvery) {
      return Promise.resolve();
    }
    return writeProbe.call();
  }

  function lastCommitError() {
    const failure = store.lastCommitError;
    return failure && { at: new Date(failure.at).toISOString(), code: failure.code };
  }

  return async function health(c) {
    const base = () => ({
      version: deps.version,
      uptime_s: Math.round((clock.now() - deps.startedAt) / 1000),
      last_commit_error: lastCommitError(),
    });
    let probe: KvProbe;
    try {
      probe = await kvRead.call();
    } catch (err) {
      const appError = toAppError(err, { operation: "health.kv_read" });
      return sendError(c, clock, 503, "UNAVAILABLE", "KV is unavailable", {
        status: "unavailable",
        kv: { ok: false, error_code: appError.code },
        ...base(),
      });
    }
    if (store.lastCommitError) await probeWrites();
    const failure = store.lastCommitError;
    const kvData = { schema_version: probe.schemaVersion, generation: store.generation };
    if (failure) {
      return sendError(c, clock, 503, "UNAVAILABLE", `KV writes are failing (${failure.code})`, {
        status: "unavailable",
        kv: {
          ok: false,
          read_ms: probe.readMs,
          write_ok: false,
          error_code: failure.code,
          failing_since: new Date(store.failingSince ?? failure.at).toISOString(),
        },
        ...kvData,
        ...base(),
      });
    }
    return sendOk(c, clock, {
      status: "ok",
      kv: { ok: true, read_ms: probe.readMs, write_ok: true },
      ...kvData,
      ...base(),
    });
  };
}
