/**
 * `reportError`: the one way failures are reported. Logs at the error's level with its code,
 * and for errors and critical failures records an audit row; every failure is counted by level.
 *
 * @module
 */
import { getLogger } from "@logtape/logtape";
import { type AppError, toAppError } from "./errors.ts";
import { type AuditSink, type MetricsSink } from "./sinks.ts";
import { type Tx } from "./tx.ts";

/** Reports a failure; returns it as an {@linkcode AppError} for the caller's answer. */
export type ReportError = (
  err: unknown,
  operation: string,
  userId?: number,
  tx?: Tx,
) => Promise<AppError>;

/** What {@linkcode createErrorReporter} writes to. */
export interface ErrorReporterOptions {
  audit: AuditSink;
  metrics: MetricsSink;
}

const log = getLogger(["rvx", "error"]);

const LOG_METHOD = {
  info: "info",
  warning: "warn",
  error: "error",
  critical: "fatal",
} as const;

/**
 * Builds `reportError`. Given a tx, the audit row and counts are staged into it; otherwise they
 * are written on their own. Reporting never throws: a failing sink is logged and swallowed.
 *
 * @example
 * ```ts
 * const reportError = createErrorReporter({ audit, metrics });
 * await reportError(new Error("boom"), "analysis.run", 42);
 * ```
 */
export function createErrorReporter(options: ErrorReporterOptions): ReportError {
  return async function reportError(err, operation, userId, tx) {
    const appError = toAppError(err, { operation }, userId);
    log[LOG_METHOD[appError.level]]("{operation} failed: {code} {reason}", {
      operation,
      code: appError.code,
      reason: appError.message,
      errorLevel: appError.level,
      userId,
      details: appError.details,
      stack: appError.level === "critical" ? (appError.cause as Error)?.stack : undefined,
    });
    try {
      options.metrics.count(`errors_${appError.level}`, 1, tx);
      if (appError.name === "DatabaseError") options.metrics.count("errors_db", 1, tx);
      if (appError.name === "ApiError") options.metrics.count("errors_api", 1, tx);
      if (appError.level === "error" || appError.level === "critical") {
        await options.audit.record({
          user_id: userId ?? null,
          action: "error",
          command: operation,
          error_message: `${appError.code}: ${appError.message}`.slice(0, 500),
          status: "error",
        }, tx);
      }
    } catch (sinkError) {
      log.error("Reporting {code} failed: {reason}", {
        code: appError.code,
        reason: sinkError instanceof Error ? sinkError.message : String(sinkError),
      });
    }
    return appError;
  };
}
