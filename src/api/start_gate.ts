/**
 * Serving while the app starts (docs/ARCHITECTURE.md, "Start-up"). `Deno.serve` listens once the
 * first phase (KV, the inbox, `/health` and the Telegram webhook) is up; the rest of the app is
 * loaded in the background. Until it is, the first phase's routes are answered by the first phase,
 * and every other request waits for the full app (a Telegram delivery is never bounced) for at
 * most `waitMs`, then gets the first phase's 503 `UNAVAILABLE` with `Retry-After`.
 *
 * @module
 */
import { type Clock, systemClock } from "../core/clock.ts";

/** A `Deno.serve` handler. */
export type FetchHandler = (
  request: Request,
  info?: Deno.ServeHandlerInfo,
) => Response | Promise<Response>;

/** The routes the first phase answers, as `METHOD /path`. */
export const FIRST_PHASE_ROUTES: ReadonlySet<string> = new Set([
  "GET /health",
  "HEAD /health",
  "POST /telegram/webhook",
]);

/** Options of {@linkcode StartGate}. */
export interface StartGateOptions {
  /** Serves {@linkcode FIRST_PHASE_ROUTES}, and answers 503 to the rest. */
  firstPhase: FetchHandler;
  /** How long a request for a later route waits for the full app. @default 10000 */
  waitMs?: number;
  /** @default systemClock */
  clock?: Clock;
}

/**
 * The one handler `Deno.serve` gets: the full app once it is open, the first phase before.
 *
 * @example
 * ```ts
 * const gate = new StartGate({ firstPhase: early.fetch });
 * Deno.serve(gate.fetch);
 * gate.open((await composeApp(config, { firstPhase })).api.fetch);
 * ```
 */
export class StartGate {
  readonly #firstPhase: FetchHandler;
  readonly #waitMs: number;
  readonly #clock: Clock;
  #full: FetchHandler | null = null;
  readonly #opened: Promise<void>;
  #resolveOpened!: () => void;
  readonly #firstAnswered: Promise<void>;
  #resolveFirstAnswered!: () => void;

  constructor(options: StartGateOptions) {
    this.#firstPhase = options.firstPhase;
    this.#waitMs = options.waitMs ?? 10_000;
    this.#clock = options.clock ?? systemClock;
    this.#opened = new Promise((resolve) => this.#resolveOpened = resolve);
    this.#firstAnswered = new Promise((resolve) => this.#resolveFirstAnswered = resolve);
  }

  /**
   * Resolves once the first phase has answered its first request, or after `ms` without one:
   * loading the rest of the app keeps the one JS thread busy, so it starts after the request that
   * woke the instance is answered.
   */
  firstAnswered(ms: number): Promise<void> {
    const gaveUp = new AbortController();
    const waited = this.#clock.sleep(ms, gaveUp.signal).catch(() => {});
    return Promise.race([this.#firstAnswered, waited]).finally(() => gaveUp.abort());
  }

  /** Whether the full app answers now. */
  get isOpen(): boolean {
    return this.#full !== null;
  }

  /** Hands every request from now on (and those waiting) to the full app. */
  open(full: FetchHandler): void {
    this.#full = full;
    this.#resolveOpened();
  }

  /** The `Deno.serve` handler. */
  readonly fetch: FetchHandler = (request, info) => {
    if (this.#full) return this.#full(request, info);
    const route = `${request.method} ${new URL(request.url).pathname}`;
    if (FIRST_PHASE_ROUTES.has(route)) return this.#early(request, info);
    return this.#later(request, info);
  };

  async #early(request: Request, info?: Deno.ServeHandlerInfo): Promise<Response> {
    try {
      return await this.#firstPhase(request, info);
    } finally {
      this.#resolveFirstAnswered();
    }
  }

  async #later(request: Request, info?: Deno.ServeHandlerInfo): Promise<Response> {
    const gaveUp = new AbortController();
    const timedOut = this.#clock.sleep(
      this.#waitMs,
      AbortSignal.any([gaveUp.signal, request.signal]),
    )
      .catch(() => {});
    try {
      await Promise.race([this.#opened, timedOut]);
    } finally {
      gaveUp.abort();
    }
    return (this.#full ?? this.#firstPhase)(request, info);
  }
}
