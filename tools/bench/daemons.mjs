// Starts a berth daemon for the benchmarks on its own root, exec root and socket: without a
// bridge (the host's network is left alone), or with `netns` in a network namespace of its own
// where its bridge, veths and iptables rules live and die.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export async function startBerthd({ repo, dir, netns = false }) {
  const root = join(dir, 'berthd');
  mkdirSync(root, { recursive: true });
  const sock = join(root, 'berth.sock');
  const host = `unix://${sock}`;
  const log = join(root, 'daemon.log');
  const bin = join(repo, 'packages/cli/bin/berth.js');
  const ns = netns ? `berth-bench-net-${process.pid}` : null;
  if (ns) spawnSync('ip', ['netns', 'add', ns]);
  const prefix = ns ? `nsenter --net=/run/netns/${ns} -- ` : '';
  const bridge = ns ? '' : ' --bridge=none';
  const child = spawn('sh', ['-c', `exec ${prefix}"${process.execPath}" "${bin}" daemon -H ${host} -g ${root}/root --exec-root ${root}/run${bridge} >${log} 2>&1`], { stdio: 'ignore' });
  const until = Date.now() + 30000;
  while (!(existsSync(sock) && spawnSync('/usr/local/bin/docker', ['-H', host, 'version']).status === 0)) {
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      if (ns) spawnSync('ip', ['netns', 'delete', ns]);
      throw new Error(`berth daemon did not start: ${existsSync(log) ? readFileSync(log, 'utf8').slice(-1000) : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    host,
    netns: ns,
    pid: child.pid,
    async stop() {
      spawnSync('/usr/local/bin/docker', ['-H', host, 'rm', '-f', ...spawnSync('/usr/local/bin/docker', ['-H', host, 'ps', '-aq'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)]);
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      spawnSync('sh', ['-c', `grep -E ' ${root}' /proc/self/mountinfo | cut -d' ' -f5 | sort -r | xargs -r -n1 umount -l`]);
      rmSync(root, { recursive: true, force: true });
      if (ns) spawnSync('ip', ['netns', 'delete', ns]);
    },
  };
}

/** Resident memory in MiB of the given processes and all their descendants. */
export function rssMiB(pids) {
  const ps = spawnSync('ps', ['-e', '-o', 'pid=,ppid=,rss='], { encoding: 'utf8' }).stdout.trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const children = new Map();
  for (const [pid, ppid] of ps) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(ps.map(([pid, , kb]) => [pid, kb]));
  let total = 0;
  const seen = new Set();
  const walk = (pid) => {
    if (seen.has(pid)) return;
    seen.add(pid);
    total += rss.get(pid) ?? 0;
    for (const c of children.get(pid) ?? []) walk(c);
  };
  pids.forEach(walk);
  return total / 1024;
}
