/**
 * A circuit breaker: after repeated failures it stops calling a dependency for a cool-down,
 * then lets one trial call through (half-open) before closing again.
 *
 * @module
 */
import { type Clock, systemClock } from "./clock.ts";

/** closed: calls flow; open: calls are refused; half-open: one trial call is allowed. */
export type BreakerState = "closed" | "open" | "half-open";

/** Options of {@linkcode CircuitBreaker}. */
export interface BreakerOptions {
  /** Consecutive failures that open the breaker. @default 5 */
  failureThreshold?: number;
  /** How long it stays open before a trial call. @default 30000 */
  cooldownMs?: number;
  clock?: Clock;
}

/**
 * @example Guard a provider
 * ```ts
 * const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 10_000 });
 * if (breaker.tryAcquire()) {
 *   try { await call(); breaker.recordSuccess(); } catch { breaker.recordFailure(); }
 * }
 * ```
 */
export class CircuitBreaker {
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #clock: Clock;
  #failures = 0;
  #openedAt = 0;
  #state: BreakerState = "closed";
  #trialInFlight = false;

  constructor(options: BreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#cooldownMs = options.cooldownMs ?? 30_000;
    this.#clock = options.clock ?? systemClock;
    if (this.#threshold < 1) throw new RangeError("Cannot create breaker: failureThreshold < 1");
  }

  /** The current state, moving open → half-open once the cool-down has passed. */
  get state(): BreakerState {
    if (this.#state === "open" && this.#clock.now() - this.#openedAt >= this.#cooldownMs) {
      this.#state = "half-open";
      this.#trialInFlight = false;
    }
    return this.#state;
  }

  /** Whether a call may go through now; in half-open, only the first caller gets the trial. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.#failures = 0;
    this.#state = "closed";
    this.#trialInFlight = false;
  }

  recordFailure(): void {
    this.#failures++;
    if (this.state === "half-open" || this.#failures >= this.#threshold) {
      this.#state = "open";
      this.#openedAt = this.#clock.now();
      this.#trialInFlight = false;
    }
  }
}
