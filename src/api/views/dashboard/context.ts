/**
 * What the dashboard's sections share: where they read from, the moment and window shown, and
 * the shape of a section. Adding a section is a module exporting a {@linkcode DashboardSection}
 * and one line in `DASHBOARD_SECTIONS` (`page.tsx`).
 *
 * @module
 */
import { type SupervisorStats } from "../../../actors/supervisor.ts";
import { type AnalysisEngine } from "../../../analysis/engine.ts";
import { type Clock } from "../../../core/clock.ts";
import { type HealthProbe } from "../../routes/health_check.ts";
import { type BackupService } from "../../../store/backups.ts";
import { type Store } from "../../../store/kv.ts";
import { type Markup } from "../page.tsx";

/** The windows the per-minute charts can show. */
export const DASHBOARD_RANGES = {
  "1h": 3_600_000,
  "6h": 21_600_000,
  "24h": 86_400_000,
  "48h": 172_800_000,
} as const;

/** A window of the per-minute charts. */
export type DashboardRange = keyof typeof DASHBOARD_RANGES;

/** Where the sections read from. */
export interface DashboardSources {
  store: Store;
  clock: Clock;
  /** The probe `/health` answers from (version and uptime included). */
  health: HealthProbe;
  engine: Pick<AnalysisEngine, "providerStatus">;
  /** The supervisor's `getStats()`, when available. */
  stats?: () => Promise<SupervisorStats>;
  backups?: Pick<BackupService, "list">;
  /** `DEAD_LETTER_RETENTION_DAYS`; absent: the dead-letters card is not shown. */
  deadLetterRetentionDays?: number;
}

/** What a dead-letter action reports back to its card (a code, never free text). */
export const DEAD_LETTER_NOTICES = [
  "retried",
  "discarded",
  "bulk_retried",
  "bulk_discarded",
  "DEAD_LETTER_NOT_FOUND",
  "DEAD_LETTER_DISCARDED",
  "DEAD_LETTER_ALREADY_RETRIED",
  "DEAD_LETTER_ALREADY_QUEUED",
  "DEAD_LETTER_UNREADABLE",
  "invalid",
  "unconfirmed",
] as const;

/** The dead-letters card's state, from the query string. */
export interface DeadLetterView {
  userId?: number;
  errorCode?: string;
  cursor?: string;
  notice?: typeof DEAD_LETTER_NOTICES[number];
  id?: string;
  count?: number;
}

/** One rendering of the page. */
export interface DashboardContext extends DashboardSources {
  now: number;
  range: DashboardRange;
  /** The dead-letters card's filter, page and last outcome, from the query string. */
  deadLetterView?: DeadLetterView;
}

/**
 * A part of the page: it reads what it shows and renders one or more cards. A section that
 * throws is shown as a card saying so; the rest of the page still renders.
 */
export interface DashboardSection {
  /** The id of its (first) card. */
  id: string;
  title: string;
  render(ctx: DashboardContext): Promise<Markup>;
}
