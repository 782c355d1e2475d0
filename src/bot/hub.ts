/**
 * What features reach of each other, through the registry (`services.hub`), instead of
 * importing each other: the menu, the buttons under analysis cards, links to another feature's
 * screens, and the per-user record families `/forget` and `/export` walk.
 *
 * @module
 */
import { type InlineKeyboardButton, type InlineKeyboardMarkup } from "grammy/types";
import { type Analysis } from "../analysis/schema.ts";
import { type Lang } from "../i18n/mod.ts";
import { type LessonTopic } from "../learning/schema.ts";
import { type DataFamily } from "../store/keys.ts";
import { type Store } from "../store/kv.ts";

/** An analysis card as the buttons under it see it. */
export interface CardView {
  analysisId: string;
  analysis: Analysis;
  lang: Lang;
}

/**
 * Buttons a feature adds under analysis cards: features with the same `row` share it, in
 * `order` (lower first).
 */
export interface CardButtons {
  row: number;
  order: number;
  buttons(card: CardView): InlineKeyboardButton[];
}

/**
 * Screens one feature opens for another, by name and what the button carries. The provider
 * declares the callback kind (`links` in its {@linkcode Feature}); the user asks the registry.
 */
export interface FeatureLinks {
  /** A lesson by id. */
  lesson: { lessonId: string };
  /** The lesson that fits a topic, for this user's progress. */
  topic: { topic: LessonTopic };
}

/** One section of a user's `/export` file. */
export type ExportSection = (
  store: Store,
  userId: number,
  lang: Lang,
) => Promise<string | null>;

/**
 * A per-user record family a feature writes. `/forget` erases every per-user family of the key
 * registry; declaring it here gives it an owner and its `/export` section, or the reason it has
 * none (tests/store/erase_test.ts fails for a per-user family nobody covers).
 */
export interface UserRecordFamily {
  family: DataFamily;
  export: ExportSection | { omitted: string };
}

/** What features reach through `services.hub` instead of importing each other. */
export interface FeatureHub {
  /** The main menu, from every feature's menu entries. */
  menuKeyboard(lang: Lang): InlineKeyboardMarkup;
  /** `/help`'s command line: `/menu · /ask · … · /profile (/me) · …`. */
  helpCommands(): string;
  /** The buttons under an analysis card, rows from every feature that adds some. */
  cardKeyboard(card: CardView): InlineKeyboardMarkup;
  /** A button opening another feature's screen; null when no feature provides `link`. */
  link<L extends keyof FeatureLinks>(
    link: L,
    text: string,
    value: FeatureLinks[L],
  ): InlineKeyboardButton | null;
  /** Every feature's `/export` section for a user, in feature order (empty ones left out). */
  exportSections(store: Store, userId: number, lang: Lang): Promise<string[]>;
  /** The per-user record families features declared, in feature order. */
  readonly recordFamilies: readonly UserRecordFamily[];
}
