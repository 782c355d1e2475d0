/**
 * The crons' names and schedules, apart from their handlers: `main.ts` registers every
 * `Deno.cron` at module top level (Deno Deploy requires it) with only this module loaded, and
 * loads the handlers with the rest of the app (docs/ARCHITECTURE.md, "Start-up").
 *
 * @module
 */

/** Every cron and its schedule (UTC). */
export const CRON_SCHEDULES = {
  minute: "* * * * *",
  session_sweep: "5 * * * *",
  metrics_snapshot: "10 */6 * * *",
  backup: "20 3 * * *",
  retention: "40 3 * * *",
} as const;

/** A cron's name. */
export type CronName = keyof typeof CRON_SCHEDULES;
