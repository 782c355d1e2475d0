/**
 * The dashboard's health tiles: KV reachable (a read, timed), the last commit error, version
 * and uptime, and the supervisor's figures.
 *
 * @module
 */
import { metaKeys } from "../../../store/keys.ts";
import { type DashboardContext, type DashboardSection } from "./context.ts";
import { Card, duration, iso, type Tone } from "./parts.tsx";

/** One tile: label, value, tone. */
type Tile = [string, string, Tone];

async function kvTile(ctx: DashboardContext): Promise<Tile> {
  const started = performance.now();
  try {
    await ctx.store.kv.get(metaKeys.schemaVersion);
    const ms = Math.round((performance.now() - started) * 100) / 100;
    return ["KV", `ok · ${ms} ms`, "ok"];
  } catch (err) {
    return ["KV", `down · ${err instanceof Error ? err.name : "UNKNOWN"}`, "bad"];
  }
}

/** Health at a glance. */
export const healthSection: DashboardSection = {
  id: "health",
  title: "Health",
  async render(ctx) {
    const { store } = ctx;
    const [kv, stats] = await Promise.all([
      kvTile(ctx),
      ctx.stats ? ctx.stats().catch(() => null) : Promise.resolve(null),
    ]);
    const commitError = store.lastCommitError;
    const uptime = Math.round((ctx.clock.now() - ctx.startedAt) / 1000);
    const tiles: Tile[] = [
      kv,
      [
        "Last commit error",
        commitError ? `${commitError.code} at ${iso(commitError.at)}` : "none",
        commitError ? "warn" : "ok",
      ],
      ["Version", `${ctx.version} · up ${duration(uptime)} · gen ${store.generation}`, "idle"],
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
