import { describe, expect, it } from 'vitest';
import { splitCpArg } from './cp.js';
import { formatHistory } from './history.js';

const NOW = Date.parse('2015-07-24T06:04:38Z');
// The book's ubuntu-dev history, two rows of it.
const entries = [
  { Id: 'sha256:e9453316c6301900e3c445a798a816ea5a345c4d3a0835f2e3c17836d84c735b', Created: Date.parse('2015-03-24T06:04:38Z') / 1000, CreatedBy: '/bin/sh -c #(nop) EXPOSE 22/tcp 80/tcp 8080/tcp 8088/tcp', Size: 0, Comment: '' },
  { Id: 'sha256:511136ea3c5a64f264b78b5433614aec563103b4d4702f3ba7d4d2698e22c158', Created: Date.parse('2013-06-13T21:03:50Z') / 1000, CreatedBy: '', Size: 1895, Comment: 'Imported from -' },
];

describe('formatHistory', () => {
  it("prints the book's columns with CREATED BY cut to 45 characters", () => {
    expect(formatHistory(entries, { human: true, noTrunc: false, quiet: false, now: NOW }).split('\n')).toEqual([
      'IMAGE               CREATED             CREATED BY                                      SIZE                COMMENT',
      'e9453316c630        4 months ago        /bin/sh -c #(nop) EXPOSE 22/tcp 80/tcp 8080/t   0 B                 ',
      '511136ea3c5a        2 years ago                                                         1.895 kB            Imported from -',
      '',
    ]);
  });

  it('prints raw dates and sizes with -H=false, full IDs and commands with --no-trunc, IDs only with -q', () => {
    const raw = formatHistory(entries, { human: false, noTrunc: false, quiet: false, now: NOW }).split('\n')[1];
    expect(raw).toMatch(/^e9453316c630 {8}2015-03-24T06:04:38(Z|[+-]\d\d:\d\d) {3,}\/bin\/sh -c #\(nop\) EXPOSE 22\/tcp 80\/tcp 8080\/t {3}0 {19}$/);
    expect(formatHistory(entries, { human: true, noTrunc: true, quiet: false, now: NOW })).toContain('sha256:e9453316c6301900e3c445a798a816ea5a345c4d3a0835f2e3c17836d84c735b   4 months ago        /bin/sh -c #(nop) EXPOSE 22/tcp 80/tcp 8080/tcp 8088/tcp');
    expect(formatHistory(entries, { human: true, noTrunc: false, quiet: true, now: NOW })).toBe('e9453316c630\n511136ea3c5a\n');
  });
});

describe('splitCpArg', () => {
  it('splits CONTAINER:PATH and leaves local paths alone', () => {
    expect(splitCpArg('c1:/tmp/A.txt')).toEqual(['c1', '/tmp/A.txt']);
    expect(splitCpArg('/tmp/a:b')).toBeNull();
    expect(splitCpArg('./a:b')).toBeNull();
    expect(splitCpArg('file')).toBeNull();
    expect(splitCpArg('-')).toBeNull();
  });
});
