import { parse } from '@berth/dockerfile-parser';
import { describe, expect, it } from 'vitest';
import { healthConfig, parseGoDuration } from './healthcheck.js';

const hc = (line: string) => healthConfig(parse(line).instructions[0]!);

describe('HEALTHCHECK', () => {
  it('parses Go durations', () => {
    expect(parseGoDuration('30s')).toBe(30e9);
    expect(parseGoDuration('1h30m')).toBe(5400e9);
    expect(parseGoDuration('1.5s')).toBe(1.5e9);
    expect(parseGoDuration('0')).toBe(0);
    expect(() => parseGoDuration('5')).toThrow('time: invalid duration "5"');
  });

  it('sets CMD-SHELL, CMD, NONE and the options', () => {
    expect(hc('HEALTHCHECK --interval=5m --timeout=3s --retries=2 CMD curl -f http://localhost/ || exit 1')).toEqual({
      Test: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'],
      Interval: 300e9,
      Timeout: 3e9,
      Retries: 2,
    });
    expect(hc('HEALTHCHECK CMD ["true"]')).toEqual({ Test: ['CMD', 'true'] });
    expect(hc('HEALTHCHECK NONE')).toEqual({ Test: ['NONE'] });
  });

  it("refuses what Docker refuses", () => {
    expect(() => hc('HEALTHCHECK NONE true')).toThrow('HEALTHCHECK NONE takes no arguments');
    expect(() => hc('HEALTHCHECK RUN true')).toThrow('Unknown type "RUN" in HEALTHCHECK (try CMD)');
    expect(() => hc('HEALTHCHECK --retries=-1 CMD true')).toThrow('--retries cannot be negative (-1)');
    expect(() => hc('HEALTHCHECK --interval=1us CMD true')).toThrow('cannot be less than 1ms');
  });
});
