import { describe, expect, it } from 'vitest';
import { LEFT, RIGHT, allocateName, getRandomName, NAME_ATTEMPTS } from './index.js';

/** A scripted random source: returns the queued values in order. */
function scripted(...values: number[]) {
  return (n: number) => {
    const v = values.shift();
    if (v === undefined) throw new Error('script exhausted');
    expect(v).toBeLessThan(n);
    return v;
  };
}

describe('lists', () => {
  it('has the book lists', () => {
    expect(LEFT).toHaveLength(57);
    expect(RIGHT).toHaveLength(95);
    expect(new Set(LEFT).size).toBe(LEFT.length);
    expect(new Set(RIGHT).size).toBe(RIGHT.length);
  });
});

describe('getRandomName', () => {
  it('joins an adjective and a surname with an underscore', () => {
    for (let i = 0; i < 500; i++) {
      const [l, r, ...rest] = getRandomName(0).split('_');
      expect(rest).toEqual([]);
      expect(LEFT).toContain(l);
      expect(RIGHT).toContain(r);
    }
  });

  it('never returns boring_wozniak and draws again instead', () => {
    const boring = LEFT.indexOf('boring');
    const wozniak = RIGHT.indexOf('wozniak');
    expect(getRandomName(0, scripted(boring, wozniak, boring, wozniak, 0, 0))).toBe('admiring_albattani');
  });

  it('appends one digit when retrying', () => {
    expect(getRandomName(1, scripted(0, 1, 7))).toBe('admiring_almeida7');
    for (let i = 0; i < 200; i++) expect(getRandomName(3)).toMatch(/^[a-z]+_[a-z]+[0-9]$/);
  });
});

describe('allocateName', () => {
  const id = '4a5f0c1b2d3e4a5f0c1b2d3e4a5f0c1b2d3e4a5f0c1b2d3e4a5f0c1b2d3e4a5f';

  it('reserves the first free name with a leading slash', () => {
    expect(allocateName(id, () => true, scripted(2, 2))).toBe('/agitated_archimedes');
  });

  it('retries with digits and falls back to the short ID after six tries', () => {
    const tried: string[] = [];
    const name = allocateName(id, (n) => {
      tried.push(n);
      return tried.length > NAME_ATTEMPTS;
    });
    expect(tried).toHaveLength(NAME_ATTEMPTS + 1);
    expect(tried[0]).toMatch(/^\/[a-z]+_[a-z]+$/);
    for (const t of tried.slice(1, NAME_ATTEMPTS)) expect(t).toMatch(/^\/[a-z]+_[a-z]+[0-9]$/);
    expect(name).toBe('/4a5f0c1b2d3e');
  });

  it('fails when not even the short ID is free', () => {
    expect(() => allocateName(id, () => false)).toThrow('Conflict. The name "/4a5f0c1b2d3e" is already in use');
  });
});
