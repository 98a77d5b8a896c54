import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TemplateError } from './errors.js';
import { parseTemplate } from './template.js';

/**
 * Cases recorded from Go's own text/template (each fixture's generatedBy says how), run against
 * the same data with docker's functions. Each must give Go's output and Go's error text.
 */
interface GoCase {
  template: string;
  output: string;
  parseError?: string;
  execError?: string;
}

interface Fixture {
  generatedBy: string;
  data: unknown;
  cases: GoCase[];
}

type Result = { output: string; parseError?: string; execError?: string };

function load(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8')) as Fixture;
}

function run(text: string, data: unknown): Result {
  let tmpl;
  try {
    tmpl = parseTemplate(text);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    expect(e.phase).toBe('parse');
    return { output: '', parseError: e.message };
  }
  try {
    return { output: tmpl.execute(data) };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    expect(e.phase).toBe('exec');
    return { output: e.output, execError: e.message };
  }
}

for (const name of ['go-exec.json', 'go-exec-tests.json', 'go-parse-tests.json']) {
  const fixture = load(name);
  describe(`agrees with Go text/template: ${name}`, () => {
    it('has a substantial fixture', () => {
      expect(fixture.cases.length).toBeGreaterThan(100);
    });
    fixture.cases.forEach((c, i) => {
      it(`${i}: ${c.template}`, () => {
        const want: Result = { output: c.output };
        if (c.parseError !== undefined) want.parseError = c.parseError;
        if (c.execError !== undefined) want.execError = c.execError;
        expect(run(c.template, fixture.data)).toEqual(want);
      });
    });
  });
}
