// create + start + wait (+ removal) of `true` in a busybox container on an overlay rootfs:
// libcontainer's API against the runc and crun command lines on the same rootfs (issue #4's target:
// under 15 ms, close to raw runc/crun). Peers run as their CLIs do, with their own state roots.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { alternate, medianRows } from '../stats.mjs';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** An OCI bundle whose root is `rootfs`, running `true`, from the runtime's own default spec. */
function bundle(dir, rootfs, cgroupParent) {
  mkdirSync(dir, { recursive: true });
  execFileSync('runc', ['spec', '--bundle', dir]);
  const spec = JSON.parse(execFileSync('cat', [join(dir, 'config.json')], { encoding: 'utf8' }));
  spec.root = { path: rootfs, readonly: false };
  spec.process.args = ['true'];
  spec.process.terminal = false;
  spec.linux.cgroupsPath = `/${cgroupParent}/peer`;
  writeFileSync(join(dir, 'config.json'), JSON.stringify(spec));
  return dir;
}

export async function run({ repo, runs }) {
  const lc = await import(pathToFileURL(join(repo, 'packages/libcontainer/dist/index.js')).href);
  const root = mkdtempSync(join(tmpdir(), 'berth-bench-start-'));
  const cgroupParent = `berth-bench-${process.pid}`;
  const rootfs = join(root, 'rootfs');
  execFileSync(process.execPath, [join(repo, 'tools/fixtures/busybox.mjs'), '--extract', join(root, 'lower')], { stdio: 'ignore' });
  for (const d of ['upper', 'work', 'rootfs']) mkdirSync(join(root, d));
  lc.mount(rootfs, { source: 'overlay', fstype: 'overlay', data: `lowerdir=${root}/lower,upperdir=${root}/upper,workdir=${root}/work` });
  let n = 0;
  const subjects = [
    {
      name: 'berth (@berth/libcontainer API)',
      berth: true,
      run: async () => {
        const id = `b${n++}`;
        const c = await lc.Container.create({ id, stateDir: join(root, 'run', id), cgroupPath: `${cgroupParent}/${id}`, spec: { rootfs, args: ['true'] } });
        await c.start();
        await c.wait();
        await c.destroy();
      },
    },
  ];
  const skipped = [];
  for (const runtime of ['runc', 'crun']) {
    if (!has(runtime)) {
      skipped.push(`${runtime} (not installed)`);
      continue;
    }
    const dir = bundle(join(root, `bundle-${runtime}`), rootfs, cgroupParent);
    const state = join(root, `state-${runtime}`);
    const probe = spawnSync(runtime, ['--root', state, 'run', '--bundle', dir, `berth-bench-${runtime}-probe`], { encoding: 'utf8' });
    if (probe.status !== 0) {
      skipped.push(`${runtime} (fails on this host: ${probe.stderr.trim().split('\n').pop()})`);
      continue;
    }
    subjects.push({
      name: `${runtime} run (CLI)`,
      run: async () => {
        const r = spawnSync(runtime, ['--root', state, 'run', '--bundle', dir, `berth-bench-${runtime}-${n++}`], { stdio: 'ignore' });
        if (r.status !== 0) throw new Error(`${runtime} run exited ${r.status}`);
      },
    });
  }
  let times;
  try {
    times = await alternate(subjects, { runs });
  } finally {
    await lc.removeCgroupTree(cgroupParent);
    // runc also makes the parent in the named (systemd) and v2 hierarchies: remove what is left.
    spawnSync('sh', ['-c', `find /sys/fs/cgroup/*/${cgroupParent} -depth -type d -exec rmdir {} + 2>/dev/null`]);
    lc.unmount(rootfs, lc.MNT.DETACH);
    rmSync(root, { recursive: true, force: true });
  }
  return {
    skipped,
    figures: [
      {
        title: 'Start a container: create + start + wait + remove of `true`',
        unit: 'ms',
        note: 'busybox on overlayfs, new mount/uts/ipc/pid/net namespaces, a cgroup, default capabilities and seccomp. berth is timed through its TS API in-process (the monitor is a separate process); runc and crun through their command lines.',
        rows: medianRows(subjects, times),
      },
    ],
  };
}
