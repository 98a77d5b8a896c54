import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dockerTableOptions, TabWriter } from './tabwriter.js';

const fixture = JSON.parse(readFileSync(new URL('./testdata/go-tabwriter.json', import.meta.url), 'utf8')) as {
  cases: { input: string; output: string }[];
};

describe('TabWriter with docker settings matches Go text/tabwriter', () => {
  for (const c of fixture.cases) {
    it(JSON.stringify(c.input.slice(0, 40)), () => {
      const w = new TabWriter(dockerTableOptions);
      w.write(c.input);
      expect(w.flush()).toBe(c.output);
    });
  }

  it('gives the same result when written a character at a time', () => {
    for (const c of fixture.cases) {
      const w = new TabWriter(dockerTableOptions);
      let out = '';
      for (const ch of c.input) {
        w.write(ch);
      }
      out += w.flush();
      expect(out).toBe(c.output);
    }
  });
});

describe('TabWriter options', () => {
  it('pads to padding beyond the widest cell when minwidth is small (docker/cli: 10, 1, 3)', () => {
    const w = new TabWriter({ minwidth: 10, tabwidth: 1, padding: 3, padchar: ' ', flags: 0 });
    w.write('ID\tNAME\nabcdefghijkl\tx\n');
    expect(w.flush()).toBe('ID             NAME\nabcdefghijkl   x\n');
  });

  it('aligns right and draws Debug bars', () => {
    const w = new TabWriter({ minwidth: 0, tabwidth: 8, padding: 1, padchar: '.', flags: TabWriter.AlignRight | TabWriter.Debug });
    w.write('a\tbbb\tc\naa\tb\tc\n');
    expect(w.flush()).toBe('..a|.bbb|c\n.aa|...b|c\n');
  });

  it('pads with tabs when padchar is a tab', () => {
    const w = new TabWriter({ minwidth: 0, tabwidth: 8, padding: 1, padchar: '\t', flags: 0 });
    w.write('a\tb\nlonger text\tc\n');
    expect(w.flush()).toBe('a\t\tb\nlonger text\tc\n');
  });

  it('discards empty columns of soft (\\v) cells on request', () => {
    const w = new TabWriter({ minwidth: 0, tabwidth: 8, padding: 1, padchar: ' ', flags: TabWriter.DiscardEmptyColumns });
    w.write('a\v\vb\nc\v\vd\n');
    expect(w.flush()).toBe('a b\nc d\n');
  });

  it('emits completed blocks on a single-cell line and the rest on flush', () => {
    const w = new TabWriter(dockerTableOptions);
    w.write('a\tb\nsingle\n');
    w.write('c\td');
    expect(w.flush()).toBe('a                   b\nsingle\nc                   d');
    expect(w.flush()).toBe('');
  });
});
