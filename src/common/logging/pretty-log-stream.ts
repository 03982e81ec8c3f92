import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';

/** Where the logs are read: the format asked for, whether it is production, whether stdout is a terminal. */
export interface LogReader {
  format?: 'json' | 'pretty';
  production: boolean;
  terminal: boolean;
}

/**
 * Pretty logs are for a person at a terminal; anything else (production, a pipe, a file, a log
 * collector) gets JSON, one object per line, which machines parse. LOG_FORMAT overrides either way.
 */
export function wantsPrettyLogs({ format, production, terminal }: LogReader): boolean {
  return format === undefined ? terminal && !production : format === 'pretty';
}

/** The fields of a log line that the pretty line shows in its own words (see prettyLine). */
interface LogLine {
  context?: string;
  req?: { method?: string; path?: string };
  res?: { statusCode?: number };
  responseTime?: number;
}

/**
 * The same log lines, for a person: the time, the level, and one readable line per request
 * (`GET /api/v1/products 200 4 ms`) instead of its JSON. Other fields, if any, follow on the line;
 * an error's stack follows below it. The redaction (logging.options.ts) has happened before this.
 */
export function prettyLogStream(destination: number | DestinationStream = 1): DestinationStream {
  return pretty({
    destination,
    // Written at once: a line still queued would be lost when the process exits on Ctrl-C.
    sync: true,
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context,req,res,responseTime',
    messageFormat: (log, messageKey) => {
      const message = log[messageKey];
      return prettyLine(log, typeof message === 'string' ? message : '');
    },
  });
}

/** The access log's line at the end of a request has `req` and `res` (access-log.ts). */
function prettyLine({ context, req, res, responseTime }: LogLine, message: string): string {
  if (req && res) {
    const outcome = message === 'request completed' ? '' : ` (${message})`;
    return `${req.method} ${req.path} ${res.statusCode} ${Math.round(responseTime ?? 0)} ms${outcome}`;
  }
  return context ? `[${context}] ${message}` : message;
}
