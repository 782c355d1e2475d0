/**
 * A line chart drawn on the server as inline SVG (no script), with a legend giving each
 * series' latest value.
 *
 * @module
 */
import { type Markup } from "../page.tsx";
import { Card, Empty } from "./parts.tsx";

/** One line of a chart: `[time, value]` pairs, `null` for "no value here". */
export interface ChartSeries {
  name: string;
  color: string;
  points: [number, number | null][];
}

/** A chart's description. */
export interface ChartSpec {
  id: string;
  title: string;
  series: ChartSeries[];
  /** How values read (`%` multiplies ratios by 100). */
  unit: "" | "%" | "ms";
  from: number;
  to: number;
  /** A longer gap between two points breaks the line. */
  maxGapMs: number;
  /** Shown when no series has a value. */
  empty: string;
}

/** Line colours, each at least 3:1 against the card in both colour schemes. */
export const COLORS = ["#2f6fd0", "#d0502f", "#2f9e5f", "#9a5fd0", "#b07e00", "#2b8fa0"];

function shortTime(ms: number, spanMs: number): string {
  const text = new Date(ms).toISOString();
  return spanMs > 2 * 86_400_000 ? text.slice(5, 10) : text.slice(11, 16);
}

function formatValue(value: number, unit: ChartSpec["unit"]): string {
  if (unit === "%") return `${Math.round(value * 1000) / 10}%`;
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return unit === "ms" ? `${rounded} ms` : String(rounded);
}

function niceMax(max: number, unit: ChartSpec["unit"]): number {
  if (unit === "%") return 1;
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (max <= step * power) return step * power;
  }
  return 10 * power;
}

function isValue(v: number | null): v is number {
  return v !== null && Number.isFinite(v);
}

const WIDTH = 600, HEIGHT = 170, LEFT = 46, RIGHT = 8, TOP = 8, BOTTOM = 22;

/** The series' points as runs of `x,y` pairs, broken at missing values and long gaps. */
function segmentsOf(
  spec: ChartSpec,
  series: ChartSeries,
  x: (at: number) => number,
  y: (v: number) => number,
): string[][] {
  const segments: string[][] = [];
  let current: string[] = [];
  let lastAt: number | null = null;
  for (const [at, v] of series.points) {
    if (!isValue(v) || (lastAt !== null && at - lastAt > spec.maxGapMs)) {
      if (current.length > 0) segments.push(current);
      current = [];
    }
    if (isValue(v)) {
      current.push(`${x(at).toFixed(1)},${y(v).toFixed(1)}`);
      lastAt = at;
    }
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

/**
 * The chart as a card.
 *
 * @example
 * ```tsx
 * <Chart spec={{ id: "req", title: "Requests", unit: "", from, to, maxGapMs: 180_000, empty: "No data", series }} />
 * ```
 */
export function Chart(props: { spec: ChartSpec }): Markup {
  const { spec } = props;
  const values = spec.series.flatMap((s) => s.points.map(([, v]) => v)).filter(isValue);
  if (values.length === 0) {
    return (
      <Card id={spec.id} title={spec.title} level={3}>
        <Empty>{spec.empty}</Empty>
      </Card>
    );
  }
  const plotW = WIDTH - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
  const yMax = niceMax(Math.max(...values), spec.unit);
  const span = Math.max(spec.to - spec.from, 1);
  const x = (at: number) => LEFT + ((at - spec.from) / span) * plotW;
  const y = (v: number) => TOP + plotH - (Math.min(Math.max(v, 0), yMax) / yMax) * plotH;
  const lines = spec.series.map((series) => ({
    series,
    segments: segmentsOf(spec, series, x, y),
  }));
  const count = lines.reduce((n, l) => n + l.segments.reduce((m, s) => m + s.length, 0), 0);
  return (
    <Card id={spec.id} title={spec.title} level={3}>
      <svg
        class="plot"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={spec.title}
        data-points={count}
        preserveAspectRatio="none"
      >
        {[0, 0.5, 1].map((f) => {
          const gy = TOP + plotH - f * plotH;
          return (
            <>
              <line class="grid" x1={LEFT} x2={WIDTH - RIGHT} y1={gy} y2={gy} />
              <text class="axis" x={LEFT - 4} y={gy + 4} text-anchor="end">
                {formatValue(yMax * f, spec.unit)}
              </text>
            </>
          );
        })}
        <text class="axis" x={LEFT} y={HEIGHT - 6}>{shortTime(spec.from, span)}</text>
        <text class="axis" x={WIDTH - RIGHT} y={HEIGHT - 6} text-anchor="end">
          {shortTime(spec.to, span)} UTC
        </text>
        {lines.map(({ series, segments }) =>
          segments.map((points) => {
            if (points.length > 1) {
              return (
                <polyline
                  class="line"
                  fill="none"
                  stroke={series.color}
                  stroke-width="1.8"
                  points={points.join(" ")}
                />
              );
            }
            const [cx, cy] = points[0].split(",");
            return (
              <circle key={points[0]} class="point" cx={cx} cy={cy} r="2.5" fill={series.color} />
            );
          })
        )}
      </svg>
      <ul class="legend">
        {spec.series.map((series) => {
          const last = series.points.findLast(([, v]) => isValue(v));
          return (
            <li>
              <span class="swatch" style={`background:${series.color}`}></span>
              {series.name} <b>{last ? formatValue(last[1]!, spec.unit) : "—"}</b>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
