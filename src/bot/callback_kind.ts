/**
 * Typed callback data: one declaration per kind of button packs it, parses it, validates it and
 * gives the pattern `composer.callbackQuery(...)` matches. Data is `<prefix>` or
 * `<prefix>:<field>:<field>…` in declaration order, at most 64 bytes; anything else (a button
 * from an older version, a forged one) parses to null and is answered as stale. The registry
 * checks at start that no two kinds share a prefix (docs/ARCHITECTURE.md, "How to add a feature").
 *
 * @module
 */

/** One field of a callback kind: its pattern (no capture groups) and how its text maps to a value. */
export interface CallbackField<T> {
  pattern: string;
  parse(text: string): T;
  format(value: T): string;
}

/** Telegram's limit on callback data, in bytes of UTF-8. */
export const CALLBACK_DATA_LIMIT = 64;
const utf8 = new TextEncoder();

/**
 * A string field matching `pattern` (a regular expression source without capture groups).
 *
 * @example
 * ```ts
 * const id = text("[a-z0-9-]{1,32}");
 * ```
 */
export function text(pattern: string): CallbackField<string> {
  return { pattern, parse: (s) => s, format: (v) => v };
}

/**
 * One of a fixed list of strings.
 *
 * @example
 * ```ts
 * const vote = oneOf(["up", "down"] as const);
 * ```
 */
export function oneOf<const V extends string>(values: readonly V[]): CallbackField<V> {
  return {
    pattern: values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"),
    parse: (s) => s as V,
    format: (v) => v,
  };
}

/**
 * A non-negative integer of at most `digits` digits.
 *
 * @example
 * ```ts
 * const index = int(1); // 0…9
 * ```
 */
export function int(digits: number): CallbackField<number> {
  return { pattern: `[0-9]{1,${digits}}`, parse: Number, format: String };
}

/**
 * A yes/no answer, written `yes` or `no`.
 *
 * @example
 * ```ts
 * const confirm = yesNo();
 * ```
 */
export function yesNo(): CallbackField<boolean> {
  return { pattern: "yes|no", parse: (s) => s === "yes", format: (v) => v ? "yes" : "no" };
}

type Fields = Record<string, CallbackField<unknown>>;

/** The value a kind packs: each field's value by name. */
export type CallbackValue<F extends Fields> = {
  [K in keyof F]: F[K] extends CallbackField<infer T> ? T : never;
};

/** One kind of button: its prefix, its pattern, and the two directions. */
export interface CallbackKind<V> {
  readonly prefix: string;
  /** Matches exactly this kind's data, for `composer.callbackQuery(kind.pattern, …)`. */
  readonly pattern: RegExp;
  /** Packs a value (throws a RangeError when it would not be valid data). */
  pack(value: V): string;
  /** The value in `data`, or null when `data` is not this kind's. */
  parse(data: string | undefined): V | null;
}

/**
 * Declares a kind of button.
 *
 * @example
 * ```ts
 * const nextTerm = callbackKind("gn", { term: text("[a-z0-9_]{1,40}") });
 * nextTerm.pack({ term: "wallet" }); // "gn:wallet"
 * nextTerm.parse("gn:wallet"); // { term: "wallet" }
 * feature.callbackQuery(nextTerm.pattern, …);
 * ```
 */
export function callbackKind<F extends Fields = Record<never, never>>(
  prefix: string,
  fields: F = {} as F,
): CallbackKind<CallbackValue<F>> {
  if (!/^[a-z]{1,4}$/.test(prefix)) {
    throw new TypeError(`Cannot declare callback kind "${prefix}": a prefix is 1–4 letters a-z`);
  }
  const names = Object.keys(fields);
  const source = [prefix, ...names.map((n) => `(${fields[n].pattern})`)].join(":");
  const pattern = new RegExp(`^${source}$`);
  return {
    prefix,
    pattern,
    pack(value) {
      const data = [prefix, ...names.map((n) => fields[n].format(value[n]))].join(":");
      if (utf8.encode(data).length > CALLBACK_DATA_LIMIT || !pattern.test(data)) {
        throw new RangeError(`Cannot pack callback kind "${prefix}": "${data}" is not valid`);
      }
      return data;
    },
    parse(data) {
      // Characters never outnumber bytes: longer than the limit in characters is over it in bytes.
      if (!data || data.length > CALLBACK_DATA_LIMIT) return null;
      const m = pattern.exec(data);
      if (!m) return null;
      const value: Record<string, unknown> = {};
      names.forEach((n, i) => value[n] = fields[n].parse(m[i + 1]));
      return value as CallbackValue<F>;
    },
  };
}
