/**
 * The dashboard's providers table: each AI provider's circuit and its last error and success.
 *
 * @module
 */
import { type DashboardSection } from "./context.ts";
import { Badge, Card, iso, Table } from "./parts.tsx";

/** The AI providers' circuits. */
export const providersSection: DashboardSection = {
  id: "providers",
  title: "Providers",
  render(ctx) {
    const rows = ctx.engine.providerStatus().map((p) => [
      p.name,
      <Badge key="circuit" tone={p.state === "closed" ? "ok" : p.state === "open" ? "bad" : "warn"}>
        {p.state}
      </Badge>,
      p.lastErrorCode ?? "—",
      iso(p.lastErrorAt),
      iso(p.lastSuccessAt),
      p.retryAfterUntil && p.retryAfterUntil > ctx.now ? iso(p.retryAfterUntil) : "—",
    ]);
    return Promise.resolve(
      <Card id="providers" title="Providers">
        <Table
          label="Providers"
          head={["provider", "circuit", "last error", "at", "last success", "skipped until"]}
          rows={rows}
          empty="No AI provider configured: analyses are answered offline."
        />
      </Card>,
    );
  },
};
