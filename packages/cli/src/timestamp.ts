const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration (`10m`, `1h30m`, `1.5s`) in ms, or undefined. */
function parseDuration(text: string): number | undefined {
  const m = /^([+-]?)((?:\d+(?:\.\d*)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(text);
  if (!m) return undefined;
  let ms = 0;
  for (const part of (m[2] as string).matchAll(/(\d+(?:\.\d*)?)(ns|us|µs|ms|s|m|h)/g)) {
    ms += Number(part[1]) * (DURATION_UNITS[part[2] as string] ?? 0);
  }
  return m[1] === '-' ? -ms : ms;
}

/**
 * docker's GetTimestamp for --since/--until: a duration means that long before now (`10m`), an
 * RFC3339 date or a prefix of one (`2015-08-01`, `2015-08-01T10:00`) is read in local time unless
 * it has a zone; either becomes unix seconds. Anything else (unix seconds) is sent as it is.
 */
export function getTimestamp(value: string, now: number = Date.now()): string {
  const d = value === '0' ? undefined : parseDuration(value);
  if (d !== undefined) return String(Math.floor((now - d) / 1000));
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?(Z|[+-]\d{2}:\d{2})?$/.exec(value);
  if (!m) return value;
  const [, y, mo, day, h = '0', mi = '0', s = '0', , zone] = m;
  const fields = [Number(y), Number(mo) - 1, Number(day), Number(h), Number(mi), Number(s)] as const;
  let ms: number;
  if (zone === undefined) {
    ms = new Date(...fields).getTime();
  } else {
    ms = Date.UTC(...fields);
    if (zone !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      ms -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6))) * 60_000;
    }
  }
  return Number.isNaN(ms) ? value : String(Math.floor(ms / 1000));
}
