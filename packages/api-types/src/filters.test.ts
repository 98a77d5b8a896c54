import { describe, expect, it } from 'vitest';
import { exactMatch, fuzzyMatch, matchKeyValueList, parseFilters, validateFilterKeys } from './filters.js';

describe('filters', () => {
  it('parses the current and the legacy JSON forms', () => {
    expect(parseFilters('{"event":["die","start"]}').get('event')).toEqual(new Set(['die', 'start']));
    expect(parseFilters('{"status":{"exited":true,"running":false}}').get('status')).toEqual(new Set(['exited']));
    expect(parseFilters('').size).toBe(0);
    expect(parseFilters(undefined).size).toBe(0);
  });

  it('refuses malformed filters and unknown keys', () => {
    expect(() => parseFilters('{"event":"die"}')).toThrow("invalid filter 'event'");
    expect(() => parseFilters('[1]')).toThrow('invalid filter: expected a JSON object');
    expect(() => parseFilters('{')).toThrow(/^invalid filter: /);
    expect(() => validateFilterKeys(parseFilters('{"colour":["red"]}'), ['event'])).toThrow("invalid filter 'colour'");
  });

  it('matches exactly, by prefix, and by label', () => {
    const f = parseFilters('{"event":["die"],"container":["abc"],"label":["a","b=2"]}');
    expect(exactMatch(f, 'event', 'die')).toBe(true);
    expect(exactMatch(f, 'event', 'start')).toBe(false);
    expect(exactMatch(f, 'type', 'anything')).toBe(true);
    expect(fuzzyMatch(f, 'container', 'abcdef')).toBe(true);
    expect(fuzzyMatch(f, 'container', 'xabc')).toBe(false);
    expect(fuzzyMatch(f, 'container', undefined)).toBe(false);
    expect(matchKeyValueList(f, 'label', { a: 'x', b: '2' })).toBe(true);
    expect(matchKeyValueList(f, 'label', { a: 'x', b: '3' })).toBe(false);
    expect(matchKeyValueList(f, 'label', { b: '2' })).toBe(false);
  });
});
