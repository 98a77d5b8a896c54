import { formatRFC3339NanoFixed, parseRFC3339Nano } from '@berth/api-types';

/** One line of a container's output, as the json-file driver stored it. */
export interface LogRecord {
  stream: 'stdout' | 'stderr';
  /** The text, with its trailing newline if the line had one. */
  log: string;
  /** When the monitor read it, in nanoseconds since the epoch. */
  timeNano: bigint;
}

/**
 * Parses one json-file line `{"log":"hi\n","stream":"stdout","time":"2015-...Z"}`;
 * undefined for a line that is not one (a torn write at a crash, garbage).
 */
export function parseLogLine(line: string): LogRecord | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (raw === null || typeof raw !== 'object') return undefined;
  const { log, stream, time } = raw as Record<string, unknown>;
  if (typeof log !== 'string' || (stream !== 'stdout' && stream !== 'stderr') || typeof time !== 'string') {
    return undefined;
  }
  const timeNano = parseRFC3339Nano(time);
  return timeNano === undefined ? undefined : { stream, log, timeNano };
}

/** The bytes `docker logs` shows for a record: the text, after `<RFC3339NanoFixed> ` with timestamps. */
export function logRecordText(r: LogRecord, timestamps: boolean): string {
  return timestamps ? `${formatRFC3339NanoFixed(r.timeNano)} ${r.log}` : r.log;
}
