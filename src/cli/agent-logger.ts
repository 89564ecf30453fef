import type { Writable } from 'node:stream';
import { jsonLogger, type Logger } from '../core/logger.js';

/**
 * The logger of `wandol up`: every entry as a JSON line to `file` (the agent log), and warnings and
 * errors also as one short human line to `console` (the terminal running the agent).
 */
export function agentLogger(file: Writable, console: Writable, minLevel: 'debug' | 'info' = 'info'): Logger {
  return jsonLogger((line) => {
    file.write(line);
    const human = humanLine(line);
    if (human !== undefined) console.write(human + '\n');
  }, minLevel);
}

/** `12:03:04 warn Deploy failed app=demo err=…` for warn/error entries; undefined for others. Pure. */
export function humanLine(jsonLine: string): string | undefined {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(jsonLine) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const { time, level, msg, ...fields } = entry;
  if (level !== 'warn' && level !== 'error') return undefined;
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  const rest = Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${clock} ${level} ${String(msg)}${rest ? ' ' + rest : ''}`;
}
