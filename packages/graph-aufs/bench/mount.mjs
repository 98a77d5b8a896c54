// Mounts (and unmounts) a 20-layer image's container root filesystem and prints the time per mount.
//   node packages/graph-aufs/bench/mount.mjs [overlay2 aufs vfs]   (after building the package)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tar from 'tar-stream';
import { GraphStore } from '../dist/index.js';

const LAYERS = 20;
const RUNS = 50;
const drivers = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['overlay2', 'aufs', 'vfs'];

function smallLayer(n) {
  const pack = tar.pack();
  pack.entry({ name: `layer${n}/file`, size: 3, mtime: new Date(0) }, Buffer.from(`${n}\n`));
  pack.finalize();
  return pack;
}

for (const driver of drivers) {
  const root = mkdtempSync(join(tmpdir(), 'berth-bench-mount-'));
  const graph = GraphStore.open({ root, driver });
  try {
    let parent = null;
    for (let i = 0; i < LAYERS; i++) parent = (await graph.layers.register(smallLayer(i), parent)).chainId;
    const t0 = process.hrtime.bigint();
    graph.layers.createRW('bench', parent);
    const createMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const s = process.hrtime.bigint();
      graph.layers.mountRW('bench');
      graph.layers.unmountRW('bench');
      times.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
    times.sort((a, b) => a - b);
    console.log(`${driver}: create rw+init layer on ${LAYERS} layers ${createMs.toFixed(1)} ms; mount+unmount median ${times[RUNS >> 1].toFixed(2)} ms (min ${times[0].toFixed(2)}, max ${times[RUNS - 1].toFixed(2)}) over ${RUNS} runs`);
    graph.layers.removeRW('bench');
  } finally {
    graph.close();
    rmSync(root, { recursive: true, force: true });
  }
}
