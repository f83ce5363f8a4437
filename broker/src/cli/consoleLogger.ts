import type { LogLevel, Logger } from '../node/options.js';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** One line per event on stderr (stdout carries only the ready line): time, level, message, fields. */
export function consoleLogger(min: LogLevel): Logger {
  return (level, message, fields) => {
    if (ORDER[level] < ORDER[min]) return;
    const extra = fields ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${level} ${message}${extra}\n`);
  };
}
