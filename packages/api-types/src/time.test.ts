import { describe, expect, it } from 'vitest';
import {
  formatRFC3339Nano,
  formatRFC3339NanoFixed,
  nowNanos,
  parseRFC3339Nano,
  parseTimestamp,
  ZERO_TIME,
} from './time.js';

const t = 1_436_842_842_551_698_460n; // 2015-07-14T03:00:42.551698460Z

describe('Go time formats', () => {
  it('writes RFC3339Nano with trimmed fractions and the zero time', () => {
    expect(formatRFC3339Nano(t)).toBe('2015-07-14T03:00:42.55169846Z');
    expect(formatRFC3339Nano(1_436_842_842_000_000_000n)).toBe('2015-07-14T03:00:42Z');
    expect(formatRFC3339Nano(null)).toBe(ZERO_TIME);
    expect(ZERO_TIME).toBe('0001-01-01T00:00:00Z');
  });

  it('writes the fixed nine-digit form for logs', () => {
    expect(formatRFC3339NanoFixed(t)).toBe('2015-07-14T03:00:42.551698460Z');
    expect(formatRFC3339NanoFixed(1_436_842_842_000_000_000n)).toBe('2015-07-14T03:00:42.000000000Z');
  });

  it('parses RFC3339 with fraction and offset', () => {
    expect(parseRFC3339Nano('2015-07-14T03:00:42.551698460Z')).toBe(t);
    expect(parseRFC3339Nano('2015-07-14T05:00:42.55169846+02:00')).toBe(t);
    expect(parseRFC3339Nano('2015-07-14 03:00:42')).toBeUndefined();
    expect(parseRFC3339Nano(formatRFC3339Nano(t))).toBe(t);
    expect(parseRFC3339Nano(ZERO_TIME)).toBe(-62_135_596_800_000_000_000n);
  });

  it('parses since/until as unix seconds with fraction or RFC3339', () => {
    expect(parseTimestamp('1436842842')).toBe(1_436_842_842_000_000_000n);
    expect(parseTimestamp('1436842842.5')).toBe(1_436_842_842_500_000_000n);
    expect(parseTimestamp('1436842842.551698460')).toBe(t);
    expect(parseTimestamp('2015-07-14T03:00:42.551698460Z')).toBe(t);
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });

  it('reads the clock in nanoseconds', () => {
    const a = nowNanos();
    const wall = BigInt(Date.now()) * 1_000_000n;
    expect(a - wall < 50_000_000n && wall - a < 50_000_000n).toBe(true);
    expect(nowNanos() >= a).toBe(true);
  });
});
