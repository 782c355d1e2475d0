/**
 * A fake OpenAI-compatible chat-completions server on 127.0.0.1 (Hono on `Deno.serve`), scripted
 * per test: each request takes the next queued behaviour, or the default once the queue is empty.
 * It records every request so tests can assert prompts, headers and counts.
 *
 * @module
 */
import { Hono } from "hono";
import { type ProviderConfig } from "../../src/config.ts";

/** How the server answers one request. */
export type FakeLlmBehaviour =
  /** A valid analysis (or `analysis`), optionally wrapped the way chatty models wrap JSON. */
  | { type: "ok"; analysis?: Record<string, unknown>; wrap?: "none" | "fence" | "tags" | "prose" }
  /** `choices[0].message.content` set to this exact string. */
  | { type: "content"; content: string }
  /** A 200 whose message content is not JSON at all. */
  | { type: "invalid_json" }
  /** An error status, with `Retry-After` when given. */
  | { type: "status"; status: number; retryAfter?: string; body?: string }
  /** Never answers until the server closes. */
  | { type: "hang" }
  /** Sends headers and half a body, then drops the connection. */
  | { type: "drop" }
  /** A 200 whose body never ends: 16 KiB chunks until the client stops reading. */
  | { type: "endless" };

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The parsed JSON body, or null when it was not JSON. */
  body: {
    model?: string;
    messages?: { role: string; content: string }[];
    response_format?: { type: string };
    temperature?: number;
    max_tokens?: number;
  } | null;
}

/**
 * A valid analysis object as a model would return it.
 *
 * @example
 * ```ts
 * fakeAnalysis({ assets: ["SOL"] });
 * ```
 */
export function fakeAnalysis(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    summary: "The SEC approved spot Ethereum ETFs, opening ETH to regulated fund investors.",
    impact_points: [
      "Funds can now buy ETH through a familiar, regulated product.",
      "Fresh demand may lift the price, but the news was partly expected.",
      "Volatility often rises around launch days.",
    ],
    sentiment: { label: "bullish", confidence: 0.7 },
    risk: "medium",
    horizon: "week",
    assets: ["ETH"],
    learning_question: "Why might an ETF approval move the price before the fund starts trading?",
    kind: "news",
    ...overrides,
  };
}

/**
 * The fake server. Start with {@linkcode FakeLlmServer.start}; close with `await server.close()`
 * or `await using`.
 *
 * @example
 * ```ts
 * await using llm = await FakeLlmServer.start();
 * llm.enqueue({ type: "status", status: 429, retryAfter: "2" }, { type: "ok" });
 * const provider = llm.provider("provider1");
 * ```
 */
export class FakeLlmServer {
  /** Base URL to configure as a provider URL (`…/v1`). */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[] = [];
  #queue: FakeLlmBehaviour[] = [];
  #default: FakeLlmBehaviour;
  #server: Deno.HttpServer<Deno.NetAddr>;
  #hanging = new Set<() => void>();
  #waiters: { count: number; resolve: () => void }[] = [];
  #closed = false;
  #endlessStopped = Promise.withResolvers<void>();
  /** Resolves once a client stopped reading an `endless` body (cancelled it). */
  readonly endlessStopped: Promise<void> = this.#endlessStopped.promise;

  private constructor(defaultBehaviour: FakeLlmBehaviour) {
    this.#default = defaultBehaviour;
    const app = new Hono();
    app.post("/v1/chat/completions", async (c) => {
      let body: RecordedRequest["body"] = null;
      try {
        body = await c.req.json();
      } catch { /* recorded as null */ }
      this.requests.push({
        method: c.req.method,
        path: new URL(c.req.url).pathname,
        headers: Object.fromEntries(c.req.raw.headers),
        body,
      });
      this.#notify();
      return this.#respond(this.#queue.shift() ?? this.#default);
    });
    this.#server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen() {},
      // A dropped body is an error in Deno.serve; it is what the test asked for, so stay quiet.
      onError: () => new Response(null, { status: 500 }),
    }, app.fetch);
    this.url = `http://127.0.0.1:${this.#server.addr.port}/v1`;
  }

  /** Starts a server; by default it answers every request with a valid analysis. */
  static start(defaultBehaviour: FakeLlmBehaviour = { type: "ok" }): Promise<FakeLlmServer> {
    return Promise.resolve(new FakeLlmServer(defaultBehaviour));
  }

  /** A provider config pointing here. */
  provider(name: string, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
    return { name, url: this.url, model: "fake-model", timeoutMs: 8000, ...overrides };
  }

  /** Queues behaviours for the next requests, in order. */
  enqueue(...behaviours: FakeLlmBehaviour[]): void {
    this.#queue.push(...behaviours);
  }

  /** The behaviour once the queue is empty. */
  setDefault(behaviour: FakeLlmBehaviour): void {
    this.#default = behaviour;
  }

  /** Resolves once at least `count` requests have arrived. */
  waitForRequests(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Ends hanging requests and stops the server; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const release of this.#hanging) release();
    this.#hanging.clear();
    await this.#server.shutdown();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #notify(): void {
    this.#waiters = this.#waiters.filter((waiter) => {
      if (this.requests.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  #respond(behaviour: FakeLlmBehaviour): Response | Promise<Response> {
    switch (behaviour.type) {
      case "ok":
        return completion(wrapJson(behaviour.analysis ?? fakeAnalysis(), behaviour.wrap ?? "none"));
      case "content":
        return completion(behaviour.content);
      case "invalid_json":
        return completion("Sure! Here is the analysis: the market is up, summary: good news.");
      case "status": {
        const headers = new Headers({ "content-type": "application/json" });
        if (behaviour.retryAfter !== undefined) headers.set("retry-after", behaviour.retryAfter);
        const body = behaviour.body ??
          JSON.stringify({ error: { message: `fake status ${behaviour.status}` } });
        return new Response(body, { status: behaviour.status, headers });
      }
      case "hang":
        // Released only by close(): the client giving up is what a hang test waits for, and
        // watching request.signal would trip Deno.serve's legacy-abort warning.
        return new Promise((resolve) => {
          this.#hanging.add(() => resolve(new Response(null, { status: 503 })));
        });
      case "endless": {
        const chunk = new TextEncoder().encode(
          `{"choices":[{"message":{"content":"${"A".repeat(16_384 - 40)}`,
        );
        return new Response(
          new ReadableStream({
            pull: (controller) => controller.enqueue(chunk),
            cancel: () => this.#endlessStopped.resolve(),
          }, { highWaterMark: 0 }),
          { headers: { "content-type": "application/json" } },
        );
      }
      case "drop":
        return new Response(
          new ReadableStream({
            start(controller) {
              controller.enqueue(new TextEncoder().encode('{"choices": [{"mess'));
              controller.error(new Error("fake connection drop"));
            },
          }),
          { headers: { "content-type": "application/json" } },
        );
    }
  }
}

function wrapJson(analysis: Record<string, unknown>, wrap: "none" | "fence" | "tags" | "prose") {
  const json = JSON.stringify(analysis, null, 2);
  switch (wrap) {
    case "none":
      return json;
    case "fence":
      return `Here is the analysis:\n\`\`\`json\n${json}\n\`\`\`\nLet me know if you need more.`;
    case "tags":
      return `<json>${json}</json>`;
    case "prose":
      return `Sure, here you go: ${json} — hope that helps {not json}.`;
  }
}

function completion(content: string): Response {
  return Response.json({
    id: "chatcmpl-fake",
    object: "chat.completion",
    created: 0,
    model: "fake-model",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
  });
}
