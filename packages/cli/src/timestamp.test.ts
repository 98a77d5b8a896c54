import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filtersParam } from './filterflags.js';
import { getTimestamp } from './timestamp.js';

describe('getTimestamp', () => {
  let tz: string | undefined;
  beforeEach(() => {
    tz = process.env['TZ'];
    process.env['TZ'] = 'Asia/Shanghai';
  });
  afterEach(() => {
    if (tz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = tz;
  });

  it('reads RFC3339 dates and prefixes of them in local time, zones when given', () => {
    expect(getTimestamp('2015-08-01')).toBe(String(Date.UTC(2015, 6, 31, 16) / 1000));
    expect(getTimestamp('2013-09-03T15:49:29')).toBe(String(Date.UTC(2013, 8, 3, 7, 49, 29) / 1000));
    expect(getTimestamp('2013-09-03T15:49:29Z')).toBe(String(Date.UTC(2013, 8, 3, 15, 49, 29) / 1000));
    expect(getTimestamp('2013-09-03T15:49:29.5-02:00')).toBe(String(Date.UTC(2013, 8, 3, 17, 49, 29) / 1000));
  });

  it('takes durations back from now and passes unix seconds through', () => {
    const now = Date.UTC(2015, 7, 1, 12);
    expect(getTimestamp('10m', now)).toBe(String(now / 1000 - 600));
    expect(getTimestamp('1h30m', now)).toBe(String(now / 1000 - 5400));
    expect(getTimestamp('1438362061', now)).toBe('1438362061');
    expect(getTimestamp('0', now)).toBe('0');
  });
});

describe('filtersParam', () => {
  it('groups repeated keys, lower-cases them and refuses a filter without =', () => {
    expect(filtersParam([])).toBeUndefined();
    expect(filtersParam(['container=a', 'Container=b', 'event=stop'])).toBe('{"container":["a","b"],"event":["stop"]}');
    expect(() => filtersParam(['status'])).toThrow('Bad format of filter (expected name=value)');
  });
});
