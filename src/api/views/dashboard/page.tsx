/**
 * The `/dashboard` page: its sections in order, each reading what it shows (a failing one is
 * a card saying so), in a grid of cards. Auto-refresh is the reader's choice: a switch (off
 * until turned on, remembered by the browser) that has `/assets/dashboard.js` replace the
 * sections in place; no timed reload.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type Markup, Page, type PagePolicy } from "../page.tsx";
import { backupsSection } from "./backups.tsx";
import { chartsSection } from "./charts.tsx";
import {
  DASHBOARD_RANGES,
  type DashboardContext,
  type DashboardRange,
  type DashboardSection,
} from "./context.ts";
import { cronsSection } from "./crons.tsx";
import { DEAD_LETTERS_STYLE, deadLettersSection } from "./dead_letters.tsx";
import { healthSection } from "./health.tsx";
import { Card, Empty, iso } from "./parts.tsx";
import { providersSection } from "./providers.tsx";

/** The page's sections, in order: adding one is an import and a line here. */
export const DASHBOARD_SECTIONS: readonly DashboardSection[] = [
  healthSection,
  chartsSection,
  providersSection,
  backupsSection,
  cronsSection,
  deadLettersSection,
];

/**
 * What the page may do: its script refreshes it from this origin; the dead-letters card's
 * buttons and the sign-out form post to it.
 */
export const DASHBOARD_POLICY: PagePolicy = { script: true, connect: true, forms: true };

/** Seconds between refreshes when the reader turns auto-refresh on. */
export const DASHBOARD_REFRESH_SECONDS = 30;

const log = getLogger(["rvx", "api", "dashboard"]);

const STYLE = `
.top .ranges a{margin-right:.5rem}.top .ranges a[aria-current]{font-weight:700;color:#fff}
.top .refresh{font-size:14px;display:flex;gap:.35rem;align-items:center}
main{display:grid;gap:.75rem;padding:.75rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,24rem),1fr))}
.card{background:#fff;border:1px solid #d5dbe4;border-radius:8px;padding:.6rem .8rem;min-width:0;margin:0}
.wide{grid-column:1/-1}
h2{font-size:1.05rem;margin:.1rem 0 .5rem}h3{font-size:.95rem;margin:.2rem 0 .4rem}
.plot{width:100%;height:11rem;display:block}
.grid{stroke:#e3e7ee;stroke-width:1}.axis{font-size:11px;fill:#4f586a}
.legend{list-style:none;margin:.3rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:13px}
.swatch{display:inline-block;width:.7rem;height:.7rem;border-radius:2px;margin-right:.3rem;vertical-align:-1px}
.empty{color:#4f586a;font-style:italic;margin:.4rem 0}
.points{font-size:12px;padding:.3rem .8rem}
.tiles{display:grid;gap:.5rem;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));list-style:none;margin:0;padding:0}
.tile{border-radius:6px;padding:.4rem .6rem;background:#f3f5f8;border-left:4px solid #5f687a}
.tile.ok{border-color:#1e7a45}.tile.warn{border-color:#8a5a00}.tile.bad{border-color:#b02a2a}
.tile .label{display:block;font-size:12px;color:#4f586a}.tile .value{display:block;font-weight:600;word-break:break-word}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:13px}
td,th{border-bottom:1px solid #e3e7ee;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{color:#4f586a;font-weight:600}code{font-size:12px}
.badge{display:inline-block;border-radius:4px;padding:0 .35rem;font-size:12px;font-weight:600;color:#fff;background:#5f687a}
.badge.ok{background:#1e7a45}.badge.warn{background:#8a5a00}.badge.bad{background:#b02a2a}
footer{padding:0 1rem 1rem;font-size:12px}
@media (prefers-color-scheme:dark){.card{background:#181c22;border-color:#2c333d}
.tile{background:#20252d}td,th{border-color:#2c333d}.grid{stroke:#2c333d}.axis{fill:#aab3c2}
.empty,.tile .label,th{color:#aab3c2}}
`;

async function renderSection(section: DashboardSection, ctx: DashboardContext): Promise<Markup> {
  try {
    return await section.render(ctx);
  } catch (err) {
    const code = err instanceof Error ? err.name : "UNKNOWN";
    log.warn("Dashboard section {section} failed: {code}", { section: section.id, code });
    return (
      <Card id={section.id} title={section.title}>
        <Empty>This part could not be read ({code}); the rest of the page is current.</Empty>
      </Card>
    );
  }
}

function RangeLinks(props: { range: DashboardRange }): Markup {
  return (
    <span class="ranges">
      Window: {(Object.keys(DASHBOARD_RANGES) as DashboardRange[]).map((r) =>
        r === props.range
          ? <a key={r} href={`?range=${r}`} aria-current="page">{r}</a>
          : <a key={r} href={`?range=${r}`}>{r}</a>
      )}
    </span>
  );
}

/**
 * The page: every section rendered (in parallel) into the grid.
 *
 * @example
 * ```ts
 * return sendPage(c, await DashboardPage({ ctx }), DASHBOARD_POLICY);
 * ```
 */
export async function DashboardPage(props: { ctx: DashboardContext }): Promise<Markup> {
  const { ctx } = props;
  const sections = await Promise.all(DASHBOARD_SECTIONS.map((s) => renderSection(s, ctx)));
  return (
    <Page
      title="RVX dashboard"
      heading="RVX dashboard"
      style={STYLE + DEAD_LETTERS_STYLE}
      script="dashboard.js"
      current="/dashboard"
      tools={
        <>
          <RangeLinks range={ctx.range} />
          <label class="refresh" hidden data-seconds={DASHBOARD_REFRESH_SECONDS}>
            <input type="checkbox" id="auto-refresh" />
            Auto-refresh every {DASHBOARD_REFRESH_SECONDS} s
          </label>
        </>
      }
      footer={
        <p>
          Updated{" "}
          <time id="updated" datetime={new Date(ctx.now).toISOString()}>{iso(ctx.now)}</time>{" "}
          <span id="refresh-status" role="status"></span>
        </p>
      }
    >
      {sections}
    </Page>
  );
}
