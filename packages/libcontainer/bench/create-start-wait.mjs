#!/usr/bin/env node
// Benchmark (not a test): create + start + wait of `true` in a busybox container, as root, after
// `npx nx run @berth/libcontainer:build`. Prints the median and p90 over N runs (default 50).
//   node packages/libcontainer/bench/create-start-wait.mjs [N] [--cgroup-version 2] [--cgroupns]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Container, MNT, cgroupHost, mount, removeCgroupTree, unmount } from '../dist/index.js';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 50);
const version = args.includes('--cgroup-version') ? Number(args[args.indexOf('--cgroup-version') + 1]) : undefined;
const namespaces = args.includes('--cgroupns') ? { cgroup: { mode: 'new' } } : undefined;
const here = dirname(fileURLToPath(import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'berth-lc-bench-'));
const cgroupParent = `berth-bench-${process.pid}`;
const rootfs = join(root, 'rootfs');
execFileSync(process.execPath, [join(here, '..', '..', '..', 'tools', 'fixtures', 'busybox.mjs'), '--extract', join(root, 'lower')], { stdio: 'ignore' });
for (const d of ['upper', 'work', 'rootfs']) mkdirSync(join(root, d));
mount(rootfs, { source: 'overlay', fstype: 'overlay', data: `lowerdir=${join(root, 'lower')},upperdir=${join(root, 'upper')},workdir=${join(root, 'work')}` });

// v2 hands the root's controllers down from the root: put the root back as it was after
const rootSubtree = cgroupHost().unified ? join(cgroupHost().unified, 'cgroup.subtree_control') : undefined;
const subtreeBefore = rootSubtree ? readFileSync(rootSubtree, 'utf8').split(/\s+/).filter(Boolean) : [];
const times = [];
try {
  for (let i = 0; i < runs + 3; i++) {
    const id = `bench${i}`;
    const t0 = process.hrtime.bigint();
    const c = await Container.create({ id, stateDir: join(root, 'run', id), cgroupPath: `${cgroupParent}/${id}`, cgroupVersion: version, spec: { rootfs, args: ['true'], namespaces } });
    await c.start();
    const status = await c.wait();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (status.exitCode !== 0) throw new Error(`run ${i} exited ${status.exitCode}`);
    if (i >= 3) times.push(ms); // the first runs warm caches and the JIT
    await c.destroy();
  }
} finally {
  await removeCgroupTree(cgroupParent);
  const added = rootSubtree ? readFileSync(rootSubtree, 'utf8').split(/\s+/).filter((c) => c && !subtreeBefore.includes(c)) : [];
  if (added.length) writeFileSync(rootSubtree, added.map((c) => `-${c}`).join(' '));
  unmount(rootfs, MNT.DETACH);
  rmSync(root, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
console.log(`create+start+wait of true${version ? ` (cgroup v${version})` : ''}${namespaces ? ' (cgroupns)' : ''}: median ${at(0.5).toFixed(2)} ms, p90 ${at(0.9).toFixed(2)} ms, min ${times[0].toFixed(2)} ms over ${times.length} runs`);
