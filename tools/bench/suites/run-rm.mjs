// `run --rm IMG true` latency (issue #13 (1)) through the berth CLI, the docker CLI against berth,
// the docker CLI against dockerd and podman, with `--net none` and with the default bridge. The
// daemons run in network namespaces of their own, so their bridges and iptables rules never touch
// the host's; a daemon without a bridge driver gets "n/a" rows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, socketOf } from '../api.mjs';
import { DOCKER, IMAGE, startEngines } from '../engines.mjs';
import { alternate, medianRows, runnableSubjects } from '../stats.mjs';

function runOk(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr}`);
}

const hasBridge = async (host) => ((await api(socketOf(host), 'GET', '/info')).Plugins?.Network ?? []).includes('bridge');

/** The CLI subjects for one network mode: `none`, or undefined for the default (bridge). */
function subjects({ berthd, dockerd, podman }, repo, net) {
  const netArgs = net ? ['--net', net] : [];
  // The command as npm installs it (bin/berth, which starts Node on bin/berth.js).
  const berthCli = join(repo, 'packages/cli/bin/berth');
  const list = [
    { name: 'berth CLI → berth', engine: berthd, berth: true, run: async () => runOk(berthCli, ['-H', berthd.host, 'run', '--rm', ...netArgs, IMAGE, 'true']) },
    { name: 'docker CLI → berth', engine: berthd, run: async () => runOk(DOCKER, ['-H', berthd.host, 'run', '--rm', ...netArgs, IMAGE, 'true']) },
  ];
  if (dockerd) list.push({ name: 'docker CLI → dockerd', engine: dockerd, run: async () => runOk(DOCKER, ['-H', dockerd.host, 'run', '--rm', ...netArgs, IMAGE, 'true']) });
  // podman's bridge would write the host's firewall and CNI state: it runs with --net none only.
  if (podman && net) list.push({ name: 'podman', run: async () => runOk('podman', [...podman.base, 'run', '--rm', ...netArgs, ...podman.runArgs, IMAGE, 'true']) });
  return list;
}

export async function run({ repo, runs, withPeers }) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-run-'));
  let engines;
  const skipped = [];
  try {
    engines = await startEngines({ repo, dir, withPeers });
    skipped.push(...engines.skipped);
    const bridged = new Map();
    for (const e of [engines.berthd, engines.dockerd].filter(Boolean)) bridged.set(e, await hasBridge(e.host));
    const figures = [];
    for (const net of ['none', undefined]) {
      const all = subjects(engines, repo, net);
      // A subject that cannot run here is reported, not allowed to sink the others.
      const why = [];
      const runnable = await runnableSubjects(all.filter((s) => net || !s.engine || bridged.get(s.engine)), why);
      skipped.push(...why.map((w) => `${w}${net ? ' with --net none' : ' on the default bridge'}`));
      const times = await alternate(runnable, { runs: Math.min(runs, 20) });
      figures.push({
        title: `\`run --rm ${net ? '--net none ' : ''}IMG true\`, end to end through a CLI${net ? '' : ' (default bridge)'}`,
        unit: 'ms',
        note: `From the CLI process start to its exit, the container created, run, waited for and removed.${net ? '' : ' "n/a": the daemon has no bridge driver yet.'}`,
        rows: medianRows(all, times),
      });
    }
    return { skipped, figures };
  } catch (e) {
    return { skipped: [...skipped, `run --rm figures (${e.message.split('\n')[0]})`], figures: [] };
  } finally {
    await engines?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
