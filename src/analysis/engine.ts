/**
 * The analysis engine: cache → providers in configured order (each with retries, a per-attempt
 * timeout and a circuit breaker, all inside one deadline) → the offline analyzer, which always
 * answers. So `analyze` never fails because providers did.
 *
 * Offline results are never cached. Computing one costs about what a cache hit costs, and
 * keeping them out means every cached entry is a provider answer: an outage, an open breaker or a
 * caller's full AI window can never shadow a later provider answer for the cache TTL.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Config, type ProviderConfig } from "../config.ts";
import { type BreakerState, CircuitBreaker } from "../core/breaker.ts";
import { type Clock, systemClock } from "../core/clock.ts";
import { AppError, ValidationError } from "../core/errors.ts";
import { retry } from "../core/retry.ts";
import { type MetricsSink } from "../core/sinks.ts";
import { type Store } from "../store/kv.ts";
import { AnalysisCache, type AnalysisCacheOptions } from "./cache.ts";
import { normalizeInput } from "./hygiene.ts";
import { repairAnalysisContent } from "./parse.ts";
import { topicOfText } from "./topic.ts";
import { analyzeOffline } from "./providers/offline.ts";
import {
  type AnalysisProvider,
  createOpenAiCompatibleProvider,
  ProviderError,
} from "./providers/openai_compatible.ts";
import {
  type Analysis,
  type AnalysisContent,
  AnalysisContentSchema,
  type AnalysisRequest,
} from "./schema.ts";

/** The `source` of an analysis no provider wrote. */
export const OFFLINE_SOURCE = "offline";

/** How each provider is retried. */
export interface ProviderRetryOptions {
  /** Attempts per provider per analysis, the first included. @default 3 */
  maxAttempts?: number;
  /** Backoff before the second attempt. @default 500 */
  baseMs?: number;
  /** Upper bound of one backoff. @default 4000 */
  maxMs?: number;
  /** Share of each backoff randomised. @default 0.2 */
  jitter?: number;
}

/** When a provider's breaker opens and for how long. */
export interface ProviderBreakerOptions {
  /** Consecutive failed analyses (after retries) that open it. @default 3 */
  failureThreshold?: number;
  /** Open time before one trial call. @default 30000 */
  cooldownMs?: number;
}

/** The settings part of {@linkcode AnalysisEngineDeps}; see {@linkcode analysisEngineOptions}. */
export interface AnalysisEngineOptions {
  /** OpenAI-compatible endpoints, tried in order. */
  providers: ProviderConfig[];
  /** Budget of one `analyze` call for all providers; offline then answers at once. */
  deadlineMs: number;
  cache: AnalysisCacheOptions;
  retry?: ProviderRetryOptions;
  breaker?: ProviderBreakerOptions;
}

/** Everything {@linkcode createAnalysisEngine} needs. */
export interface AnalysisEngineDeps extends AnalysisEngineOptions {
  /** Holds the shared cache tier. */
  store: Store;
  /** Receives per-provider and cache counters (batched: no tx). */
  metrics: MetricsSink;
  /** @default systemClock */
  clock?: Clock;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Jitter source. @default Math.random */
  random?: () => number;
  /** The analyzer of last resort. @default analyzeOffline */
  offline?: (request: AnalysisRequest) => AnalysisContent;
}

/** Options of one {@linkcode AnalysisEngine.analyze} call. */
export interface AnalyzeOptions {
  /** false: answer from cache or offline without calling providers (the caller's AI window is full). @default true */
  allowProviders?: boolean;
  /** Cancels the call: pending provider work stops and the signal's reason is thrown. */
  signal?: AbortSignal;
}

/** A provider's health, for the dashboard. */
export interface ProviderStatus {
  name: string;
  state: BreakerState;
  /** Code of the last failed attempt (`PROVIDER_TIMEOUT`, `PROVIDER_HTTP_503`, …), if any. */
  lastErrorCode: string | null;
  lastErrorAt: number | null;
  lastSuccessAt: number | null;
  /** A `Retry-After` the provider asked for that outlasted the call: skipped until then (epoch ms). */
  retryAfterUntil: number | null;
}

/** What {@linkcode createAnalysisEngine} returns. */
export interface AnalysisEngine {
  /** Analyses a text; never rejects because of providers (only on empty text or cancellation). */
  analyze(request: AnalysisRequest, options?: AnalyzeOptions): Promise<Analysis>;
  /** Empties both cache tiers; returns the number of KV entries deleted. */
  clearCache(): Promise<number>;
  providerStatus(): ProviderStatus[];
}

interface ProviderSlot {
  provider: AnalysisProvider;
  breaker: CircuitBreaker;
  status: ProviderStatus;
}

const log = getLogger(["rvx", "analysis", "engine"]);

/**
 * The engine's settings from the validated config.
 *
 * @example
 * ```ts
 * const engine = createAnalysisEngine({ ...analysisEngineOptions(config), store, metrics });
 * ```
 */
export function analysisEngineOptions(config: Config): AnalysisEngineOptions {
  return {
    providers: config.providers,
    deadlineMs: config.analysisDeadlineMs,
    cache: config.cache,
  };
}

/**
 * Creates the analysis engine.
 *
 * @example Analyse a news text
 * ```ts
 * const engine = createAnalysisEngine({ ...analysisEngineOptions(config), store, metrics });
 * const analysis = await engine.analyze({ text, lang: "ru", mode: "default" });
 * analysis.source; // "provider1", or "offline" when every provider failed
 * ```
 */
export function createAnalysisEngine(deps: AnalysisEngineDeps): AnalysisEngine {
  const clock = deps.clock ?? systemClock;
  const metrics = deps.metrics;
  const offline = deps.offline ?? analyzeOffline;
  const retryOptions = { maxAttempts: 3, baseMs: 500, maxMs: 4000, jitter: 0.2, ...deps.retry };
  if (deps.deadlineMs <= 0) throw new RangeError("Cannot create analysis engine: deadlineMs <= 0");
  const cache = new AnalysisCache({ ...deps.cache, store: deps.store, metrics, clock });
  const slots: ProviderSlot[] = deps.providers.map((config) => ({
    provider: createOpenAiCompatibleProvider(config, { fetch: deps.fetch, clock }),
    breaker: new CircuitBreaker({
      failureThreshold: deps.breaker?.failureThreshold ?? 3,
      cooldownMs: deps.breaker?.cooldownMs ?? 30_000,
      clock,
    }),
    status: {
      name: config.name,
      state: "closed",
      lastErrorCode: null,
      lastErrorAt: null,
      lastSuccessAt: null,
      retryAfterUntil: null,
    },
  }));

  async function analyze(input: AnalysisRequest, options: AnalyzeOptions = {}): Promise<Analysis> {
    const started = clock.now();
    options.signal?.throwIfAborted();
    // Cache keys are normalised texts, which normalising leaves unchanged: a raw text equal to a
    // key can be answered before paying for normalisation (the bulk of a hit's cost on 4 KB).
    // Entries cached before analyses had a topic get theirs from the text, once per hit.
    const quick = cache.peek(input);
    if (quick) {
      const topic = quick.topic ?? topicOfText(input);
      return { ...quick, topic, cached: true, latency_ms: clock.now() - started };
    }
    const request = normalized(input);
    const hit = await cache.get(request);
    if (hit) {
      const topic = hit.topic ?? topicOfText(request);
      return { ...hit, topic, cached: true, latency_ms: clock.now() - started };
    }
    if (options.allowProviders !== false && slots.length > 0) {
      const answer = await tryProviders(request, started, options.signal);
      if (answer) {
        const analysis: Analysis = {
          ...answer.content,
          source: answer.source,
          cached: false,
          latency_ms: clock.now() - started,
        };
        await cache.set(request, analysis);
        return analysis;
      }
      metrics.count("analysis_offline_fallbacks");
    }
    return {
      ...offlineContent(request),
      source: OFFLINE_SOURCE,
      cached: false,
      latency_ms: clock.now() - started,
    };
  }

  function normalized(input: AnalysisRequest): AnalysisRequest {
    const text = normalizeInput(input.text);
    if (!text) {
      throw new ValidationError("text", "Cannot analyse text: nothing left after normalisation");
    }
    return { text, lang: input.lang, mode: input.mode };
  }

  function offlineContent(request: AnalysisRequest): AnalysisContent {
    const content = offline(request);
    const checked = AnalysisContentSchema.safeParse(content);
    if (checked.success) return checked.data;
    try {
      return repairAnalysisContent(content, request);
    } catch (err) {
      throw new AppError("Offline analyzer produced an invalid analysis", {
        code: "OFFLINE_ANALYSIS_INVALID",
        level: "critical",
        details: { issues: checked.error.issues.slice(0, 3) },
        cause: err,
      });
    }
  }

  async function tryProviders(
    request: AnalysisRequest,
    started: number,
    callerSignal: AbortSignal | undefined,
  ): Promise<{ content: AnalysisContent; source: string } | null> {
    const deadline = started + deps.deadlineMs;
    const deadlineController = new AbortController();
    const deadlineTimer = clock.setTimeout(() => {
      deadlineController.abort(
        new DOMException(`Analysis deadline of ${deps.deadlineMs} ms passed`, "TimeoutError"),
      );
    }, deadline - clock.now());
    const signal = callerSignal
      ? AbortSignal.any([callerSignal, deadlineController.signal])
      : deadlineController.signal;
    try {
      for (const slot of slots) {
        if (signal.aborted) break;
        const name = slot.provider.name;
        const trial = slot.breaker.state === "half-open";
        const waiting = (slot.status.retryAfterUntil ?? 0) > clock.now();
        if (waiting || !slot.breaker.tryAcquire()) {
          metrics.count(`provider_${name}_skipped`);
          continue;
        }
        try {
          const content = await retry(
            () => attempt(slot, request, deadline, signal, deadlineController.signal),
            {
              ...retryOptions,
              // A half-open breaker allows one trial call, not a round of retries.
              maxAttempts: trial ? 1 : retryOptions.maxAttempts,
              random: deps.random,
              clock,
              deadline,
              signal,
              shouldRetry: (err) => err instanceof ProviderError && err.retryable,
              retryAfterMs: (err) => err instanceof ProviderError ? err.retryAfterMs : undefined,
            },
          );
          slot.breaker.recordSuccess();
          slot.status.lastSuccessAt = clock.now();
          return { content, source: name };
        } catch (err) {
          const cancelled = callerSignal?.aborted ?? false;
          // A cancelled trial must still end, or the breaker would wait for it forever.
          if (!cancelled || trial) slot.breaker.recordFailure();
          if (cancelled) throw callerSignal!.reason;
          // Asked to come back later than this call could wait: later calls respect it too.
          if (err instanceof ProviderError && err.retryAfterMs !== undefined) {
            slot.status.retryAfterUntil = clock.now() + err.retryAfterMs;
          }
          log.warn("Provider {provider} failed: {reason}", {
            provider: name,
            reason: err instanceof Error ? err.message : String(err),
            breaker: slot.breaker.state,
          });
        }
      }
      return null;
    } finally {
      deadlineTimer.cancel();
    }
  }

  async function attempt(
    slot: ProviderSlot,
    request: AnalysisRequest,
    deadline: number,
    signal: AbortSignal,
    deadlineSignal: AbortSignal,
  ): Promise<AnalysisContent> {
    const name = slot.provider.name;
    const begun = clock.now();
    metrics.count(`provider_${name}_requests`);
    try {
      const content = await slot.provider.analyze(request, {
        signal,
        timeoutMs: Math.min(slot.provider.timeoutMs, deadline - begun),
      });
      metrics.count(`provider_${name}_successes`);
      return content;
    } catch (err) {
      const failure = err instanceof ProviderError ? err.failure : "network";
      const timedOut = failure === "timeout" || (failure === "aborted" && deadlineSignal.aborted);
      // Cancelled by the caller: says nothing about the provider.
      if (failure === "aborted" && !timedOut) throw err;
      metrics.count(timedOut ? `provider_${name}_timeouts` : `provider_${name}_errors`);
      slot.status.lastErrorCode = timedOut
        ? "PROVIDER_TIMEOUT"
        : err instanceof AppError
        ? err.code
        : "PROVIDER_ERROR";
      slot.status.lastErrorAt = clock.now();
      throw err;
    } finally {
      metrics.observe(`provider_${name}_latency`, clock.now() - begun);
    }
  }

  return {
    analyze,
    clearCache: () => cache.clear(),
    providerStatus: () => slots.map((slot) => ({ ...slot.status, state: slot.breaker.state })),
  };
}
