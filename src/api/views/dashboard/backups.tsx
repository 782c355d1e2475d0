/**
 * The dashboard's backups card: how old the newest backup is, and the latest ten.
 *
 * @module
 */
import { type DashboardSection } from "./context.ts";
import { Badge, bytes, Card, duration, Empty, iso, Table } from "./parts.tsx";

/** Backups listed. */
const BACKUPS_SHOWN = 10;

/** Backups. */
export const backupsSection: DashboardSection = {
  id: "backups",
  title: "Backups",
  async render(ctx) {
    if (!ctx.backups) {
      return (
        <Card id="backups" title="Backups">
          <Empty>No backup service in this process.</Empty>
        </Card>
      );
    }
    let list;
    try {
      list = await ctx.backups.list();
    } catch (err) {
      return (
        <Card id="backups" title="Backups">
          <Empty>
            Backups could not be listed: {err instanceof Error ? err.message : String(err)}
          </Empty>
        </Card>
      );
    }
    const newest = list.at(0);
    const age = newest ? Math.round((ctx.now - Date.parse(newest.created_at)) / 1000) : null;
    return (
      <Card id="backups" title="Backups">
        {newest && age !== null
          ? (
            <p>
              Newest: <Badge tone={age > 2 * 86_400 ? "warn" : "ok"}>{duration(age)} ago</Badge>
            </p>
          )
          : null}
        <Table
          label="Backups"
          head={["name", "created", "records", "size", "where"]}
          rows={list.slice(0, BACKUPS_SHOWN).map((b) => [
            <code key="name">{b.name}</code>,
            iso(Date.parse(b.created_at)),
            String(b.record_count),
            bytes(b.size_bytes),
            b.location,
          ])}
          empty="No backups yet: the backup cron makes one daily at 03:20 UTC, or run `deno task backup`."
        />
      </Card>
    );
  },
};
