// Registers a generated 200 MB / 20,000-file layer on each driver and prints the figures.
//   node packages/graph-aufs/bench/register.mjs [overlay2 vfs]   (after building the package)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { GraphStore } from '../dist/index.js';

const FILES = 20_000;
const FILE_SIZE = 10_240; // 20,000 × 10 KiB ≈ 200 MB
const drivers = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['overlay2', 'vfs'];

function layerTar() {
  const pack = tar.pack();
  const body = Buffer.alloc(FILE_SIZE, 0x61);
  let i = 0;
  const next = () => {
    if (i === FILES) return pack.finalize();
    const n = i++;
    const name = `d${Math.floor(n / 100)}/f${n}`;
    pack.entry({ name, size: FILE_SIZE, mtime: new Date(0) }, body, next);
  };
  next();
  return pack;
}

for (const driver of drivers) {
  const root = mkdtempSync(join(tmpdir(), 'berth-bench-reg-'));
  const graph = GraphStore.open({ root, driver });
  try {
    const t0 = process.hrtime.bigint();
    const layer = await graph.layers.register(layerTar(), null);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const mb = layer.size / 1e6;
    console.log(`register ${driver}: ${FILES} files, ${mb.toFixed(1)} MB in ${(ms / 1000).toFixed(2)} s (${(mb / (ms / 1000)).toFixed(1)} MB/s)`);
  } finally {
    graph.close();
    rmSync(root, { recursive: true, force: true });
  }
}
