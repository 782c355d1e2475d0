/**
 * Fixed-width columns of the CLI's tables (`apikey list`, `deadletters list`, `backups`).
 *
 * @module
 */

/**
 * `text` padded to `width`, left-aligned or (with `right`) right-aligned; a text as wide as the
 * column or wider keeps one space towards its neighbour, so columns never run together.
 *
 * @example
 * ```ts
 * pad("id", 4); // "id  "
 * pad("12", 4, true); // "  12"
 * pad("toolong", 4); // "toolong "
 * ```
 */
export function pad(text: string, width: number, right = false): string {
  if (text.length >= width) return right ? ` ${text}` : `${text} `;
  return right ? text.padStart(width) : text.padEnd(width);
}
