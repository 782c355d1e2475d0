/**
 * What a bot feature declares: everything it owns, in one value the registry reads
 * (`features/mod.ts` lists them; docs/ARCHITECTURE.md, "How to add a feature"). Features do not
 * import each other: menus, the buttons under an analysis card and links to another feature's
 * screens go through the registry (`services.hub`).
 *
 * @module
 */
import { type Api, type Composer } from "grammy";
import { type JobHandler } from "../actors/jobs.ts";
import { type PlainMessageKey } from "../i18n/mod.ts";
import { type BackupService } from "../store/backups.ts";
import { type JobRecord } from "../store/jobs.ts";
import { type CallbackKind } from "./callback_kind.ts";
import { type BotContext } from "./context.ts";
import { type CardButtons, type FeatureLinks, type UserRecordFamily } from "./hub.ts";
import { type BotServices } from "./services.ts";
import { type SessionSlice } from "./session_slice.ts";

/** A command's description key in i18n (shown by Telegram and in `/help`). */
export type CommandKey = Extract<PlainMessageKey, `command_${string}`>;

/** One command a feature answers. */
export interface FeatureCommand {
  name: string;
  /** Other names it answers to (kept out of Telegram's menu; `/help` shows them). */
  aliases?: readonly string[];
  /** Shown by `setMyCommands` and `/help`; none for commands kept off the lists (admin). */
  description?: CommandKey;
  /** Left out of `/help`'s list (`/start`, `/help` itself). */
  notInHelp?: boolean;
}

/**
 * A command's name and aliases, for `composer.command(...)`.
 *
 * @example
 * ```ts
 * feature.command(commandNames(LEADERBOARD), show); // /leaderboard and /top
 * ```
 */
export function commandNames(command: FeatureCommand): string[] {
  return [command.name, ...command.aliases ?? []];
}

/** An item of the main menu (`/menu`, `/start`): its place, label and what it opens. */
export interface MenuEntry {
  /** Written into the button's data (`m:<item>`): keep it stable. */
  item: string;
  label: PlainMessageKey;
  /** Lower comes first; two per row. */
  order: number;
  open(ctx: BotContext, services: BotServices): Promise<void>;
}

/** One kind of job a feature runs outside turns (docs/ARCHITECTURE.md, "How to add a feature"). */
export interface FeatureJob {
  kind: string;
  handler(deps: JobDeps): JobHandler;
  /**
   * What the requester is told when it finished (or failed); null for nothing. Without it, a
   * done job with someone to tell gets "done".
   */
  notice?(job: JobRecord & { notify: NonNullable<JobRecord["notify"]> }): string | null;
}

/** What job handlers are built with. */
export interface JobDeps extends BotServices {
  /** A Bot API client without retries, for jobs that pace themselves (broadcast). */
  pacedApi: Api;
  backups: BackupService;
}

/**
 * One feature. `composer` is built once at start with the services; everything else is plain
 * data the registry reads.
 */
export interface Feature {
  name: string;
  commands?: readonly FeatureCommand[];
  // deno-lint-ignore no-explicit-any
  callbacks?: readonly CallbackKind<any>[];
  menu?: readonly MenuEntry[];
  card?: CardButtons;
  links?: { [L in keyof FeatureLinks]?: CallbackKind<FeatureLinks[L]> };
  // deno-lint-ignore no-explicit-any
  session?: readonly SessionSlice<any>[];
  jobs?: readonly FeatureJob[];
  records?: readonly UserRecordFamily[];
  composer?(services: BotServices): Composer<BotContext>;
}

/**
 * Declares a feature (checks nothing; the registry does, at start).
 *
 * @example
 * ```ts
 * export const glossaryFeature = defineFeature({ name: "glossary", commands: [...], composer });
 * ```
 */
export function defineFeature(feature: Feature): Feature {
  return feature;
}
