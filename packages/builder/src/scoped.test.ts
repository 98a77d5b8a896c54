import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { globRegExp, hasWildcards, scopedPath } from './scoped.js';

describe('scopedPath', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('resolves symlinks as if the root were /, so none leads out', () => {
    root = mkdtempSync(join(tmpdir(), 'scoped-'));
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    symlinkSync('usr/bin', join(root, 'bin'));
    symlinkSync('/etc', join(root, 'abs'));
    symlinkSync('../../../..', join(root, 'up'));
    expect(scopedPath(root, '/bin/sh')).toBe(join(root, 'usr/bin/sh'));
    expect(scopedPath(root, 'abs/passwd')).toBe(join(root, 'etc/passwd'));
    expect(scopedPath(root, 'up/etc')).toBe(join(root, 'etc'));
    expect(scopedPath(root, '../../x')).toBe(join(root, 'x'));
    expect(scopedPath(root, 'bin', true)).toBe(join(root, 'bin'));
  });
});

describe('globRegExp (Go path.Match)', () => {
  it('matches *, ? and classes without crossing /', () => {
    expect(hasWildcards('hom*')).toBe(true);
    expect(hasWildcards('home.txt')).toBe(false);
    expect(globRegExp('hom*').test('home.txt')).toBe(true);
    expect(globRegExp('hom*').test('hom/x')).toBe(false);
    expect(globRegExp('hom?.txt').test('home.txt')).toBe(true);
    expect(globRegExp('hom?.txt').test('homes.txt')).toBe(false);
    expect(globRegExp('[a-c]x').test('bx')).toBe(true);
    expect(globRegExp('[!a-c]x').test('bx')).toBe(false);
    expect(globRegExp('a.b').test('axb')).toBe(false);
  });
});
