// `run --rm IMG true` latency (issue #13 (1)) through the berth CLI, the docker CLI against berth,
// the docker CLI against dockerd and podman; /_ping throughput with 16 concurrent clients (3); idle
// daemon memory (4). Every engine has its own root and socket and the same busybox fixture.
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBerthd, rssMiB } from '../daemons.mjs';
import { installPeers, startDockerd, startPodman } from '../peers.mjs';
import { alternate, median, runnableSubjects } from '../stats.mjs';
import { buildRootfsTar } from '../../fixtures/busybox.mjs';

const IMAGE = 'berth-bench/busybox';
const DOCKER = '/usr/local/bin/docker';

function runOk(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
}

/** Requests per second of GET `path` over a unix socket with `clients` concurrent keep-alive clients. */
async function throughput(socketPath, path, { clients = 16, seconds = 3 } = {}) {
  const { Agent } = await import('node:http');
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  let count = 0;
  const until = Date.now() + seconds * 1000;
  const one = () =>
    new Promise((resolve, reject) => {
      const req = request({ socketPath, path, agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end();
    });
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        await one();
        count++;
      }
    }),
  );
  agent.destroy();
  return count / seconds;
}

export async function run({ repo, runs, withPeers }) {
  if (withPeers) installPeers();
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-run-'));
  const rootfsTar = await buildRootfsTar();
  const engines = [];
  const skipped = [];
  try {
    const berthd = await startBerthd({ repo, dir });
    engines.push(berthd);
    runOk(DOCKER, ['-H', berthd.host, 'import', rootfsTar, IMAGE]);
    const dockerd = await startDockerd({ dir, rootfsTar, image: IMAGE }).catch((e) => {
      skipped.push(`dockerd (${e.message.split('\n')[0]})`);
      return null;
    });
    if (dockerd) engines.push(dockerd);
    else if (!skipped.length) skipped.push('dockerd (not installed; use --with-peers)');
    const podman = startPodman({ dir, rootfsTar, image: IMAGE });
    if (podman) engines.push(podman);
    else skipped.push('podman (not installed; use --with-peers)');

    const berthCli = join(repo, 'packages/cli/bin/berth.js');
    const subjects = [
      { name: 'berth CLI → berth', berth: true, run: async () => runOk(process.execPath, [berthCli, '-H', berthd.host, 'run', '--rm', '--net', 'none', IMAGE, 'true']) },
      { name: 'docker CLI → berth', run: async () => runOk(DOCKER, ['-H', berthd.host, 'run', '--rm', '--net', 'none', IMAGE, 'true']) },
    ];
    if (dockerd) subjects.push({ name: 'docker CLI → dockerd', run: async () => runOk(DOCKER, ['-H', dockerd.host, 'run', '--rm', '--net', 'none', IMAGE, 'true']) });
    if (podman) subjects.push({ name: 'podman', run: async () => runOk('podman', [...podman.base, 'run', '--rm', '--net', 'none', ...podman.runArgs, IMAGE, 'true']) });
    const runnable = await runnableSubjects(subjects, skipped);
    const times = await alternate(runnable, { runs: Math.min(runs, 20) });

    const sock = (host) => host.replace(/^unix:\/\//, '');
    const pings = [{ subject: 'berth', value: await throughput(sock(berthd.host), '/_ping'), berth: true }];
    if (dockerd) pings.push({ subject: 'dockerd', value: await throughput(sock(dockerd.host), '/_ping') });
    const memory = [{ subject: 'berth daemon', value: rssMiB([berthd.pid]), berth: true }];
    if (dockerd) memory.push({ subject: 'dockerd + containerd', value: rssMiB([dockerd.pid]) });

    return {
      skipped,
      figures: [
        {
          title: '`run --rm --net none IMG true`, end to end through a CLI',
          unit: 'ms',
          note: 'From the CLI process start to its exit, the container created, run, waited for and removed.',
          rows: runnable.map((s) => ({ subject: s.name, value: median(times.get(s.name)), runs: times.get(s.name).length, berth: s.berth })),
        },
        { title: 'GET /_ping, 16 concurrent keep-alive clients', unit: 'req/s', note: 'Higher is better.', rows: pings },
        { title: 'Idle daemon memory (RSS, with its helper processes)', unit: 'MiB', rows: memory },
      ],
    };
  } catch (e) {
    return { skipped: [...skipped, `run --rm figures (${e.message.split('\n')[0]})`], figures: [] };
  } finally {
    for (const e of engines.reverse()) await e.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
