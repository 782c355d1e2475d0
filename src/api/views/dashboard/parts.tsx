/**
 * Small pieces the dashboard's sections are made of: cards, tables, badges, and how times,
 * sizes and durations read.
 *
 * @module
 */
import { type Child } from "hono/jsx";
import { type Markup } from "../page.tsx";

/** A time as `2026-01-02T03:04:05Z`, or a dash. */
export function iso(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "—" : new Date(ms).toISOString().slice(0, 19) + "Z";
}

/** Bytes in B, KiB or MiB. */
export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** A duration in the largest unit that reads well. */
export function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}

/** How a state reads at a glance. */
export type Tone = "ok" | "warn" | "bad" | "idle";

/** A coloured label. */
export function Badge(props: { tone: Tone; children: Child }): Markup {
  return <span class={`badge ${props.tone}`}>{props.children}</span>;
}

/** A card of the page's grid with its heading. */
export function Card(
  props: { id: string; title: string; wide?: boolean; level?: 2 | 3; children?: Child },
): Markup {
  return (
    <section class={props.wide ? "card wide" : "card"} id={props.id}>
      {props.level === 3 ? <h3>{props.title}</h3> : <h2>{props.title}</h2>}
      {props.children}
    </section>
  );
}

/** A short italic note in place of content. */
export function Empty(props: { children: Child }): Markup {
  return <p class="empty">{props.children}</p>;
}

/**
 * A table in a box the keyboard can scroll sideways (a label names it for screen readers), or
 * a note when there are no rows.
 */
export function Table(
  props: { label: string; head: string[]; rows: Child[][]; empty: string },
): Markup {
  if (props.rows.length === 0) return <Empty>{props.empty}</Empty>;
  return (
    <div class="scroll" tabindex={0} role="region" aria-label={props.label}>
      <table>
        <thead>
          <tr>{props.head.map((h) => <th key={h} scope="col">{h}</th>)}</tr>
        </thead>
        <tbody>
          {props.rows.map((row, i) => (
            <tr key={i}>{row.map((cell, j) => <td key={j}>{cell}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** `name=value` pairs of a record, or a dash. */
export function numbers(record: Record<string, number>): string {
  const entries = Object.entries(record);
  return entries.length === 0 ? "—" : entries.map(([k, v]) => `${k}=${v}`).join(" ");
}
