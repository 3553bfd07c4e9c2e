// A small structured logger: one JSON line per entry on the console, which
// Workers Logs and `wrangler tail` index by field.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type LogContext = Record<string, unknown>;

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

const DEFAULT_LEVEL: LogLevel = 'info';

/** Context keys whose values are replaced before printing, so that no secret reaches the log. */
const SECRET_KEY_PATTERN = /token|password|secret|authorization|cookie/i;

export interface Logger {
  debug(message: string, context?: LogContext): void;
  info(message: string, context?: LogContext): void;
  warn(message: string, context?: LogContext): void;
  error(message: string, context?: LogContext): void;
  /** Returns a logger that adds `context` to every entry. */
  child(context: LogContext): Logger;
}

/** Parses a LOG_LEVEL value; an unknown value falls back to `info` so that a typo never hides errors. */
export function parseLogLevel(value: string | undefined): LogLevel {
  if (value === 'debug' || value === 'info' || value === 'warn' || value === 'error') return value;
  return DEFAULT_LEVEL;
}

export function createLogger(prefix: string, level: LogLevel, context: LogContext = {}): Logger {
  const write = (entryLevel: LogLevel, message: string, extra: LogContext | undefined) => {
    if (LEVEL_RANK[entryLevel] < LEVEL_RANK[level]) return;

    const entry = { level: entryLevel, prefix, message, ...redact(context), ...redact(extra ?? {}) };
    const line = JSON.stringify(entry, serializeValue);
    if (entryLevel === 'error') console.error(line);
    else if (entryLevel === 'warn') console.warn(line);
    else console.log(line);
  };

  return {
    debug: (message, extra) => write('debug', message, extra),
    info: (message, extra) => write('info', message, extra),
    warn: (message, extra) => write('warn', message, extra),
    error: (message, extra) => write('error', message, extra),
    child: (extra) => createLogger(prefix, level, { ...context, ...extra }),
  };
}

function redact(context: LogContext): LogContext {
  const result: LogContext = {};
  for (const [key, value] of Object.entries(context)) {
    result[key] = SECRET_KEY_PATTERN.test(key) ? '[redacted]' : value;
  }
  return result;
}

/** Errors have no enumerable fields, so JSON.stringify would print `{}` for them. */
function serializeValue(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, stack: value.stack };
  }
  return value;
}
