import { describe, expect, it } from 'vitest';
import { generateId, isFullId, shortId, TruncIndex, TruncIndexError } from './index.js';

describe('generateId', () => {
  it('makes 64 lower-case hex characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const id = generateId();
      expect(isFullId(id)).toBe(true);
      seen.add(id);
    }
    expect(seen.size).toBe(100);
  });

  it('draws again when the short form is all digits', () => {
    const draws = [
      Buffer.from('123456789012' + 'a'.repeat(52), 'hex'),
      Buffer.from('12345678901b' + 'c'.repeat(52), 'hex'),
    ];
    let calls = 0;
    const id = generateId(() => draws[calls++] as Buffer);
    expect(calls).toBe(2);
    expect(id.startsWith('12345678901b')).toBe(true);
  });
});

describe('shortId', () => {
  it('keeps 12 characters and drops sha256:', () => {
    expect(shortId('sha256:' + 'ab'.repeat(32))).toBe('abababababab');
    expect(shortId('0123456789abcdef')).toBe('0123456789ab');
  });
});

describe('TruncIndex', () => {
  const a = 'abc1' + '0'.repeat(60);
  const b = 'abc2' + '0'.repeat(60);
  const c = 'def0' + '0'.repeat(60);

  it('finds a unique prefix and the full ID', () => {
    const idx = new TruncIndex([a, b, c]);
    expect(idx.get('d')).toBe(c);
    expect(idx.get('abc1')).toBe(a);
    expect(idx.get(b)).toBe(b);
  });

  it("reports an ambiguous prefix in Docker's words", () => {
    const idx = new TruncIndex([a, b, c]);
    expect(() => idx.get('abc')).toThrow('Multiple IDs found with provided prefix: abc');
    try {
      idx.get('a');
    } catch (e) {
      expect(e).toBeInstanceOf(TruncIndexError);
      expect((e as TruncIndexError).kind).toBe('ambiguous');
    }
  });

  it('reports empty and unknown prefixes', () => {
    const idx = new TruncIndex([a]);
    expect(() => idx.get('')).toThrow("Prefix can't be empty");
    expect(() => idx.get('f')).toThrow('no such id: f');
    expect(() => idx.get('abc10x')).toThrow('no such id: abc10x');
  });

  it('rejects duplicates and spaces, and deletes', () => {
    const idx = new TruncIndex([a, b]);
    expect(() => idx.add(a)).toThrow(`id already exists: '${a}'`);
    expect(() => idx.add('x y')).toThrow("illegal character: ' '");
    expect(idx.delete(a)).toBe(true);
    expect(idx.delete(a)).toBe(false);
    expect(idx.get('abc')).toBe(b);
    expect(idx.size).toBe(1);
  });
});
