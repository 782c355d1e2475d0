/**
 * Callback data of inline buttons: packed here, parsed and validated here, nowhere else. A
 * button from an older version or a forged one parses to null and is answered as stale.
 *
 * @module
 */
import { asLang, type Lang } from "../i18n/mod.ts";

/** Items of the main menu. */
export const MENU_ITEMS = ["analyze", "history", "limits", "help"] as const;
export type MenuItem = typeof MENU_ITEMS[number];

/** Everything a button can ask for. */
export type CallbackAction =
  | { kind: "vote"; vote: "up" | "down"; analysisId: string }
  | { kind: "bookmark"; analysisId: string }
  | { kind: "language"; lang: Lang }
  | { kind: "menu"; item: MenuItem }
  | { kind: "forget"; confirm: boolean };

const ID = "[0-9a-z]{20}";

/** The pattern of each kind, for `composer.callbackQuery(...)`. */
export const CALLBACK_PATTERNS = {
  vote: new RegExp(`^v:(up|down):(${ID})$`),
  bookmark: new RegExp(`^b:(${ID})$`),
  language: /^l:(ru|en)$/,
  menu: new RegExp(`^m:(${MENU_ITEMS.join("|")})$`),
  forget: /^f:(yes|no)$/,
} as const satisfies Record<CallbackAction["kind"], RegExp>;

/**
 * Packs an action into callback data (always ≤ 64 bytes).
 *
 * @example
 * ```ts
 * packCallback({ kind: "bookmark", analysisId: item.id }); // "b:…"
 * ```
 */
export function packCallback(action: CallbackAction): string {
  switch (action.kind) {
    case "vote":
      return `v:${action.vote}:${action.analysisId}`;
    case "bookmark":
      return `b:${action.analysisId}`;
    case "language":
      return `l:${action.lang}`;
    case "menu":
      return `m:${action.item}`;
    case "forget":
      return `f:${action.confirm ? "yes" : "no"}`;
  }
}

/**
 * Parses callback data; null when it is not one of ours.
 *
 * @example
 * ```ts
 * parseCallback("l:en"); // { kind: "language", lang: "en" }
 * parseCallback("drop table"); // null
 * ```
 */
export function parseCallback(data: string | undefined): CallbackAction | null {
  if (!data || data.length > 64) return null;
  let m: RegExpExecArray | null;
  if ((m = CALLBACK_PATTERNS.vote.exec(data))) {
    return { kind: "vote", vote: m[1] as "up" | "down", analysisId: m[2] };
  }
  if ((m = CALLBACK_PATTERNS.bookmark.exec(data))) return { kind: "bookmark", analysisId: m[1] };
  if ((m = CALLBACK_PATTERNS.language.exec(data))) return { kind: "language", lang: asLang(m[1])! };
  if ((m = CALLBACK_PATTERNS.menu.exec(data))) return { kind: "menu", item: m[1] as MenuItem };
  if ((m = CALLBACK_PATTERNS.forget.exec(data))) return { kind: "forget", confirm: m[1] === "yes" };
  return null;
}
