#!/usr/bin/env node
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkBoundaries } from './check.mjs';
import { LAYERS } from './layers.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const problems = checkBoundaries(root, LAYERS);
for (const p of problems) console.error(p);
if (problems.length > 0) {
  console.error(`${problems.length} layering problem(s); see DESIGN.md "Layout"`);
  process.exit(1);
}
console.log('package layering: ok');
