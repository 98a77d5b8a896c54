// Starts a berth daemon for the benchmarks on its own root, exec root and socket: without a
// bridge (the host's network is left alone), or with `netns` in a network namespace of its own
// where its bridge, veths and iptables rules live and die.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createNetns } from './netns.mjs';

/**
 * `netns`: run the daemon in a network namespace (true for a name of its own, or that name;
 * created here, removed by stop()), so its bridge and iptables rules stay out of the host's.
 * Without one the daemon runs with --bridge=none and touches no network.
 */
export async function startBerthd({ repo, dir, netns }) {
  const root = join(dir, 'berthd');
  mkdirSync(root, { recursive: true });
  const sock = join(root, 'berth.sock');
  const host = `unix://${sock}`;
  const log = join(root, 'daemon.log');
  const bin = join(repo, 'packages/cli/bin/berth.js');
  const ns = netns ? createNetns(netns === true ? `berth-bench-net-${process.pid}` : netns) : undefined;
  const bridge = ns ? '' : ' --bridge=none';
  const shell = `exec ${ns ? ns.wrap([]).join(' ') + ' ' : ''}"${process.execPath}" "${bin}" daemon -H ${host} -g ${root}/root --exec-root ${root}/run${bridge} >${log} 2>&1`;
  const child = spawn('sh', ['-c', shell], { stdio: 'ignore' });
  const until = Date.now() + 30000;
  while (!(existsSync(sock) && spawnSync('/usr/local/bin/docker', ['-H', host, 'version']).status === 0)) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      ns?.remove();
      throw new Error(`berth daemon did not start: ${existsSync(log) ? readFileSync(log, 'utf8').slice(-1000) : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    netns: ns?.name,
    pid: child.pid,
    /** A string in the command line of the daemon and of each of its helper processes. */
    marker: root,
    async stop() {
      spawnSync('/usr/local/bin/docker', ['-H', host, 'rm', '-f', ...spawnSync('/usr/local/bin/docker', ['-H', host, 'ps', '-aq'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)]);
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      spawnSync('sh', ['-c', `grep -E ' ${root}' /proc/self/mountinfo | cut -d' ' -f5 | sort -r | xargs -r -n1 umount -l`]);
      ns?.remove();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * Resident memory in MiB and count of the processes whose command line contains `marker` (an
 * engine's own root): its daemon and helpers (containerd, shims, monitors, conmon), which are not
 * all its descendants, and not the containers' own processes.
 */
export function helperRss(marker) {
  let kb = 0;
  let count = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)) continue;
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!m) continue;
      kb += Number(m[1]);
      count++;
    } catch {
      // the process exited meanwhile
    }
  }
  return { mib: kb / 1024, count };
}
