// Docker's own parser corpus and shell-lexer vectors (moby/buildkit frontend/dockerfile).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { DockerfileParseError, dump, expandWord, parse, ShellExpansionError, splitWords } from './index.js';

const conformance = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/conformance/dockerfile-parser');
const parserDir = join(conformance, 'parser');
const cases = (dir: string): string[] => readdirSync(join(parserDir, dir)).sort();

describe('parser testfiles', () => {
  test('the corpus is there', () => {
    expect(cases('testfiles').length).toBeGreaterThanOrEqual(30);
    expect(cases('testfiles-negative').length).toBeGreaterThanOrEqual(4);
  });

  test.each(cases('testfiles'))('%s dumps byte-identically', (name) => {
    const text = readFileSync(join(parserDir, 'testfiles', name, 'Dockerfile'), 'utf8');
    const result = readFileSync(join(parserDir, 'testfiles', name, 'result'), 'utf8');
    expect(dump(parse(text))).toBe(result);
  });

  test.each(cases('testfiles-negative'))('%s fails to parse', (name) => {
    const text = readFileSync(join(parserDir, 'testfiles-negative', name, 'Dockerfile'), 'utf8');
    expect(() => parse(text)).toThrow(DockerfileParseError);
  });
});

/** The environment the vectors assume. */
const ENV = ['PWD=/home', 'SHELL=bash', 'KOREAN=한국어', 'NULL='];

interface Vector {
  line: number;
  source: string;
  expected: string;
}

function envVarVectors(): Vector[] {
  const text = readFileSync(join(conformance, 'shell', 'envVarTest'), 'utf8');
  const vectors: Vector[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.startsWith('#') || raw.trim() === '') return;
    const [platform, source, expected] = raw.trim().split('|').map((s) => s.trim());
    // W| vectors are Windows-only (case-insensitive variable names).
    if (platform === 'A' || platform === 'U') vectors.push({ line: index + 1, source: source!, expected: expected! });
  });
  return vectors;
}

describe('shell envVarTest', () => {
  const vectors = envVarVectors();
  test('has the A| and U| vectors', () => expect(vectors.length).toBeGreaterThan(220));

  test.each(vectors.map((v) => [v.line, v.source, v.expected] as const))('line %i: %s → %s', (_line, source, expected) => {
    if (expected === 'error') {
      expect(() => expandWord(source, ENV)).toThrow(ShellExpansionError);
    } else {
      expect(expandWord(source, ENV)).toBe(expected);
      expect(expandWord(source, new Map(ENV.map((e) => e.split('=') as [string, string])))).toBe(expected);
    }
  });
});

describe('shell wordsTest', () => {
  const text = readFileSync(join(conformance, 'shell', 'wordsTest'), 'utf8');
  const env: string[] = [];
  const vectors: { line: number; source: string; expected: string[]; env: string[] }[] = [];
  text.split('\n').forEach((raw, index) => {
    if (raw.startsWith('#') || raw === '') return;
    if (raw.startsWith('ENV ')) {
      env.push(raw.slice(3).replace(/^ +/, ''));
      return;
    }
    const [source, expected] = raw.split('|');
    vectors.push({
      line: index + 1,
      source: source!.trim(),
      expected: expected!.replace(/^ +/, '').split(','),
      env: [...env],
    });
  });

  test('has the vectors', () => expect(vectors.length).toBeGreaterThan(20));

  test.each(vectors)('line $line: $source', ({ source, expected, env: vars }) => {
    let words: string[];
    try {
      words = splitWords(source, vars);
    } catch (err) {
      expect(err).toBeInstanceOf(ShellExpansionError);
      words = ['error'];
    }
    expect(words).toEqual(expected);
  });
});
