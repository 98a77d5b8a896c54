/**
 * Go's time formats on the wire. berth keeps instants as bigint nanoseconds since the Unix
 * epoch, because Go's times (and `timeNano`) have nanosecond precision a JS number cannot hold.
 */

/** Go's zero `time.Time` as RFC3339: what Docker shows for a time that never happened. */
export const ZERO_TIME = '0001-01-01T00:00:00Z';

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

// Wall clock at high resolution: Date.now() anchors hrtime, read once.
const anchorWall = BigInt(Date.now()) * NS_PER_MS;
const anchorHr = process.hrtime.bigint();

/** Now, in nanoseconds since the epoch. */
export function nowNanos(): bigint {
  return anchorWall + (process.hrtime.bigint() - anchorHr);
}

export const nanosFromMillis = (ms: number): bigint => BigInt(Math.trunc(ms)) * NS_PER_MS;
export const millisFromNanos = (ns: bigint): number => Number(ns / NS_PER_MS);
export const secondsFromNanos = (ns: bigint): number => Number(ns / NS_PER_S);

function format(ns: bigint, fixed: boolean): string {
  const seconds = ns / NS_PER_S;
  let frac = ns % NS_PER_S;
  let secs = seconds;
  if (frac < 0n) {
    frac += NS_PER_S;
    secs -= 1n;
  }
  const base = new Date(Number(secs) * 1000).toISOString().slice(0, 19);
  let digits = frac.toString().padStart(9, '0');
  if (!fixed) digits = digits.replace(/0+$/, '');
  return `${base}${digits ? '.' + digits : ''}Z`;
}

/** Go's RFC3339Nano in UTC (trailing zeros of the fraction dropped); null → the zero time. */
export function formatRFC3339Nano(ns: bigint | null): string {
  return ns === null ? ZERO_TIME : format(ns, false);
}

/** Docker's RFC3339NanoFixed (always nine fraction digits), used for log timestamps. */
export function formatRFC3339NanoFixed(ns: bigint): string {
  return format(ns, true);
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parses an RFC3339 time with up to nanosecond fraction; undefined when it is not one. */
export function parseRFC3339Nano(text: string): bigint | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes years 0-99 literally (Go's zero time is year 1).
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s));
  const ms = date.getTime();
  if (Number.isNaN(ms)) return undefined;
  let ns = BigInt(ms) * NS_PER_MS + BigInt((frac ?? '').padEnd(9, '0') || '0');
  if (sign) {
    const offset = BigInt(Number(oh) * 3600 + Number(om) * 60) * NS_PER_S;
    ns = sign === '+' ? ns - offset : ns + offset;
  }
  // Go's zero time and anything before the epoch are kept as they are.
  return ns;
}

/**
 * Parses a `since`/`until` value of the API: unix seconds with an optional fraction
 * (`1438939200.123456789`, as `docker events` and `docker logs` send) or an RFC3339 time.
 */
export function parseTimestamp(text: string): bigint | undefined {
  const m = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (m) {
    const secs = BigInt(m[1] as string);
    const frac = BigInt((m[2] ?? '').padEnd(9, '0') || '0');
    return secs * NS_PER_S + (secs < 0n ? -frac : frac);
  }
  return parseRFC3339Nano(text);
}
