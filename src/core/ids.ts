/**
 * Identifiers: time-ordered ids for records listed by time, and random ids for requests.
 *
 * @module
 */

const ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

let lastTime = 0;
let sequence = 0;

/**
 * A 20-character id that sorts by creation time (ms), then by a per-process sequence, then
 * randomly, so ids from one process never collide and ids from several rarely do.
 *
 * @example
 * ```ts
 * const a = timeOrderedId(1000), b = timeOrderedId(1000);
 * a < b; // true
 * ```
 */
export function timeOrderedId(now: number): string {
  if (now === lastTime) sequence++;
  else {
    lastTime = now;
    sequence = 0;
  }
  const time = timePrefix(now);
  const seq = sequence.toString(36).padStart(4, "0");
  let random = "";
  const bytes = crypto.getRandomValues(new Uint8Array(7));
  for (const b of bytes) random += ALPHABET[b % 36];
  return `${time}${seq}${random}`;
}

/**
 * The first 9 characters of every {@linkcode timeOrderedId} made at `ms`: a key bound for "made
 * before/after" ranges (unlike calling `timeOrderedId`, it leaves the sequence alone).
 *
 * @example
 * ```ts
 * timePrefix(0); // "000000000"
 * ```
 */
export function timePrefix(ms: number): string {
  return Math.max(0, Math.floor(ms)).toString(36).padStart(9, "0");
}

/**
 * A random URL-safe id (128 bits).
 *
 * @example
 * ```ts
 * const requestId = randomId();
 * ```
 */
export function randomId(bytes = 16): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw)).replace(/\+/g, "-").replace(/\//g, "_").replace(
    /=+$/,
    "",
  );
}
