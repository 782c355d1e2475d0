/**
 * An actor's session state and the operations features use on it (the original bot's BotState
 * API). State is plain data: the turn loads it, features mutate it, the turn commit stores it.
 *
 * @module
 */

/** Session state of one user; everything here expires after `SESSION_TTL_SECONDS` idle. */
export interface SessionState {
  /** When the last accepted analysis started (epoch ms): the flood clock. */
  lastAnalysisAt: number | null;
  /** The last news text analysed, for re-explanations. */
  lastNews: { text: string; analysisId: string | null; at: number } | null;
  /** The course and lesson the user is in. */
  course: { courseId: string; lessonId: string } | null;
  /** A quiz in progress. */
  quiz: { lessonId: string; index: number; answers: number[]; startedAt: number } | null;
  /** 👎 attempts per analysis still being re-explained. */
  feedbackAttempts: Record<string, number>;
  /** A question waiting for the user's yes/no (e.g. /forget, /broadcast). */
  pending: { kind: string; data: Record<string, unknown>; at: number } | null;
  /** Small feature-specific values that need no field of their own. */
  data: Record<string, unknown>;
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
  return {
    lastAnalysisAt: null,
    lastNews: null,
    course: null,
    quiz: null,
    feedbackAttempts: {},
    pending: null,
    data: {},
  };
}

/** What {@linkcode checkFlood} decided. */
export interface FloodDecision {
  allowed: boolean;
  /** How long until the next analysis is allowed (0 when allowed). */
  retryAfterMs: number;
}

/**
 * Enforces the minimum gap between two analyses. An allowed attempt starts the clock; a refused
 * one does not reset it.
 *
 * @example
 * ```ts
 * const flood = checkFlood(turn.state, clock.now(), 3000);
 * if (!flood.allowed) return ctx.reply(`wait ${Math.ceil(flood.retryAfterMs / 1000)} s`);
 * ```
 */
export function checkFlood(state: SessionState, now: number, cooldownMs: number): FloodDecision {
  const last = state.lastAnalysisAt;
  if (last !== null && now - last < cooldownMs) {
    return { allowed: false, retryAfterMs: cooldownMs - (now - last) };
  }
  state.lastAnalysisAt = now;
  return { allowed: true, retryAfterMs: 0 };
}

/**
 * Counts a 👎 on an analysis and returns the attempt number (1-based).
 *
 * @example
 * ```ts
 * const attempt = recordFeedbackAttempt(turn.state, analysisId); // 1, 2, 3…
 * ```
 */
export function recordFeedbackAttempt(state: SessionState, analysisId: string): number {
  const attempt = (state.feedbackAttempts[analysisId] ?? 0) + 1;
  state.feedbackAttempts[analysisId] = attempt;
  return attempt;
}

/**
 * Forgets the attempts on an analysis (it was marked helpful, or the variants ran out).
 *
 * @example
 * ```ts
 * clearFeedbackAttempts(turn.state, analysisId);
 * ```
 */
export function clearFeedbackAttempts(state: SessionState, analysisId: string): void {
  delete state.feedbackAttempts[analysisId];
}

/**
 * Clears everything the session holds (the user asked to forget, or an admin reset them).
 *
 * @example
 * ```ts
 * cleanupUserData(turn.state);
 * ```
 */
export function cleanupUserData(state: SessionState): void {
  Object.assign(state, emptySession());
}

/** Which session gauges a state counts towards. */
export interface SessionFlags {
  news: boolean;
  course: boolean;
  quiz: boolean;
  feedback: boolean;
}

/** The gauges a state counts towards (for `getStats()`). */
export function sessionFlags(state: SessionState): SessionFlags {
  return {
    news: state.lastNews !== null,
    course: state.course !== null,
    quiz: state.quiz !== null,
    feedback: Object.keys(state.feedbackAttempts).length > 0,
  };
}

/** Fills fields added since a session was stored, so old sessions load cleanly. */
export function normaliseSession(stored: Partial<SessionState> | null | undefined): SessionState {
  return { ...emptySession(), ...stored };
}
