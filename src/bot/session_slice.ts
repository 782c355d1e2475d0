/**
 * A feature's slice of the session: one named value in the user's session record, typed, with a
 * default, an optional expiry and an optional gauge. The runtime stores the record and counts
 * the gauges it is given without knowing whose they are (docs/ARCHITECTURE.md, "How to add a feature").
 *
 * @module
 */
import { type Turn } from "../actors/turn.ts";

/** The parts of a turn a slice reads: the session and the clock. */
export type SliceTurn = Pick<Turn, "state" | "clock">;

/** What {@linkcode sessionSlice} is declared with. */
export interface SessionSliceOptions<T> {
  /** The field in the session record (keep it stable: stored sessions carry it). */
  key: string;
  /** The value when the session has none, or holds one that is not valid. */
  initial(): T;
  /** Whether a stored value has the slice's shape (a session written by an older version). */
  valid(value: unknown): value is T;
  /** After this long since `at(value)`, the value reads as `initial()`. */
  expiry?: { afterMs: number; at(value: T): number | null };
  /**
   * A gauge of sessions whose value is `active`: the counter `name`, reported by `/api/v1/stats`
   * as `stat`.
   */
  gauge?: SliceGauge<T>;
}

/** A slice's gauge: its counter, its name in `/api/v1/stats`, and which values count. */
export interface SliceGauge<T> {
  name: string;
  stat: string;
  active(value: T): boolean;
}

/** A declared slice: read and write it through the turn. */
export interface SessionSlice<T> {
  readonly key: string;
  readonly gauge?: SliceGauge<T>;
  get(turn: SliceTurn): T;
  set(turn: SliceTurn, value: T): void;
  /** Whether the slice's gauge counts this stored session (false without a gauge). */
  counts(state: Record<string, unknown>): boolean;
}

function bag(turn: Pick<Turn, "state">): Record<string, unknown> {
  return turn.state as unknown as Record<string, unknown>;
}

/**
 * Declares a session slice.
 *
 * @example
 * ```ts
 * const lastTerm = sessionSlice({
 *   key: "glossary",
 *   initial: () => null,
 *   valid: (v): v is string | null => v === null || typeof v === "string",
 * });
 * lastTerm.set(ctx.turn, "wallet");
 * lastTerm.get(ctx.turn); // "wallet"
 * ```
 */
export function sessionSlice<T>(options: SessionSliceOptions<T>): SessionSlice<T> {
  const { key, expiry, gauge } = options;
  function read(state: Record<string, unknown>): T {
    const value = state[key];
    return value !== undefined && options.valid(value) ? value : options.initial();
  }
  return {
    key,
    gauge,
    get(turn) {
      const value = read(bag(turn));
      const at = expiry?.at(value);
      if (expiry && at != null && turn.clock.now() - at > expiry.afterMs) return options.initial();
      return value;
    },
    set(turn, value) {
      bag(turn)[key] = value;
    },
    counts(state) {
      return gauge ? gauge.active(read(state)) : false;
    },
  };
}
