import { describe, expect, it } from 'vitest';
import { TabWriter } from './tabwriter.js';

function table(text: string, opts?: ConstructorParameters<typeof TabWriter>[1]): string {
  let out = '';
  const w = new TabWriter((s) => (out += s), opts);
  w.write(text);
  w.flush();
  return out;
}

describe('TabWriter with docker settings (20, 1, 3, space)', () => {
  it('pads columns to at least 20 and 3 past the widest cell', () => {
    expect(table('CONTAINER ID\tIMAGE\tNAMES\n4241164edf6f\tbusybox:latest\tweb\n')).toBe(
      'CONTAINER ID        IMAGE               NAMES\n' + '4241164edf6f        busybox:latest      web\n',
    );
    expect(table('A\tB\nvery-long-cell-value-here\tx\n')).toBe(
      `A${' '.repeat(27)}B\n` + 'very-long-cell-value-here   x\n',
    );
  });

  it('never pads the text after the last tab', () => {
    expect(table('a\tb\n')).toBe(`a${' '.repeat(19)}b\n`);
    expect(table('a\tb\t\n')).toBe(`a${' '.repeat(19)}b${' '.repeat(19)}\n`);
  });

  it('aligns column blocks separately, as Go does', () => {
    // Line 2 has no tab: it ends the block, so line 3's column is sized on its own.
    const out = table('aaaaaaaaaaaaaaaaaaaaaaaaa\tx\nplain\nb\ty\n');
    expect(out).toBe(`aaaaaaaaaaaaaaaaaaaaaaaaa   x\nplain\nb${' '.repeat(19)}y\n`);
  });

  it('sizes an inner column only over the lines that have it', () => {
    const out = table('a\tb\tc\nd\te\n', { minwidth: 0, tabwidth: 1, padding: 1, padchar: ' ' });
    expect(out).toBe('a b c\nd e\n');
  });

  it('counts characters, not bytes', () => {
    expect(table('héllo\tx\n', { minwidth: 0, tabwidth: 1, padding: 1, padchar: ' ' })).toBe('héllo x\n');
  });
});
