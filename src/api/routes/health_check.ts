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
 * The probe and handler are their own module, without the OpenAPI description (`health.ts` adds
 * that), so the first phase of a start serves the same `/health` before the full API is loaded
 * (docs/ARCHITECTURE.md, "Start-up"); the dashboard's health card shows the same probe.
 *
 * @module
 */
import { type Context } from "hono";
import { type Clock } from "../../core/clock.ts";
import { toAppError } from "../../core/errors.ts";
import { metaKeys } from "../../store/keys.ts";
import { probeWrite, type Store } from "../../store/kv.ts";
import { type SchemaFenceReport } from "../../store/schema_fence.ts";
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

/** What a health probe found: the data `/health` answers (under 503 unless `status` is "ok"). */
export interface HealthReport {
  status: "ok" | "unavailable";
  kv: {
    ok: boolean;
    read_ms?: number;
    write_ok?: boolean;
    error_code?: string;
    failing_since?: string;
  };
  schema_version?: number | null;
  /** The schema fence (docs/OPERATIONS.md, "Upgrading"): unavailable unless `current`. */
  schema?: SchemaFenceReport;
  generation?: number;
  version: string;
  uptime_s: number;
  last_commit_error: { at: string; code: string } | null;
}

/** Probes KV; `/health` and the dashboard's health card read the same one. */
export type HealthProbe = () => Promise<HealthReport>;

/**
 * The health probe over `deps`; one per app (its shared read and write probe are per probe).
 *
 * @example
 * ```ts
 * const probe = healthProbe({ store, clock, startedAt: Date.now(), version: "0.1.0" });
 * (await probe()).status; // "ok"
 * ```
 */
export function healthProbe(deps: HealthDeps): HealthProbe {
  const { store, clock } = deps;
  const probeEvery = deps.writeProbeIntervalMs ?? WRITE_PROBE_INTERVAL_MS;
  let lastWriteProbeAt = Number.NEGATIVE_INFINITY;

  /** One KV read answers the requests that arrive while it runs and for a moment after. */
  const kvRead = new SharedCall(async (): Promise<KvProbe> => {
    const started = performance.now();
    const schema = await store.kv.get<number>(metaKeys.schemaVersion);
    // A newer version's migration rewrote the record: stop this process's fence now, not at
    // its next commit.
    store.fence?.observe(schema);
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

  return async function health() {
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
      return { status: "unavailable", kv: { ok: false, error_code: appError.code }, ...base() };
    }
    if (store.lastCommitError) await probeWrites();
    const failure = store.lastCommitError;
    const fence = store.fence;
    if (fence) await fence.ready();
    const kvData = {
      schema_version: probe.schemaVersion,
      ...fence ? { schema: fence.report() } : {},
      generation: store.generation,
    };
    if (fence && !fence.open) {
      return {
        status: "unavailable",
        kv: { ok: true, read_ms: probe.readMs, write_ok: !failure },
        ...kvData,
        ...base(),
      };
    }
    if (failure) {
      return {
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
      };
    }
    return {
      status: "ok",
      kv: { ok: true, read_ms: probe.readMs, write_ok: true },
      ...kvData,
      ...base(),
    };
  };
}

/**
 * The `/health` handler answering what `probe` finds.
 *
 * @example
 * ```ts
 * app.get("/health", healthCheck(clock, healthProbe({ store, clock, startedAt, version })));
 * ```
 */
export function healthCheck(
  clock: Clock,
  probe: HealthProbe,
): (c: Context<ApiEnv>) => Promise<Response> {
  return async function health(c) {
    const report = await probe();
    if (report.status === "ok") return sendOk(c, clock, report);
    const schema = report.schema;
    if (schema?.error_code) {
      return sendError(c, clock, 503, schema.error_code, schema.reason ?? "", report);
    }
    const message = report.kv.write_ok === false
      ? `KV writes are failing (${report.kv.error_code})`
      : "KV is unavailable";
    return sendError(c, clock, 503, "UNAVAILABLE", message, report);
  };
}
