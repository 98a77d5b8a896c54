import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TemplateError } from './errors.js';
import { parseTemplate } from './template.js';

/**
 * Cases recorded from Go's own text/template (see testdata/go-exec.json: generatedBy), run
 * against the same data with docker's functions. Each must give Go's output and Go's error text.
 */
interface GoCase {
  template: string;
  output: string;
  parseError?: string;
  execError?: string;
}

const fixture = JSON.parse(readFileSync(new URL('./testdata/go-exec.json', import.meta.url), 'utf8')) as {
  data: unknown;
  cases: GoCase[];
};

function run(text: string): { output: string; parseError?: string; execError?: string } {
  let tmpl;
  try {
    tmpl = parseTemplate(text);
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    expect(e.phase).toBe('parse');
    return { output: '', parseError: e.message };
  }
  try {
    return { output: tmpl.execute(fixture.data) };
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
    expect(e.phase).toBe('exec');
    return { output: e.output, execError: e.message };
  }
}

describe('agrees with Go text/template', () => {
  it('has a substantial fixture', () => {
    expect(fixture.cases.length).toBeGreaterThan(200);
  });
  for (const c of fixture.cases) {
    it(c.template, () => {
      const want: { output: string; parseError?: string; execError?: string } = { output: c.output };
      if (c.parseError !== undefined) want.parseError = c.parseError;
      if (c.execError !== undefined) want.execError = c.execError;
      expect(run(c.template)).toEqual(want);
    });
  }
});
