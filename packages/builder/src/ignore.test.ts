import { describe, expect, it } from 'vitest';
import { IgnoreMatcher, readIgnoreFile } from './ignore.js';

const matcher = (text: string): IgnoreMatcher => new IgnoreMatcher(readIgnoreFile(text));

describe('.dockerignore', () => {
  it('reads patterns: comments and blanks skipped, cleaned, leading / dropped, ! kept', () => {
    expect(readIgnoreFile('# comment\n\n  *.md  \n/abs/./x/\n!keep/../LICENSE.md\n')).toEqual(['*.md', 'abs/x', '!LICENSE.md']);
  });

  it("applies the book's Table 8-1 rules (example 1: LICENSE.md re-included)", () => {
    const m = matcher('*/temp*\n*/*/temp*\ntemp?\n*.md\n!LICENSE.md\n');
    expect(m.excludes('somedir/temporary.txt')).toBe(true);
    expect(m.excludes('somedir/subdir/temporary.txt')).toBe(true);
    expect(m.excludes('a/b/c/temporary.txt')).toBe(false);
    expect(m.excludes('tempa')).toBe(true);
    expect(m.excludes('tempab')).toBe(false);
    expect(m.excludes('README.md')).toBe(true);
    expect(m.excludes('docs/README.md')).toBe(false);
    expect(m.excludes('LICENSE.md')).toBe(false);
  });

  it('lets the last matching rule win (example 2: LICENSE.md excluded)', () => {
    expect(matcher('!LICENSE.md\n*.md\n').excludes('LICENSE.md')).toBe(true);
  });

  it('matches ** across directories and a directory pattern excludes what is inside', () => {
    const m = matcher('**/*.log\nbuild\nnode_modules/**\n');
    expect(m.excludes('x.log')).toBe(true);
    expect(m.excludes('a/b/c/x.log')).toBe(true);
    expect(m.excludes('build/out/bin')).toBe(true);
    expect(m.excludes('node_modules/a/index.js')).toBe(true);
    expect(m.excludes('src/build.ts')).toBe(false);
    expect(m.excludes('.')).toBe(false);
  });

  it('refuses a lone !', () => {
    expect(() => matcher('!\n')).toThrow('illegal exclusion pattern: "!"');
  });
});
