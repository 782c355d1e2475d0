/**
 * English texts. Every user-facing string lives here and in `ru.ts` under the same keys;
 * `{name}` marks a parameter filled in by {@linkcode t}.
 *
 * @module
 */
export const en = {
  // === Errors
  error_generic: "Something went wrong on our side. Please try again in a moment.",
  error_unavailable:
    "The bot is temporarily unavailable. Your message is safe; please try again shortly.",
  error_upstream: "An outside service did not answer. Please try again in a moment.",
  error_validation: "That input doesn't look right: {reason}",
  error_rate_limited: "Too many requests. Please try again in {seconds} s.",
  error_not_found: "Not found.",
  error_unauthorized: "Authorization required.",
  error_forbidden: "Access denied.",
  error_method_not_allowed: "This method is not allowed here.",
  error_payload_too_large: "The request is too large (limit {limit} bytes).",
} as const;

/** Every message key. */
export type MessageKey = keyof typeof en;
