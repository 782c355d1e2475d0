/**
 * Keeping user and AI text inside KV's value limit: long texts are capped, never refused.
 *
 * @module
 */

/** The longest text stored in one record field (a Telegram message is at most 4 096). */
export const MAX_STORED_TEXT = 4096;

/**
 * Caps text at `max` characters (without splitting a surrogate pair), marking the cut with `…`.
 *
 * @example
 * ```ts
 * capText("a".repeat(5000)).length; // 4096
 * ```
 */
export function capText(text: string, max = MAX_STORED_TEXT): string {
  if (text.length <= max) return text;
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}…`;
}
