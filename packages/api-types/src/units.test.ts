import { describe, expect, it } from 'vitest';
import { bytesSize, fromHumanSize, humanDuration, humanSize, ramInBytes } from './units.js';

const s = 1000;
const min = 60 * s;
const h = 60 * min;
const d = 24 * h;

describe('humanDuration', () => {
  it.each([
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [1 * s, '1 seconds'],
    [47 * s, '47 seconds'],
    [60 * s, 'About a minute'],
    [119 * s, 'About a minute'],
    [2 * min, '2 minutes'],
    [5 * min + 30 * s, '5 minutes'],
    [59 * min, '59 minutes'],
    [h, 'About an hour'],
    [2 * h - 1, 'About an hour'],
    [2 * h, '2 hours'],
    [47 * h, '47 hours'],
    [48 * h, '2 days'],
    [3 * d, '3 days'],
    [13 * d, '13 days'],
    [14 * d, '2 weeks'],
    [89 * d, '12 weeks'],
    [90 * d, '3 months'],
    [729 * d, '24 months'],
    [730 * d, '2 years'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('sizes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1 kB'],
    [1024, '1.024 kB'],
    [2_433_000, '2.433 MB'],
    [188_300_000, '188.3 MB'],
    [188_349_999, '188.3 MB'],
    [999_950_000, '1000 MB'],
    [1_000_000_000, '1 GB'],
    [5_368_709_120, '5.369 GB'],
  ])('humanSize(%d) = %s', (n, text) => {
    expect(humanSize(n)).toBe(text);
  });

  it('bytesSize uses powers of 1024', () => {
    expect(bytesSize(1024)).toBe('1 KiB');
    expect(bytesSize(1536 * 1024 * 1024)).toBe('1.5 GiB');
    expect(bytesSize(100)).toBe('100 B');
  });

  it('ramInBytes parses -m values', () => {
    expect(ramInBytes('4096')).toBe(4096);
    expect(ramInBytes('512m')).toBe(512 * 1024 * 1024);
    expect(ramInBytes('512M')).toBe(512 * 1024 * 1024);
    expect(ramInBytes('1g')).toBe(1024 ** 3);
    expect(ramInBytes('100kb')).toBe(102400);
    expect(ramInBytes('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(() => ramInBytes('x')).toThrow("Invalid size: 'x'");
    expect(() => ramInBytes('')).toThrow("Invalid size: ''");
    expect(() => ramInBytes('-1')).toThrow("Invalid size: '-1'");
  });

  it('fromHumanSize parses decimal sizes', () => {
    expect(fromHumanSize('44kB')).toBe(44_000);
    expect(fromHumanSize('17MB')).toBe(17_000_000);
    expect(fromHumanSize('32')).toBe(32);
    expect(() => fromHumanSize('1 foo')).toThrow("Invalid size: '1 foo'");
  });
});
