import { describe, expect, test } from 'vitest';
import { lint, LINT_RULES, parse } from './index.js';

const rulesHit = (text: string): string[] => lint(parse(text)).map((f) => `${f.rule}@${f.line}`);

describe('lint', () => {
  test('every rule has a unique ID, a severity and a description', () => {
    const ids = LINT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of LINT_RULES) expect(rule.description.length).toBeGreaterThan(10);
  });

  test("the book's canonical apt-get style passes", () => {
    const text = [
      'FROM debian:jessie',
      'RUN apt-get update && apt-get install -y \\',
      '    bzr \\',
      '    cvs \\',
      '    git \\',
      '    mercurial \\',
      '    subversion',
      'COPY requirements.txt /tmp/',
      'USER postgres',
      'ENTRYPOINT ["s3cmd"]',
      'CMD ["--help"]',
    ].join('\n');
    expect(lint(parse(text))).toEqual([]);
  });

  test.each([
    ['FROM a\nRUN apt-get update\nCOPY x /x\n', ['BP-RUN-2@2']],
    ['FROM a\nRUN apt-get dist-upgrade -y\nCOPY x /x\n', ['BP-RUN-3@2']],
    ['FROM a\nRUN apt-get update && apt-get install curl\n', ['BP-RUN-4@2']],
    ['FROM a\nRUN apt-get update && apt-get install -y package-foo && apt-get install -y package-bar\n', ['BP-RUN-5@2']],
    ['FROM a\nRUN apt-get update && apt-get install -y zsh curl\n', ['BP06@2']],
    ['FROM a\nRUN apt-get update && apt-get install -y\\\n  curl\n', ['BP06@2']],
    ['FROM a\nRUN echo foo > bar\nRUN echo moo > oink\n', ['BP05@2']],
    ['FROM a\nCMD echo "This is a test." | wc -\n', ['BP-CMD-1@2']],
    ['FROM a\nCMD ["-c"]\n', ['BP-CMD-3@2']],
    ['FROM a\nCMD ["a"]\nCMD ["b"]\n', ['DF-CMD-ONCE@2']],
    ['FROM a\nENTRYPOINT ["a"]\nENTRYPOINT ["b"]\n', ['DF-ENTRYPOINT-ONCE@2']],
    ['FROM ubuntu\nENTRYPOINT top -b\n', ['BP-ENTRY-3@2']],
    ['FROM a\nADD hom* /mydir/\n', ['BP-ADD-1@2']],
    ['FROM a\nADD http://example.com/big.tar.xz /usr/src/things/\n', ['BP-ADD-3@2']],
    ['FROM a\nRUN sudo make install\n', ['BP-USER-2@2']],
    ['FROM a\nUSER a\nCOPY x /x\nUSER b\nCOPY x /x\nUSER a\n', ['BP-USER-3@6']],
    ['FROM a\nWORKDIR b\n', ['BP-WORKDIR-1@2']],
    ['FROM a\nRUN cd /src && make\n', ['BP-WORKDIR-1@2']],
    ['FROM a\nONBUILD ADD . /app/src\n', ['BP-ONBUILD-2@2']],
    ['FROM a\nONBUILD ONBUILD RUN x\n', ['DF-ONBUILD-TRIGGER@2']],
    ['FROM a\nRUN [ "echo", "$HOME" ]\n', ['DF-EXEC-NO-ENV@2']],
    ["FROM a\nCMD ['x']\n", ['BP-CMD-1@2', 'DF-JSON-QUOTES@2']],
    ['RUN echo hi\nFROM a\n', ['DF-FROM-FIRST@1']],
  ])('%j → %j', (text, expected) => {
    expect(rulesHit(text).sort()).toEqual([...expected].sort());
  });

  test('too many layers for Docker 1.7', () => {
    const text = 'FROM a\n' + Array.from({ length: 130 }, (_, i) => `LABEL n${i}=${i}`).join('\n');
    const findings = lint(parse(text)).filter((f) => f.rule === 'DF-LAYERS');
    expect(findings).toEqual([
      {
        rule: 'DF-LAYERS',
        severity: 'error',
        message: 'this stage adds 130 layers; Docker cannot create containers with more than 127 parents',
        line: 1,
        endLine: 131,
      },
    ]);
  });

  test('rules can be ignored', () => {
    expect(lint(parse('FROM a\nRUN apt-get update\n'), { ignore: ['BP-RUN-2'] })).toEqual([]);
  });
});
