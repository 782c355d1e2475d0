/**
 * The progress display of the backup tasks: a redrawn bar on a terminal, plain lines otherwise
 * (logs, CI, pipes): one when a phase starts, at each tenth of a known total, and when it ends.
 *
 * @module
 */
import { type BackupPhase, type BackupProgress } from "../store/backups.ts";

/** Options of {@linkcode createProgress}. */
export interface ProgressOptions {
  /** Draw a bar (a terminal) or print lines. */
  terminal: boolean;
  /** Writes text as it is (no newline added). */
  write(text: string): void;
  /** Milliseconds, for throttling redraws. @default performance.now */
  now?: () => number;
  /** Bar cells. @default 30 */
  width?: number;
}

/** Shows progress reports. */
export interface ProgressPrinter {
  update(progress: BackupProgress): void;
  /** Ends the display (moves off the bar's line). */
  finish(): void;
}

const LABELS: Record<BackupPhase, string> = {
  export: "Exporting",
  compress: "Compressing",
  verify: "Verifying",
  safety: "Safety backup",
  write: "Writing",
  reapply: "Re-applying security changes",
};

/** 1234567 → "1 234 567". */
export function groupDigits(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, " ");
}

/**
 * @example
 * ```ts
 * const progress = createProgress({ terminal: Deno.stderr.isTerminal(), write: (t) => Deno.stderr.writeSync(encoder.encode(t)) });
 * await backups.create({ onProgress: (p) => progress.update(p) });
 * progress.finish();
 * ```
 */
export function createProgress(options: ProgressOptions): ProgressPrinter {
  const now = options.now ?? (() => performance.now());
  const width = options.width ?? 30;
  let phase: BackupPhase | null = null;
  let lastDraw = -Infinity;
  let lastTenth = -1;
  let open = false;

  function describe(p: BackupProgress): string {
    if (p.total === null || p.total === 0) {
      return `${LABELS[p.phase]}: ${groupDigits(p.done)} records`;
    }
    const share = Math.min(1, p.done / p.total);
    const filled = Math.round(share * width);
    const bar = options.terminal ? `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ` : "";
    return `${LABELS[p.phase]}: ${bar}${String(Math.floor(share * 100)).padStart(3)}% ` +
      `(${groupDigits(p.done)}/${groupDigits(p.total)} records)`;
  }

  function update(p: BackupProgress): void {
    const fresh = p.phase !== phase;
    phase = p.phase;
    const complete = p.total !== null && p.done >= p.total;
    if (options.terminal) {
      const t = now();
      if (!fresh && !complete && t - lastDraw < 100) return;
      lastDraw = t;
      options.write(`${fresh && open ? "\n" : "\r"}\x1b[2K${describe(p)}`);
      open = true;
      return;
    }
    // Tenths of a known total; every 50 000 records of an unknown one.
    const tenth = p.total ? Math.floor((10 * p.done) / p.total) : Math.floor(p.done / 50_000);
    if (fresh) lastTenth = -1;
    if (fresh || tenth > lastTenth) {
      lastTenth = tenth;
      options.write(`${describe(p)}\n`);
    }
  }

  return {
    update,
    finish() {
      if (open) options.write("\n");
      open = false;
      phase = null;
    },
  };
}
