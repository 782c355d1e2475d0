/**
 * One attempt against an OpenAI-compatible chat-completions endpoint: build the prompt, POST it
 * with a per-attempt timeout on the injected clock, and turn the reply into validated content.
 * Retries, the breaker and the deadline are the engine's business; this module only says, through
 * {@linkcode ProviderError}, whether a failure is worth another attempt.
 *
 * @module
 */
import { type ProviderConfig } from "../../config.ts";
import { type Clock, systemClock } from "../../core/clock.ts";
import { ApiError } from "../../core/errors.ts";
import { extractJsonObject, repairAnalysisContent } from "../parse.ts";
import { buildMessages, temperatureFor } from "../prompts.ts";
import { type AnalysisContent, type AnalysisRequest } from "../schema.ts";

/**
 * Why an attempt failed. `aborted`: the caller's signal (deadline or cancel) ended it;
 * `reply_too_large`: the body passed {@linkcode MAX_REPLY_BYTES} and was not read further.
 */
export type ProviderFailure =
  | "timeout"
  | "network"
  | "http"
  | "invalid_output"
  | "reply_too_large"
  | "aborted";

/**
 * The most a provider may answer with, in tokens (`max_tokens`): an analysis is at most ~2 500
 * characters of JSON, and Cyrillic text can take a token per 1.5 characters.
 */
export const MAX_COMPLETION_TOKENS = 2048;

/**
 * The most bytes read from one provider reply: far above what {@linkcode MAX_COMPLETION_TOKENS}
 * produce (even with every character `\uXXXX`-escaped), far below what would hold up the
 * process. A longer body is cancelled mid-stream (docs/SECURITY.md).
 */
export const MAX_REPLY_BYTES = 256 * 1024;

/** Options of {@linkcode ProviderError}. */
export interface ProviderErrorOptions {
  provider: string;
  failure: ProviderFailure;
  status?: number;
  /** A delay the provider asked for (`Retry-After`), in ms. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * A provider attempt failed; `retryable` says whether the same provider is worth another try.
 *
 * @example
 * ```ts
 * throw new ProviderError("provider1 answered 503", { provider: "provider1", failure: "http", status: 503 });
 * ```
 */
export class ProviderError extends ApiError {
  readonly provider: string;
  readonly failure: ProviderFailure;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;

  constructor(message: string, options: ProviderErrorOptions) {
    const { provider, failure, status, retryAfterMs, cause } = options;
    super(message, {
      status,
      code: failure === "http" ? `PROVIDER_HTTP_${status}` : `PROVIDER_${failure.toUpperCase()}`,
      level: "warning",
      details: { provider, failure, status },
      cause,
    });
    this.name = "ProviderError";
    this.provider = provider;
    this.failure = failure;
    this.retryAfterMs = retryAfterMs;
    this.retryable = failure === "timeout" || failure === "network" ||
      (failure === "http" && status !== undefined && isRetryableStatus(status));
  }
}

/** 408, 425, 429 and every 5xx are worth retrying; other 4xx will fail the same way again. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Something that turns a request into validated content, one attempt per call. */
export interface AnalysisProvider {
  readonly name: string;
  /** Per-attempt timeout the provider was configured with. */
  readonly timeoutMs: number;
  analyze(request: AnalysisRequest, options?: ProviderCallOptions): Promise<AnalysisContent>;
}

/** Options of one {@linkcode AnalysisProvider.analyze} call. */
export interface ProviderCallOptions {
  /** Ends the attempt early (deadline or caller); the failure is then `aborted`. */
  signal?: AbortSignal;
  /** This attempt's timeout; less than the configured one when the deadline is near. */
  timeoutMs?: number;
}

/** Dependencies of {@linkcode createOpenAiCompatibleProvider}. */
export interface OpenAiCompatibleDeps {
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Runs the per-attempt timeout. @default systemClock */
  clock?: Clock;
}

/**
 * Creates a provider for `POST {url}/chat/completions` asking for a JSON object.
 *
 * @example
 * ```ts
 * const provider = createOpenAiCompatibleProvider(
 *   { name: "provider1", url: "https://api.groq.com/openai/v1", key, model: "llama-3.1-8b-instant", timeoutMs: 8000 },
 * );
 * const content = await provider.analyze({ text: "BTC ETF approved", lang: "en", mode: "default" });
 * ```
 */
export function createOpenAiCompatibleProvider(
  config: ProviderConfig,
  deps: OpenAiCompatibleDeps = {},
): AnalysisProvider {
  const fetchFn = deps.fetch ?? globalThis.fetch;
  const clock = deps.clock ?? systemClock;
  const endpoint = `${config.url.replace(/\/+$/, "")}/chat/completions`;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    accept: "application/json",
  };
  if (config.key) headers.authorization = `Bearer ${config.key}`;
  const fail = (message: string, options: Omit<ProviderErrorOptions, "provider">) =>
    new ProviderError(`${config.name}: ${message}`, { provider: config.name, ...options });

  async function analyze(
    request: AnalysisRequest,
    options: ProviderCallOptions = {},
  ): Promise<AnalysisContent> {
    const timeoutMs = Math.max(
      0,
      Math.min(options.timeoutMs ?? config.timeoutMs, config.timeoutMs),
    );
    const timeout = new AbortController();
    const timer = clock.setTimeout(() => {
      timeout.abort(new DOMException(`Timed out after ${timeoutMs} ms`, "TimeoutError"));
    }, timeoutMs);
    const signal = options.signal
      ? AbortSignal.any([options.signal, timeout.signal])
      : timeout.signal;
    const whyAborted = (cause: unknown) =>
      timeout.signal.aborted
        ? fail(`no answer within ${timeoutMs} ms`, { failure: "timeout", cause })
        : fail("attempt aborted", { failure: "aborted", cause: options.signal?.reason ?? cause });
    try {
      let body: string;
      let response: Response;
      try {
        response = await fetchFn(endpoint, {
          method: "POST",
          headers,
          signal,
          body: JSON.stringify({
            model: config.model,
            messages: buildMessages(request),
            response_format: { type: "json_object" },
            temperature: temperatureFor(request.mode),
            max_tokens: MAX_COMPLETION_TOKENS,
          }),
        });
        body = await readCapped(response, MAX_REPLY_BYTES);
      } catch (err) {
        if (signal.aborted) throw whyAborted(err);
        if (err instanceof ReplyTooLargeError) {
          throw fail(`reply over ${MAX_REPLY_BYTES} bytes, not read further`, {
            failure: "reply_too_large",
            cause: err,
          });
        }
        throw fail(`request failed: ${err instanceof Error ? err.message : String(err)}`, {
          failure: "network",
          cause: err,
        });
      }
      if (!response.ok) {
        throw fail(`answered ${response.status}: ${body.slice(0, 200)}`, {
          failure: "http",
          status: response.status,
          retryAfterMs: parseRetryAfter(response.headers.get("retry-after"), clock.now()),
        });
      }
      return parseCompletion(body, request, fail);
    } finally {
      timer.cancel();
    }
  }

  return { name: config.name, timeoutMs: config.timeoutMs, analyze };
}

class ReplyTooLargeError extends RangeError {}

/**
 * The body as text, read chunk by chunk and cancelled as soon as it passes `maxBytes`: a
 * declared `Content-Length` over the cap is refused before reading anything.
 */
async function readCapped(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new ReplyTooLargeError(`Content-Length ${declared} is over ${maxBytes}`);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let read = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    read += value.byteLength;
    if (read > maxBytes) {
      await reader.cancel();
      throw new ReplyTooLargeError(`Body is over ${maxBytes} bytes`);
    }
    text += decoder.decode(value, { stream: true });
  }
}

function parseCompletion(
  body: string,
  request: AnalysisRequest,
  fail: (message: string, options: Omit<ProviderErrorOptions, "provider">) => ProviderError,
): AnalysisContent {
  try {
    const payload = JSON.parse(body);
    const message = payload?.choices?.[0]?.message;
    const content = typeof message?.content === "string"
      ? message.content
      : Array.isArray(message?.content)
      ? message.content.map((part: { text?: unknown }) => String(part?.text ?? "")).join("")
      : undefined;
    if (!content) throw new TypeError("Reply has no choices[0].message.content");
    return repairAnalysisContent(extractJsonObject(content), request);
  } catch (err) {
    throw fail(`unusable reply: ${err instanceof Error ? err.message : String(err)}`, {
      failure: "invalid_output",
      cause: err,
    });
  }
}

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date (relative to `now`), in ms.
 *
 * @returns undefined when absent or unreadable.
 * @example
 * ```ts
 * parseRetryAfter("2", Date.now()); // 2000
 * parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT", Date.UTC(2026, 9, 21, 7, 27, 50)); // 10000
 * ```
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
