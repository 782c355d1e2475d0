/**
 * The Hono environment of the API: what middleware puts on each request.
 *
 * @module
 */
import { type Lang } from "../i18n/mod.ts";

/** Per-request variables. */
export interface ApiVariables {
  requestId: string;
  /** When handling started (epoch ms, from the injected clock). */
  startedAt: number;
  /** The language of error messages (from `Accept-Language`). */
  lang: Lang;
  /** The client address (`clientIp`), for limits, the access log and audit rows. */
  clientIp?: string;
  /** The API key that authenticated the request, if any. */
  apiKeyId?: string;
}

/** What `Deno.serve` passes as the second argument of `fetch` (absent under `app.request`). */
export interface ApiBindings {
  remoteAddr?: Deno.Addr;
}

/** The `Env` generic every router of the API uses. */
export interface ApiEnv {
  Variables: ApiVariables;
  Bindings: ApiBindings;
}
