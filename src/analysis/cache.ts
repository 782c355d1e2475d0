/**
 * The analysis cache: an in-memory LRU with TTL in front of a KV tier that every process shares.
 * Memory answers repeated texts in microseconds; KV lets a second process (or a restarted one)
 * reuse an answer a provider already paid for.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Clock, systemClock } from "../core/clock.ts";
import { type MetricsSink } from "../core/sinks.ts";
import { type Store } from "../store/kv.ts";
import { runtimeKeys } from "../store/keys.ts";
import { type Analysis, type AnalysisRequest, AnalysisSchema } from "./schema.ts";

/** Sizes of the cache (from `CACHE_MAX_ENTRIES`, `CACHE_TTL_SECONDS`). */
export interface AnalysisCacheOptions {
  /** Entries kept in memory; the least recently used goes first. */
  maxEntries: number;
  /** How long an entry is served, in both tiers. */
  ttlSeconds: number;
}

/** Dependencies of {@linkcode AnalysisCache}. */
export interface AnalysisCacheDeps extends AnalysisCacheOptions {
  store: Store;
  metrics: MetricsSink;
  /** @default systemClock */
  clock?: Clock;
}

/** What the KV tier holds: KV expiry is lazy, so the value carries its own deadline. */
interface KvEntry {
  analysis: Analysis;
  expiresAt: number;
}

interface MemoryEntry {
  analysis: Analysis;
  expiresAt: number;
}

/** Deletes per atomic in {@linkcode AnalysisCache.clear}: half of KV's 1 000-mutation limit. */
const CLEAR_BATCH = 500;

const log = getLogger(["rvx", "analysis", "cache"]);
const encoder = new TextEncoder();

/**
 * The cache key of a request: SHA-256 hex of its (already normalised) text, mode and language.
 *
 * @example
 * ```ts
 * const hash = await analysisCacheKey({ text: "BTC ETF approved", lang: "en", mode: "default" });
 * hash.length; // 64
 * ```
 */
export async function analysisCacheKey(request: AnalysisRequest): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    encoder.encode(`${request.mode}\u0000${request.lang}\u0000${request.text}`),
  );
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Two-tier cache of analyses. `request.text` must already be normalised (the engine does it), so
 * texts differing only in spacing share an entry. KV failures degrade to misses, never errors.
 *
 * @example
 * ```ts
 * const cache = new AnalysisCache({ store, metrics, maxEntries: 1000, ttlSeconds: 3600 });
 * await cache.set(request, analysis);
 * const hit = await cache.get(request); // the analysis, or null
 * ```
 */
export class AnalysisCache {
  readonly #store: Store;
  readonly #metrics: MetricsSink;
  readonly #clock: Clock;
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  // Keyed by the text itself: a Map lookup is cheaper than hashing, which only the KV tier needs.
  readonly #memory = new Map<string, MemoryEntry>();

  constructor(deps: AnalysisCacheDeps) {
    if (deps.maxEntries < 1) throw new RangeError("Cannot create analysis cache: maxEntries < 1");
    if (deps.ttlSeconds <= 0) throw new RangeError("Cannot create analysis cache: ttlSeconds <= 0");
    this.#store = deps.store;
    this.#metrics = deps.metrics;
    this.#clock = deps.clock ?? systemClock;
    this.#maxEntries = deps.maxEntries;
    this.#ttlMs = deps.ttlSeconds * 1000;
  }

  /** Entries held in memory (expired ones included until touched or evicted). */
  get size(): number {
    return this.#memory.size;
  }

  /**
   * The cached analysis for a request, from memory or else from KV (which then warms memory);
   * null when absent or expired. Counts `cache_hits` / `cache_misses`.
   */
  async get(request: AnalysisRequest): Promise<Analysis | null> {
    const found = this.#fromMemory(request) ?? await this.#fromKv(request);
    this.#metrics.count(found ? "cache_hits" : "cache_misses");
    return found;
  }

  /**
   * The analysis in memory for exactly this request, or null; counts only hits. Lets the engine
   * answer a repeated text before normalising it: a text equal to a key is already normal.
   */
  peek(request: AnalysisRequest): Analysis | null {
    const found = this.#fromMemory(request);
    if (found) this.#metrics.count("cache_hits");
    return found;
  }

  /** Stores an analysis in both tiers for `ttlSeconds`. A KV failure is logged, not thrown. */
  async set(request: AnalysisRequest, analysis: Analysis): Promise<void> {
    const expiresAt = this.#clock.now() + this.#ttlMs;
    this.#remember(memoryKey(request), { analysis, expiresAt });
    try {
      const value: KvEntry = { analysis, expiresAt };
      await this.#store.kv.set(runtimeKeys.analysisCache(await analysisCacheKey(request)), value, {
        expireIn: this.#ttlMs,
      });
    } catch (err) {
      log.warn("Analysis cache write to KV failed: {reason}", { reason: messageOf(err) });
    }
  }

  /**
   * Empties memory and the shared KV tier (for `/clear_cache`), deleting in atomics of at most
   * 500 keys.
   *
   * @returns how many KV entries were deleted.
   */
  async clear(): Promise<number> {
    this.#memory.clear();
    const kv = this.#store.kv;
    let deleted = 0;
    let batch: Deno.KvKey[] = [];
    const commit = async () => {
      const op = kv.atomic();
      for (const key of batch) op.delete(key);
      await op.commit();
      deleted += batch.length;
      batch = [];
    };
    for await (
      const entry of kv.list({ prefix: runtimeKeys.analysisCachePrefix }, {
        batchSize: CLEAR_BATCH,
      })
    ) {
      batch.push(entry.key);
      if (batch.length === CLEAR_BATCH) await commit();
    }
    if (batch.length > 0) await commit();
    return deleted;
  }

  #fromMemory(request: AnalysisRequest): Analysis | null {
    const key = memoryKey(request);
    const entry = this.#memory.get(key);
    if (!entry) return null;
    this.#memory.delete(key);
    if (entry.expiresAt <= this.#clock.now()) return null;
    // Re-inserting moves the entry to the young end of the Map's insertion order.
    this.#memory.set(key, entry);
    return entry.analysis;
  }

  async #fromKv(request: AnalysisRequest): Promise<Analysis | null> {
    try {
      const entry = await this.#store.kv.get<KvEntry>(
        runtimeKeys.analysisCache(await analysisCacheKey(request)),
      );
      const value = entry.value;
      if (!value || typeof value.expiresAt !== "number" || value.expiresAt <= this.#clock.now()) {
        return null;
      }
      // Written by another version of the code, perhaps: only a valid analysis is served.
      const parsed = AnalysisSchema.safeParse(value.analysis);
      if (!parsed.success) return null;
      this.#remember(memoryKey(request), {
        analysis: parsed.data,
        expiresAt: Math.min(value.expiresAt, this.#clock.now() + this.#ttlMs),
      });
      return parsed.data;
    } catch (err) {
      log.warn("Analysis cache read from KV failed: {reason}", { reason: messageOf(err) });
      return null;
    }
  }

  #remember(key: string, entry: MemoryEntry): void {
    this.#memory.delete(key);
    this.#memory.set(key, entry);
    while (this.#memory.size > this.#maxEntries) {
      const oldest = this.#memory.keys().next().value as string;
      this.#memory.delete(oldest);
    }
  }
}

function memoryKey(request: AnalysisRequest): string {
  return `${request.mode}\u0000${request.lang}\u0000${request.text}`;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
