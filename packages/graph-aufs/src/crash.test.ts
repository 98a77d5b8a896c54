import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mountsUnder, unmountQuiet } from './drivers/mounts.js';
import { GraphStore } from './store.js';

// The child runs the built package (tests run after build) and registers an endless layer.
const dist = pathToFileURL(join(__dirname, '../dist/index.js')).href;
const CHILD = `
import { GraphStore } from ${JSON.stringify(dist)};
import tar from 'tar-stream';
import { createGzip } from 'node:zlib';
const graph = GraphStore.open({ root: process.argv[1], driver: process.argv[2] });
const pack = tar.pack();
let i = 0;
function more() {
  pack.entry({ name: 'f' + i++, size: 65536 }, Buffer.alloc(65536, 7), () => {
    if (i === 50) process.stdout.write('registering\\n');
    setImmediate(more);
  });
}
more();
// A gzip stream, as a pull hands it over, is kept as it came rather than compressed again.
await graph.layers.register(process.argv[3] === 'gzip' ? pack.pipe(createGzip()) : pack, null);
`;

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'berth-crash-'));
});
afterEach(() => {
  for (const m of mountsUnder(root).reverse()) unmountQuiet(m);
  rmSync(root, { recursive: true, force: true });
});

it.each([
  ['overlay2', 'tar'],
  ['vfs', 'tar'],
  ['overlay2', 'gzip'],
])('kill -9 during a layer register leaves no layer on %s after reopening (%s stream)', async (driver, compression) => {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CHILD, root, driver, compression], { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('registering') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
    });
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    child.kill('SIGKILL');
  }
  await new Promise((r) => child.once('exit', r));
  const home = join(root, driver, driver === 'vfs' ? 'dir' : '');
  expect(readdirSync(home).filter((n) => n !== 'l' && n !== 'trash')).toHaveLength(1); // the partial layer is on disk
  const graph = GraphStore.open({ root });
  try {
    expect(graph.driver.name).toBe(driver);
    expect(graph.layers.list()).toEqual([]);
    expect(graph.driver.ids()).toEqual([]);
    expect(readdirSync(join(root, 'layerdata'))).toEqual([]);
  } finally {
    graph.close();
  }
});
