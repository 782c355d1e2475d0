/**
 * The Hono environment of the API: what middleware puts on each request.
 *
 * @module
 */
/** Per-request variables. */
export interface ApiVariables {
  requestId: string;
  /** When handling started (epoch ms, from the injected clock). */
  startedAt: number;
}

/** The `Env` generic every router of the API uses. */
export interface ApiEnv {
  Variables: ApiVariables;
}
