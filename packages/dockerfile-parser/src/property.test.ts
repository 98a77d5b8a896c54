// Random and mutated Dockerfiles never make the parser, dump, lint or lexer throw anything but the parser's error.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DockerfileParseError, dump, expandWord, INSTRUCTIONS, lint, parse, ShellExpansionError, splitWords } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, '../../../../shared/conformance/dockerfile-parser/parser/testfiles');
const corpus = readdirSync(corpusDir)
  .sort()
  .map((name) => readFileSync(join(corpusDir, name, 'Dockerfile'), 'utf8'));

const fragments = [
  ...INSTRUCTIONS,
  ...INSTRUCTIONS.map((k) => k.toLowerCase()),
  ' ', '  ', '\t', '\n', '\r\n', '\\', '\\\n', '`', '`\n', '#', '# escape=`\n', '# escape=\\\n', '# syntax=x\n', '# check=a\n',
  '"', "'", '[', ']', '["a", "b"]', '[1, 2]', '[["x"]]', '{', '}', '$', '${', '${A:-b}', '${A:+', '${A?', '$1', '${#}',
  '=', 'a=b', 'k v', '--', '--flag', '--from=x', '--chown="a b"', '<<', '<<EOF', '<<-EOF', "<<'EOF'", '3<<EOF', 'EOF', '\tEOF',
  'AS', 'name', '/path', 'echo hi', '&&', '\u00a0', '\u0085', '\ufeff', '한국어', '\u0000', '\u2028', '😀',
];

const dockerfileish = fc
  .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 60 })
  .map((parts) => parts.join(''));

const mutated = fc
  .tuple(
    fc.constantFrom(...corpus),
    fc.array(fc.tuple(fc.nat(), fc.nat({ max: 8 }), fc.constantFrom(...fragments)), { minLength: 1, maxLength: 6 }),
  )
  .map(([text, edits]) =>
    edits.reduce((acc, [at, cut, insert]) => {
      const pos = acc.length === 0 ? 0 : at % acc.length;
      return acc.slice(0, pos) + insert + acc.slice(pos + cut);
    }, text),
  );

/** Parses and exercises everything built on the AST; returns false when the text did not parse. */
function exercise(text: string): boolean {
  let ast;
  try {
    ast = parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(DockerfileParseError);
    return false;
  }
  const out = dump(ast);
  expect(out.endsWith('\n')).toBe(true);
  lint(ast);
  for (const i of ast.instructions) {
    expect(i.startLine).toBeGreaterThanOrEqual(1);
    expect(i.endLine).toBeGreaterThanOrEqual(i.startLine);
    expect(i.endLine).toBeLessThanOrEqual(ast.lines.length);
    for (const arg of i.args) {
      try {
        expandWord(arg, { A: 'x' }, { escapeToken: ast.escapeToken });
        splitWords(arg, ['A=x y']);
      } catch (err) {
        expect(err).toBeInstanceOf(ShellExpansionError);
      }
    }
  }
  return true;
}

describe('robustness (fast-check)', () => {
  test('random Dockerfile-like text', () => {
    fc.assert(fc.property(dockerfileish, (text) => void exercise(text)), { numRuns: 1500 });
  });

  test('arbitrary Unicode text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => void exercise(text)), { numRuns: 500 });
  });

  test('mutated Dockerfiles from Docker\'s corpus', () => {
    let parsed = 0;
    fc.assert(
      fc.property(mutated, (text) => {
        if (exercise(text)) parsed++;
      }),
      { numRuns: 1000 },
    );
    // Most mutants still parse, so the properties above were checked on real ASTs.
    expect(parsed).toBeGreaterThan(300);
  });

  test('the shell lexer on arbitrary words', () => {
    fc.assert(
      fc.property(dockerfileish, fc.constantFrom('\\', '`'), (word, escapeToken) => {
        try {
          expect(typeof expandWord(word, ['A=1', 'B='], { escapeToken })).toBe('string');
        } catch (err) {
          expect(err).toBeInstanceOf(ShellExpansionError);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
