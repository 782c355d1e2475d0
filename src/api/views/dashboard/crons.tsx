/**
 * The dashboard's cron table: each cron's last run and its recent errors, then the latest runs
 * of all crons.
 *
 * @module
 */
import { CRON_SCHEDULES } from "../../../jobs/mod.ts";
import { type CronRun, listRuns } from "../../../store/cron_runs.ts";
import { type DashboardSection } from "./context.ts";
import { Badge, Card, iso, numbers, Table, type Tone } from "./parts.tsx";

/** Runs listed per cron. */
const RUNS_PER_CRON = 10;

function toneOf(status: CronRun["status"]): Tone {
  return status === "ok" ? "ok" : status === "error" ? "bad" : "warn";
}

function resultOf(run: CronRun): string {
  return run.error ?? numbers(run.numbers);
}

/** Cron runs. */
export const cronsSection: DashboardSection = {
  id: "cron",
  title: "Cron runs",
  async render(ctx) {
    const crons = await Promise.all(
      Object.entries(CRON_SCHEDULES).map(async ([name, schedule]) => ({
        name,
        schedule,
        runs: await listRuns(ctx.store, name, RUNS_PER_CRON),
      })),
    );
    const rows = crons.map(({ name, schedule, runs }) => {
      const last = runs.at(0);
      return [
        <code key="name">{name}</code>,
        <code key="schedule">{schedule}</code>,
        last
          ? <Badge key="last" tone={toneOf(last.status)}>{last.status}</Badge>
          : <Badge key="last" tone="idle">never ran</Badge>,
        last ? iso(Date.parse(last.started_at)) : "—",
        last?.duration_ms !== null && last?.duration_ms !== undefined
          ? `${last.duration_ms} ms`
          : "—",
        last ? resultOf(last) : "—",
        String(runs.filter((r) => r.status === "error").length),
      ];
    });
    const recent = crons.flatMap((c) => c.runs)
      .sort((a, b) => b.started_at.localeCompare(a.started_at))
      .slice(0, 12)
      .map((run) => [
        iso(Date.parse(run.started_at)),
        <code key="name">{run.name}</code>,
        <Badge key="status" tone={toneOf(run.status)}>{run.status}</Badge>,
        run.duration_ms === null ? "—" : `${run.duration_ms} ms`,
        resultOf(run),
      ]);
    return (
      <Card id="cron" title="Cron runs" wide>
        <Table
          label="Crons"
          head={["cron", "schedule (UTC)", "last", "started", "took", "result", "errors (recent)"]}
          rows={rows}
          empty="No crons known."
        />
        <h3>Latest runs</h3>
        <Table
          label="Latest cron runs"
          head={["started", "cron", "status", "took", "result"]}
          rows={recent}
          empty="No cron has run yet (crons start with the server when CRON_ENABLED=true)."
        />
      </Card>
    );
  },
};
