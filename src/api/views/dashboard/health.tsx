/**
 * The dashboard's health tiles: what `/health` says (the same probe: a KV read, and whether KV
 * takes writes), the last commit error, version and uptime, and the supervisor's figures.
 *
 * @module
 */
import { type HealthReport } from "../../routes/health_check.ts";
import { type DashboardSection } from "./context.ts";
import { Card, duration, type Tone } from "./parts.tsx";

/** One tile: label, value, tone. */
type Tile = [string, string, Tone];

function kvTile({ kv }: HealthReport): Tile {
  if (kv.ok) return ["KV", `ok · ${kv.read_ms} ms`, "ok"];
  if (kv.write_ok === false) return ["KV", `writes failing · ${kv.error_code}`, "bad"];
  return ["KV", `down · ${kv.error_code}`, "bad"];
}

/** Health at a glance. */
export const healthSection: DashboardSection = {
  id: "health",
  title: "Health",
  async render(ctx) {
    const [health, stats] = await Promise.all([
      ctx.health(),
      ctx.stats ? ctx.stats().catch(() => null) : Promise.resolve(null),
    ]);
    const commitError = health.last_commit_error;
    const generation = ctx.store.generation;
    const tiles: Tile[] = [
      kvTile(health),
      [
        "Last commit error",
        commitError ? `${commitError.code} at ${commitError.at.slice(0, 19)}Z` : "none",
        commitError ? "warn" : "ok",
      ],
      [
        "Version",
        `${health.version} · up ${duration(health.uptime_s)} · gen ${generation}`,
        "idle",
      ],
    ];
    if (stats) {
      tiles.push(
        ["Active users", String(stats.active_users), "idle"],
        ["Resident actors", String(stats.resident_actors), "idle"],
        ["Inbox depth", String(stats.inbox_depth), stats.inbox_depth > 100 ? "warn" : "idle"],
        ["Dead letters", String(stats.dead_letters), stats.dead_letters > 0 ? "warn" : "ok"],
        ["Pending feedback", String(stats.pending_feedback), "idle"],
      );
    }
    return (
      <Card id="health" title="Health" wide>
        <ul class="tiles">
          {tiles.map(([label, value, tone]) => (
            <li class={`tile ${tone}`}>
              <span class="label">{label}</span>
              <span class="value">{value}</span>
            </li>
          ))}
        </ul>
      </Card>
    );
  },
};
