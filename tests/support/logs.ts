/**
 * Log lines as an operator sees them (JSON), captured while a test's code runs.
 *
 * @module
 */
import { configureLogging } from "../../src/log.ts";

/** The JSON log lines written while `run` runs (logging goes quiet again after). */
export async function collectLogs(run: () => Promise<void>): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  await configureLogging({ level: "info", format: "json", write: (l) => lines.push(l) });
  try {
    await run();
  } finally {
    await configureLogging({ level: "info", format: "json", write: () => {} });
  }
  return lines.map((l) => JSON.parse(l));
}
