/** Structured log fields: values must be JSON-serialisable. */
export type LogFields = Record<string, unknown>;

/** The logger port: a constant message plus fields, one JSON line per entry in the default adapter. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every entry. */
  child(fields: LogFields): Logger;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A logger writing JSON lines (`{"time","level","msg",...fields}`) through `write`. Entries below
 * `minLevel` are dropped; errors in fields are reduced to their code and message.
 */
export function jsonLogger(
  write: (line: string) => void,
  minLevel: Level = 'info',
  base: LogFields = {},
): Logger {
  const emit = (level: Level, msg: string, fields: LogFields = {}): void => {
    if (ORDER[level] < ORDER[minLevel]) return;
    const entry = { time: new Date().toISOString(), level, msg, ...base, ...fields };
    write(JSON.stringify(entry, replacer) + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => jsonLogger(write, minLevel, { ...base, ...fields }),
  };
}

/** A logger that drops everything: for tests and quiet tools. */
export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return code === undefined ? { message: value.message } : { code, message: value.message };
  }
  return value;
}
