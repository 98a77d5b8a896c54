#!/usr/bin/env node
// Builds native/ (the Node-API addon and the berth-monitor executable) with node-gyp against the
// local Node headers. Runs as the root package's install script, so `npm ci` builds it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');

function fail(message) {
  console.error(`berth: cannot build native/: ${message}`);
  process.exit(1);
}

for (const tool of ['make', 'g++', 'gcc', 'python3']) {
  if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
    fail(`'${tool}' is missing. Install a C/C++ toolchain first: apt-get install -y build-essential python3`);
  }
}

// Build against the headers of the running Node, never downloaded ones.
const nodedir = process.env.npm_config_nodedir || dirname(dirname(process.execPath));
if (!existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) {
  fail(`no Node headers under ${nodedir}/include/node; set npm's nodedir to a Node installation with headers`);
}

const require = createRequire(import.meta.url);
let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js', { paths: [root] });
} catch {
  fail("node-gyp is not installed; run 'npm ci' at the repository root");
}

const jobs = process.env.JOBS || '2';
const r = spawnSync(process.execPath, [gyp, 'rebuild', `--nodedir=${nodedir}`, `--jobs=${jobs}`], {
  cwd: nativeDir,
  stdio: ['ignore', 'inherit', 'inherit'],
});
if (r.status !== 0) fail(`node-gyp exited with ${r.status ?? r.signal}`);
