/**
 * The feature registry: reads every feature's declaration once, at start, checks that no two
 * claim the same command, button prefix, menu item, job kind, link, session key or record
 * family, and derives what used to be kept by hand: Telegram's command lists, `/help`'s command
 * line, the main menu, the buttons under analysis cards, links between features, job handlers
 * and their notices, the session gauges and the per-user families `/forget` and `/export` cover
 * (docs/ARCHITECTURE.md, "How to add a feature").
 *
 * @module
 */
import { Composer, type Middleware } from "grammy";
import {
  type BotCommand,
  type InlineKeyboardButton,
  type InlineKeyboardMarkup,
} from "grammy/types";
import { type JobHandler } from "../actors/jobs.ts";
import { type SessionGauge } from "../actors/session.ts";
import { type Lang, t } from "../i18n/mod.ts";
import { type JobRecord } from "../store/jobs.ts";
import { type Store } from "../store/kv.ts";
import { type CallbackKind, callbackKind, oneOf } from "./callback_kind.ts";
import { type BotContext } from "./context.ts";
import { type Feature, type FeatureCommand, type JobDeps, type MenuEntry } from "./feature.ts";
import {
  type CardButtons,
  type CardView,
  type FeatureLinks,
  type UserRecordFamily,
} from "./hub.ts";
import { type FeatureHub } from "./hub.ts";
import { type BotServices } from "./services.ts";

/** The prefix of main-menu buttons (`m:<item>`), owned by the registry. */
const MENU_PREFIX = "m";

function claim(seen: Map<string, string>, what: string, name: string, owner: string): void {
  const previous = seen.get(name);
  if (previous !== undefined) {
    throw new Error(
      `Cannot register feature "${owner}": ${what} "${name}" is already declared by "${previous}"`,
    );
  }
  seen.set(name, owner);
}

/**
 * The registry of a list of features.
 *
 * @example
 * ```ts
 * const registry = new FeatureRegistry(FEATURES);
 * const services = { ...base, hub: registry };
 * createBot({ token, botInfo, features: registry.middleware(services) });
 * ```
 */
export class FeatureRegistry implements FeatureHub {
  readonly features: readonly Feature[];
  readonly recordFamilies: readonly UserRecordFamily[];
  readonly #menu: MenuEntry[];
  readonly #card: CardButtons[];
  readonly #menuKind: CallbackKind<{ item: string }>;
  // deno-lint-ignore no-explicit-any
  readonly #links = new Map<string, CallbackKind<any>>();

  constructor(features: readonly Feature[]) {
    this.features = features;
    const seen = {
      feature: new Map<string, string>(),
      command: new Map<string, string>(),
      prefix: new Map<string, string>([[MENU_PREFIX, "registry"]]),
      menu: new Map<string, string>(),
      job: new Map<string, string>(),
      link: new Map<string, string>(),
      session: new Map<string, string>(),
      gauge: new Map<string, string>(),
      family: new Map<string, string>(),
    };
    for (const f of features) {
      claim(seen.feature, "the name", f.name, f.name);
      for (const c of f.commands ?? []) {
        for (const name of [c.name, ...c.aliases ?? []]) {
          claim(seen.command, "command", name, f.name);
        }
      }
      for (const kind of f.callbacks ?? []) {
        claim(seen.prefix, "button prefix", kind.prefix, f.name);
      }
      for (const m of f.menu ?? []) claim(seen.menu, "menu item", m.item, f.name);
      for (const j of f.jobs ?? []) claim(seen.job, "job kind", j.kind, f.name);
      for (const [name, kind] of Object.entries(f.links ?? {})) {
        claim(seen.link, "link", name, f.name);
        this.#links.set(name, kind);
      }
      for (const s of f.session ?? []) {
        claim(seen.session, "session key", s.key, f.name);
        if (s.gauge) claim(seen.gauge, "gauge", s.gauge.name, f.name);
      }
      for (const r of f.records ?? []) claim(seen.family, "record family", r.family, f.name);
    }
    this.#menu = features.flatMap((f) => f.menu ?? []).sort((a, b) => a.order - b.order);
    this.#menuKind = callbackKind(MENU_PREFIX, {
      item: oneOf(this.#menu.map((m) => m.item)),
    });
    this.recordFamilies = features.flatMap((f) => f.records ?? []);
    this.#card = features.flatMap((f) => f.card ? [f.card] : [])
      .sort((a, b) => a.row - b.row || a.order - b.order);
  }

  /** Commands shown in Telegram's menu and `/help`, in feature order. */
  listedCommands(): (FeatureCommand & {
    description: NonNullable<FeatureCommand["description"]>;
  })[] {
    return this.features.flatMap((f) => f.commands ?? []).filter((c) => c.description !== undefined)
      .map((c) => ({ ...c, description: c.description! }));
  }

  /** Telegram's command list in one language. */
  commandList(lang: Lang): BotCommand[] {
    return this.listedCommands().map((c) => ({
      command: c.name,
      description: t(lang, c.description),
    }));
  }

  helpCommands(): string {
    return this.listedCommands().filter((c) => !c.notInHelp)
      .map((c) => [`/${c.name}`, ...(c.aliases ?? []).map((a) => `(/${a})`)].join(" "))
      .join(" · ");
  }

  menuKeyboard(lang: Lang): InlineKeyboardMarkup {
    const rows: InlineKeyboardButton[][] = [];
    this.#menu.forEach((entry, i) => {
      const button = {
        text: t(lang, entry.label),
        callback_data: this.#menuKind.pack({ item: entry.item }),
      };
      if (i % 2 === 0) rows.push([button]);
      else rows[rows.length - 1].push(button);
    });
    return { inline_keyboard: rows };
  }

  cardKeyboard(card: CardView): InlineKeyboardMarkup {
    const rows = new Map<number, InlineKeyboardButton[]>();
    for (const { row, buttons } of this.#card) {
      const added = buttons(card);
      if (added.length > 0) rows.set(row, [...rows.get(row) ?? [], ...added]);
    }
    return {
      inline_keyboard: [...rows.entries()].sort(([a], [b]) => a - b).map(([, row]) => row),
    };
  }

  link<L extends keyof FeatureLinks>(
    link: L,
    text: string,
    value: FeatureLinks[L],
  ): InlineKeyboardButton | null {
    const kind = this.#links.get(link);
    return kind ? { text, callback_data: kind.pack(value) } : null;
  }

  async exportSections(store: Store, userId: number, lang: Lang): Promise<string[]> {
    const sections: string[] = [];
    for (const family of this.recordFamilies) {
      if (typeof family.export !== "function") continue;
      const section = await family.export(store, userId, lang);
      if (section) sections.push(section);
    }
    return sections;
  }

  /**
   * The bot's middleware: the menu's dispatcher, then each feature's composer in list order.
   *
   * @example
   * ```ts
   * createBot({ token, botInfo, features: [profileMiddleware(services), ...registry.middleware(services)] });
   * ```
   */
  middleware(services: BotServices): Middleware<BotContext>[] {
    const menu = new Composer<BotContext>();
    const entries = new Map(this.#menu.map((m) => [m.item, m]));
    menu.callbackQuery(this.#menuKind.pattern, async (ctx) => {
      const entry = entries.get(this.#menuKind.parse(ctx.callbackQuery.data)?.item ?? "");
      await ctx.answerCallbackQuery();
      await entry?.open(ctx, services);
    });
    return [
      menu,
      ...this.features.flatMap((f) => f.composer ? [f.composer(services)] : []),
    ];
  }

  /** Every feature's job handlers by kind. */
  jobHandlers(deps: JobDeps): Record<string, JobHandler> {
    return Object.fromEntries(
      this.features.flatMap((f) => f.jobs ?? []).map((j) => [j.kind, j.handler(deps)]),
    );
  }

  /**
   * What to tell whoever asked for a job that finished: the feature's own notice, else "done"
   * (in their language) for a job done; null for nothing.
   */
  jobNotice(job: JobRecord): string | null {
    if (!job.notify) return null;
    const owned = this.features.flatMap((f) => f.jobs ?? []).find((j) => j.kind === job.kind);
    if (owned?.notice) return owned.notice({ ...job, notify: job.notify });
    return job.status === "done" ? t(job.notify.lang, "job_done") : null;
  }

  /** The session gauges features' slices declare, for the runtime (`sessionGauges` setting). */
  sessionGauges(): SessionGauge[] {
    return this.features.flatMap((f) => f.session ?? []).flatMap((slice) =>
      slice.gauge
        ? [{ counter: slice.gauge.name, stat: slice.gauge.stat, counts: (s) => slice.counts(s) }]
        : []
    );
  }
}
