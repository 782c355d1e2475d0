/**
 * LogTape set-up: pretty lines on a terminal, JSON lines otherwise, with secrets redacted by
 * field name and by shape before anything reaches a sink.
 *
 * @module
 */
import {
  configure,
  getAnsiColorFormatter,
  getJsonLinesFormatter,
  getLogger,
  type Logger,
  type LogLevel,
  reset,
  type Sink,
  type TextFormatter,
} from "@logtape/logtape";
import { redactByField, redactByPattern, type RedactionPattern } from "@logtape/redaction";

export { getLogger, type Logger };

/** Property names whose values never reach a sink. */
const SECRET_FIELDS = [
  /pass(?:code|phrase|word)/i,
  /secret/i,
  /token/i,
  /api_?key/i,
  /^key$/i,
  /authorization/i,
  /cookie/i,
  /credential/i,
];

/** Secret shapes caught even inside free text (error messages, URLs). */
const SECRET_PATTERNS: RedactionPattern[] = [
  // Telegram bot tokens, also inside Bot API URLs.
  { pattern: /\d{5,}:[A-Za-z0-9_-]{30,}/g, replacement: "[REDACTED_BOT_TOKEN]" },
  { pattern: /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi, replacement: "Bearer [REDACTED]" },
  // Our API keys and common provider keys.
  { pattern: /\b(?:rvx_|sk-|gsk_|xai-|AIza)[A-Za-z0-9_-]{16,}\b/g, replacement: "[REDACTED_KEY]" },
  { pattern: /([?&](?:token|key|secret)=)[^&\s"]+/gi, replacement: "$1[REDACTED]" },
];

/** Where formatted lines go; tests pass their own. */
export type LogWriter = (line: string) => void;

/** Options of {@linkcode configureLogging}. */
export interface LoggingOptions {
  level: LogLevel;
  format: "pretty" | "json";
  /** Receives each formatted line (default: standard error). */
  write?: LogWriter;
}

const encoder = new TextEncoder();

function writeStderr(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line.endsWith("\n") ? line : `${line}\n`));
}

/**
 * Builds the one sink every logger writes to: field redaction, then a redacting formatter.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const sink = createLogSink({ level: "info", format: "json", write: (l) => lines.push(l) });
 * ```
 */
export function createLogSink(options: LoggingOptions): Sink {
  const base: TextFormatter = options.format === "json"
    ? getJsonLinesFormatter({ categorySeparator: ".", message: "rendered", properties: "flatten" })
    : getAnsiColorFormatter({ timestamp: "time", category: "." });
  const format = redactByPattern(base, SECRET_PATTERNS);
  const write = options.write ?? writeStderr;
  return redactByField((record) => write(format(record)), {
    fieldPatterns: SECRET_FIELDS,
    action: () => "[REDACTED]",
  });
}

/**
 * Configures LogTape for the whole process. Call once at start (tests may call it again).
 *
 * @example
 * ```ts
 * await configureLogging({ level: "info", format: "json" });
 * getLogger(["rvx", "main"]).info("Started");
 * ```
 */
export async function configureLogging(options: LoggingOptions): Promise<void> {
  await reset();
  await configure({
    sinks: { main: createLogSink(options) },
    loggers: [
      { category: ["rvx"], sinks: ["main"], lowestLevel: options.level },
      { category: ["logtape", "meta"], sinks: ["main"], lowestLevel: "warning" },
    ],
  });
}
