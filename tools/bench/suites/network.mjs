// Network setup time per container (issue #8): the engine's setup and release of one
// container's network, timed inside the engine (net-setup.mjs), and `run --rm IMG true` end to
// end by network mode. Everything runs in network namespaces of its own, so the bridge, veths
// and rules never touch the host's network.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBerthd } from '../daemons.mjs';
import { alternate, median, medianRows } from '../stats.mjs';
import { buildRootfsTar } from '../../fixtures/busybox.mjs';

const IMAGE = 'berth-bench/busybox';
const DOCKER = '/usr/local/bin/docker';

/** The engine's own setup and release times, from net-setup.mjs in a network namespace made for it. */
function setupFigures(repo, runs) {
  const ns = `berth-bench-setup-${process.pid}`;
  spawnSync('ip', ['netns', 'add', ns]);
  try {
    const r = spawnSync('nsenter', [`--net=/run/netns/${ns}`, '--', process.execPath, join(repo, 'tools/bench/net-setup.mjs'), repo, String(runs)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`net-setup: ${r.stderr}`);
    const data = JSON.parse(r.stdout);
    const rows = (key) => Object.entries(data).map(([subject, t]) => ({ subject, value: median(t[key]), runs: t[key].length, berth: true }));
    return [
      { title: 'Network setup per container, in the engine', unit: 'ms', note: 'Address, published ports (proxy and iptables rules), veth pair into the container namespace, its address and default route.', rows: rows('setup') },
      { title: 'Network release per container, in the engine', unit: 'ms', note: 'Address, veth, proxy and rules released.', rows: rows('release') },
    ];
  } finally {
    spawnSync('ip', ['netns', 'delete', ns]);
  }
}

function runOk(args) {
  const r = spawnSync(DOCKER, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
}

export async function run({ repo, runs }) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-net-'));
  let berthd;
  try {
    berthd = await startBerthd({ repo, dir, netns: true });
    const h = ['-H', berthd.host];
    runOk([...h, 'import', await buildRootfsTar(), IMAGE]);
    runOk([...h, 'network', 'create', 'benchnet']);
    let port = 20000;
    const subjects = [
      { name: '--net none (no network)', run: async () => runOk([...h, 'run', '--rm', '--net', 'none', IMAGE, 'true']) },
      { name: 'default bridge', berth: true, run: async () => runOk([...h, 'run', '--rm', IMAGE, 'true']) },
      { name: 'default bridge, -p HOST:80', berth: true, run: async () => runOk([...h, 'run', '--rm', '-p', `${port++}:80`, IMAGE, 'true']) },
      { name: 'user-defined network', berth: true, run: async () => runOk([...h, 'run', '--rm', '--network', 'benchnet', IMAGE, 'true']) },
    ];
    for (const s of subjects) await s.run();
    const times = await alternate(subjects, { runs: Math.min(runs, 15) });
    return {
      skipped: [],
      figures: [
        {
          title: '`docker run --rm IMG true` against berth, by network',
          unit: 'ms',
          note: 'From the CLI process start to its exit. The daemon runs in a network namespace of its own.',
          rows: medianRows(subjects, times),
        },
        ...setupFigures(repo, Math.min(runs, 30)),
      ],
    };
  } catch (e) {
    return { skipped: [`network figures (${e.message.split('\n')[0]})`], figures: [] };
  } finally {
    await berthd?.stop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
}
