#!/usr/bin/env node
// Benchmark (not a test): create + start + wait of `true` in a busybox container, as root, after
// `npx nx run @berth/libcontainer:build`. Prints the median and p90 over N runs (default 50).
//   node packages/libcontainer/bench/create-start-wait.mjs [N]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Container, MNT, mount, removeCgroupTree, unmount } from '../dist/index.js';

const runs = Number(process.argv[2] ?? 50);
const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'berth-lc-bench-'));
const cgroupParent = `berth-bench-${process.pid}`;
const rootfs = join(root, 'rootfs');
execFileSync(process.execPath, [join(here, '..', '..', '..', 'tools', 'fixtures', 'busybox.mjs'), '--extract', join(root, 'lower')], { stdio: 'ignore' });
for (const d of ['upper', 'work', 'rootfs']) mkdirSync(join(root, d));
mount(rootfs, { source: 'overlay', fstype: 'overlay', data: `lowerdir=${join(root, 'lower')},upperdir=${join(root, 'upper')},workdir=${join(root, 'work')}` });

const times = [];
try {
  for (let i = 0; i < runs + 3; i++) {
    const id = `bench${i}`;
    const t0 = process.hrtime.bigint();
    const c = await Container.create({ id, stateDir: join(root, 'run', id), cgroupPath: `${cgroupParent}/${id}`, spec: { rootfs, args: ['true'] } });
    await c.start();
    const status = await c.wait();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (status.exitCode !== 0) throw new Error(`run ${i} exited ${status.exitCode}`);
    if (i >= 3) times.push(ms); // the first runs warm caches and the JIT
    await c.destroy();
  }
} finally {
  await removeCgroupTree(cgroupParent);
  unmount(rootfs, MNT.DETACH);
  rmSync(root, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(`create+start+wait of true: median ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, min ${times[0].toFixed(2)} ms over ${times.length} runs`);
