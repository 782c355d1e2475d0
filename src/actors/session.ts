/**
 * An actor's session state as the runtime sees it: named values it loads, hands to the turn and
 * stores with the turn's commit, without reading them. What the names mean belongs to the bot
 * (each feature declares its slice: `src/bot/session_slice.ts`); so do the session gauges, which
 * the runtime counts by the functions it is given (docs/ARCHITECTURE.md, "How to add a feature").
 *
 * @module
 */

/** Session state of one user; everything here expires after `SESSION_TTL_SECONDS` idle. */
export type SessionState = Record<string, unknown>;

/**
 * A gauge of sessions: the counter the commits keep, the name `getStats()` reports it by, and
 * whether a state counts towards it.
 */
export interface SessionGauge {
  counter: string;
  stat: string;
  counts(state: SessionState): boolean;
}

/**
 * A new, empty session.
 *
 * @example
 * ```ts
 * const state = emptySession();
 * ```
 */
export function emptySession(): SessionState {
  return {};
}

/**
 * Clears everything the session holds (the user's data is being erased).
 *
 * @example
 * ```ts
 * cleanupUserData(turn.state);
 * ```
 */
export function cleanupUserData(state: SessionState): void {
  for (const name of Object.keys(state)) delete state[name];
}

/**
 * A stored session's state: an object as it was stored (its slices read what they know), or an
 * empty one for anything else.
 *
 * @example
 * ```ts
 * const state = normaliseSession(read.record.state);
 * ```
 */
export function normaliseSession(stored: unknown): SessionState {
  return typeof stored === "object" && stored !== null && !Array.isArray(stored)
    ? stored as SessionState
    : emptySession();
}
