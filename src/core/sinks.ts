/**
 * Interfaces through which core code reports to durable storage without depending on it;
 * `main.ts` wires the KV implementations from `src/store/`.
 *
 * @module
 */
import { type Tx } from "./tx.ts";

/** One audit row as a caller describes it; the sink adds id and timestamp and masks secrets. */
export interface AuditEntry {
  user_id?: number | null;
  username?: string | null;
  action: string;
  command?: string | null;
  parameters?: Record<string, unknown> | null;
  result?: string | null;
  error_message?: string | null;
  ip_address?: string | null;
  client_version?: string | null;
  execution_time_ms?: number | null;
  status: "ok" | "error" | "denied";
}

/** Writes audit rows: staged into `tx` when given, else committed on its own. */
export interface AuditSink {
  record(entry: AuditEntry, tx?: Tx): Promise<void>;
}

/** Durable counters: staged into `tx` when given, else batched into few commits. */
export interface MetricsSink {
  count(name: string, by?: number, tx?: Tx): void;
  /** Records one duration (ms) into the named histogram. */
  observe(name: string, ms: number, tx?: Tx): void;
  /** Commits whatever is batched. */
  flush(): Promise<void>;
}
