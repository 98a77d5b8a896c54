// The engines berth is compared with: dockerd (Debian's docker.io) and podman, each on a root
// and socket of its own under the bench dir, each given the same busybox fixture image.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createNetns } from './netns.mjs';

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

export function installPeers() {
  const need = [];
  if (!has('dockerd')) need.push('docker.io');
  if (!has('podman')) need.push('podman');
  if (need.length === 0) return;
  process.stderr.write(`bench: apt-get install ${need.join(' ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...need], { stdio: 'inherit', env });
}

async function waitFor(check, what, ms = 30000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bench: ${what} did not come up in ${ms} ms`);
}

/**
 * Starts dockerd on its own root, exec root and socket, in a network namespace of its own
 * (`netns`, removed by stop()) where it sets up its default bridge and iptables rules as it does
 * on a host, and imports the fixture as `image`. Returns { host, pid, marker, docker, stop() } or
 * null when dockerd is absent.
 */
export async function startDockerd({ dir, rootfsTar, image, netns = `berth-bench-dockerd-${process.pid}` }) {
  if (!has('dockerd')) return null;
  const root = join(dir, 'dockerd');
  mkdirSync(root, { recursive: true });
  const sock = join(root, 'docker.sock');
  const host = `unix://${sock}`;
  const log = join(root, 'dockerd.log');
  const ns = createNetns(netns);
  // dockerd makes a `docker` cgroup in every hierarchy whatever --cgroup-parent says; it goes
  // again with dockerd unless it was there before.
  const hadDockerCgroup = existsSync('/sys/fs/cgroup/memory/docker') || existsSync('/sys/fs/cgroup/docker');
  const child = spawn(
    'sh',
    ['-c', `exec ${ns.wrap([]).join(' ')} dockerd --data-root ${root}/data --exec-root ${root}/exec --pidfile ${root}/docker.pid -H ${host} --cgroup-parent /${netns} --storage-driver overlay2 >${log} 2>&1`],
    { stdio: 'ignore' },
  );
  const docker = (...args) => execFileSync('/usr/local/bin/docker', ['-H', host, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    await waitFor(() => existsSync(sock) && spawnSync('/usr/local/bin/docker', ['-H', host, 'version']).status === 0, 'dockerd');
    docker('import', rootfsTar, image);
  } catch (e) {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
    ns.remove();
    throw new Error(`${e.message}\n${existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''}`);
  }
  return {
    host,
    pid: child.pid,
    marker: root,
    docker,
    async stop() {
      try {
        const ids = docker('ps', '-aq').split('\n').filter(Boolean);
        if (ids.length) docker('rm', '-f', ...ids);
      } catch {
        // dockerd may be gone already
      }
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      spawnSync('sh', ['-c', `grep -E ' ${root}' /proc/self/mountinfo | cut -d' ' -f5 | sort -r | xargs -r -n1 umount -l`]);
      spawnSync('sh', ['-c', `rmdir /sys/fs/cgroup/*/${netns} ${hadDockerCgroup ? '' : '/sys/fs/cgroup/*/docker /sys/fs/cgroup/docker'} 2>/dev/null`]);
      ns.remove();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Podman with its own root and run root; the fixture imported as `image`. Null when absent.
 * On this kind of host (hybrid cgroups) crun refuses to run, so podman uses runc, and its default
 * rlimits exceed the host's hard limits: `runArgs` lowers them.
 */
export function startPodman({ dir, rootfsTar, image }) {
  if (!has('podman')) return null;
  const root = join(dir, 'podman');
  mkdirSync(root, { recursive: true });
  const base = ['--root', join(root, 'storage'), '--runroot', join(root, 'run'), '--cgroup-manager', 'cgroupfs', '--events-backend', 'file', '--runtime', 'runc'];
  const runArgs = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
  const podman = (...args) => execFileSync('podman', [...base, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  podman('import', rootfsTar, image);
  return {
    base,
    runArgs,
    marker: root,
    podman,
    async stop() {
      try {
        podman('rm', '-af');
        podman('system', 'reset', '-f');
      } catch {
        // best effort: the directory goes below anyway
      }
      spawnSync('sh', ['-c', `grep -E ' ${root}' /proc/self/mountinfo | cut -d' ' -f5 | sort -r | xargs -r -n1 umount -l`]);
      spawnSync('sh', ['-c', 'find /sys/fs/cgroup/*/libpod_parent -depth -type d -exec rmdir {} + 2>/dev/null']);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
