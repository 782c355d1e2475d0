/**
 * Reading and comparing secrets presented to the API: the bearer token of a request, and a
 * comparison whose time does not depend on the secrets.
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { type Context } from "hono";
import { type ApiEnv } from "../env.ts";

/** Printable ASCII without spaces, as a bearer token and `ADMIN_API_TOKEN` must be. */
const BEARER = /^Bearer +([\x21-\x7e]{1,512})\s*$/i;

/**
 * The bearer token of a request, if it sent one.
 *
 * @example
 * ```ts
 * const token = bearerToken(c); // "rvx_…" or null
 * ```
 */
export function bearerToken(c: Context<ApiEnv>): string | null {
  const header = c.req.header("Authorization");
  return header ? BEARER.exec(header)?.[1] ?? null : null;
}

function digest(value: string): Uint8Array {
  return createHash("sha256").update(value).digest();
}

/**
 * Compares two secrets in time that does not depend on where they differ (both are hashed first,
 * so their lengths do not leak either). Synchronous: WebCrypto's digest is a round trip to a
 * worker thread: 3 % of the CPU under webhook load, and a wait on every request.
 *
 * @example
 * ```ts
 * constantTimeEqual(presented, expected); // true or false
 * ```
 */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
