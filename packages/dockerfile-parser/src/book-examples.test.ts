// The book's example Dockerfiles (test-fixtures/book) parse, expand and lint as the book describes.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { dump, expandWord, lint, parse, type Dockerfile } from './index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../test-fixtures/book');
const load = (name: string): Dockerfile => parse(readFileSync(join(dir, name), 'utf8'));
const keywords = (ast: Dockerfile): string => ast.instructions.map((i) => i.keyword).join(' ');
const rules = (ast: Dockerfile): string[] => lint(ast).map((f) => `${f.rule}@${f.line}`);

describe("the book's Dockerfiles", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.Dockerfile'));

  test.each(files)('%s parses and dumps', (name) => {
    const ast = load(name);
    expect(ast.instructions.length).toBeGreaterThan(0);
    expect(dump(ast).split('\n')).toHaveLength(ast.instructions.length + 1);
  });

  test('MongoDB: CMD is one argv element, ENTRYPOINT is shell form', () => {
    const ast = load('mongodb.Dockerfile');
    expect(keywords(ast)).toBe('FROM MAINTAINER RUN RUN RUN RUN RUN RUN EXPOSE CMD ENTRYPOINT');
    expect(ast.instructions[9]).toMatchObject({ json: true, args: ['--port 27017'], startLine: 40 });
    expect(ast.instructions[10]).toMatchObject({ json: false, args: ['usr/bin/mongod'] });
    // The book's own example runs apt-get update alone, twice.
    expect(rules(ast)).toContain('BP-RUN-2@13');
    expect(rules(ast)).toContain('BP-RUN-2@26');
  });

  test('several FROMs build several images', () => {
    const ast = load('multi-from.Dockerfile');
    expect(ast.instructions.filter((i) => i.keyword === 'FROM')).toHaveLength(4);
    expect(ast.instructions[2]!.keyValues).toEqual([
      { key: 'Description', value: '"This image is used to start the foobar executable"', separator: '=' },
      { key: 'Vendor', value: '"ACME Products"', separator: '=' },
      { key: 'Version', value: '"1.0"', separator: '=' },
    ]);
  });

  test('instruction examples: ENV forms, labels over lines, WORKDIR with variables', () => {
    const ast = load('instructions.Dockerfile');
    const env = new Map<string, string>();
    const labels = new Map<string, string>();
    let workdir = '/';
    for (const i of ast.instructions) {
      // Substitution sees the environment as it was before the instruction.
      const before = new Map(env);
      if (i.keyword === 'ENV' || i.keyword === 'LABEL') {
        for (const { key, value } of i.keyValues ?? []) {
          (i.keyword === 'ENV' ? env : labels).set(expandWord(key, before), expandWord(value, before));
        }
      }
      if (i.keyword === 'WORKDIR') {
        const path = expandWord(i.args[0]!, before);
        workdir = path.startsWith('/') ? path : `${workdir.replace(/\/$/, '')}/${path}`;
      }
    }
    expect(env.get('myName')).toBe('John Doe');
    expect(env.get('myDog')).toBe('Rex The Dog');
    expect(env.get('myCat')).toBe('fluffy');
    expect(labels.get('description')).toBe('This text illustrates that label-values can span multiple lines.');
    expect(labels.get('com.example.vendor')).toBe('ACME Incorporated');
    expect(labels.get('other')).toBe('value3');
    // An undefined variable expands to nothing (Docker ≥ 1.6), not to the book's /path/$DIRNAME.
    expect(workdir).toBe('/path/');
    expect(ast.instructions[ast.instructions.length - 1]).toMatchObject({ keyword: 'ENV', keyValues: [{ key: 'myDog', value: 'Rex\\ The\\ Dog', separator: '=' }] });
  });

  test('Go: variables in ENV values and WORKDIR', () => {
    const ast = load('go.Dockerfile');
    const env = ast.instructions.filter((i) => i.keyword === 'ENV').map((i) => `${i.args[0]}=${i.args[1]}`);
    expect(expandWord('$GOPATH', env)).toBe('/go');
    expect(ast.instructions[1]!.args[0]).toBe('apt-get update && apt-get install -y         gcc libc6-dev make         --no-install-recommends     && rm -rf /var/lib/apt/lists/*');
  });

  test('ENTRYPOINT demos: exec form, and shell form with exec', () => {
    expect(dump(load('top-exec.Dockerfile'))).toBe('(from "ubuntu")\n(entrypoint "top" "-b")\n(cmd "-c")\n');
    expect(rules(load('top-exec.Dockerfile'))).toEqual([]);
    expect(rules(load('top-shell-exec.Dockerfile'))).toEqual([]);
  });

  test('Rails ONBUILD image and the MySQL fragment', () => {
    expect(rules(load('rails.Dockerfile'))).toEqual(expect.arrayContaining(['BP-ONBUILD-2@9', 'BP-ONBUILD-2@10', 'BP-ONBUILD-2@13']));
    expect(rules(load('mysql-entrypoint.Dockerfile'))).toContain('DF-FROM-FIRST@1');
  });
});
