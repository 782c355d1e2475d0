// deno-lint-ignore-file no-console -- The console is the log sink on Deno Deploy.
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
  type LogRecord,
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
export type LogWriter = (line: string, level: LogLevel) => void;

/** Options of {@linkcode configureLogging}. */
export interface LoggingOptions {
  level: LogLevel;
  format: "pretty" | "json";
  /**
   * Where lines go when no `write` is given: standard error, or the `console` API, which is what
   * Deno Deploy captures and shows with each line's level (default: `"stderr"`).
   */
  destination?: "stderr" | "console";
  /** Receives each formatted line (default: the destination). */
  write?: LogWriter;
}

const encoder = new TextEncoder();

function writeStderr(line: string): void {
  Deno.stderr.writeSync(encoder.encode(line.endsWith("\n") ? line : `${line}\n`));
}

function writeConsole(line: string, level: LogLevel): void {
  const text = line.endsWith("\n") ? line.slice(0, -1) : line;
  if (level === "error" || level === "fatal") console.error(text);
  else if (level === "warning") console.warn(text);
  else if (level === "info") console.info(text);
  else console.debug(text);
}

/**
 * The record with its message rendered once, string values as they are: LogTape's formatters
 * would quote them (`http://"127.0.0.1":8000`), which reads as part of the text.
 */
function withPlainMessage(record: LogRecord): LogRecord {
  if (record.message.length === 1) return record;
  let text = "";
  record.message.forEach((part, i) => {
    text += i % 2 === 0 || typeof part === "string" ? String(part) : renderValue(part);
  });
  return { ...record, message: [text] };
}

function renderValue(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === "bigint") return value.toString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
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
    ? plainValues(getJsonLinesFormatter({ categorySeparator: ".", properties: "flatten" }))
    : plainValues(getAnsiColorFormatter({ timestamp: "time", category: "." }));
  const format = redactByPattern(base, SECRET_PATTERNS);
  const write = options.write ??
    (options.destination === "console" ? writeConsole : writeStderr);
  return redactByField((record) => write(format(record), record.level), {
    fieldPatterns: SECRET_FIELDS,
    action: () => "[REDACTED]",
  });
}

function plainValues(format: TextFormatter): TextFormatter {
  return (record) => format(withPlainMessage(record));
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
