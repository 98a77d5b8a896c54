#!/usr/bin/env node
// npm run bench [-- --with-peers] [--runs N] [--only name,name]
// Runs every suite in suites/ (a new file there is a new suite) and writes BENCHMARKS.md at the
// repository root, with findings.md (what was profiled and fixed, by hand) after the tables.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { renderReport } from './report.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const { values } = parseArgs({
  options: {
    'with-peers': { type: 'boolean', default: false },
    runs: { type: 'string', default: '30' },
    only: { type: 'string' },
    out: { type: 'string', default: join(repo, 'BENCHMARKS.md') },
  },
});
const options = { runs: Number(values.runs), withPeers: values['with-peers'], repo };
const only = values.only?.split(',');

const figures = [];
const skipped = [];
for (const file of readdirSync(join(here, 'suites')).filter((f) => f.endsWith('.mjs')).sort()) {
  const name = file.replace(/\.mjs$/, '');
  if (only && !only.includes(name)) continue;
  const suite = await import(pathToFileURL(join(here, 'suites', file)).href);
  process.stderr.write(`bench: ${name}\n`);
  const result = await suite.run(options);
  figures.push(...result.figures);
  skipped.push(...(result.skipped ?? []));
}
const command = `npm run bench${process.argv.length > 2 ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
const findingsFile = join(here, 'findings.md');
const findings = existsSync(findingsFile) ? readFileSync(findingsFile, 'utf8') : undefined;
writeFileSync(values.out, renderReport({ figures, command, skipped, findings }) + '\n');
process.stderr.write(`bench: wrote ${values.out}\n`);
