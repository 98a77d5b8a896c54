// Memory and API throughput (issue #13 (3), (4)): each engine's RSS idle and with 100 running
// containers, counting every helper process (dockerd + containerd + shims; berth's daemon +
// monitors; podman's conmons), and GET /_ping and GET /containers/json (with those 100) with 16
// concurrent keep-alive clients, the daemons measured alternately.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pool, removeForce, runDetached, socketOf, throughput } from '../api.mjs';
import { helperRss } from '../daemons.mjs';
import { IMAGE, startEngines } from '../engines.mjs';
import { median } from '../stats.mjs';

const COUNT = 100;
const settle = () => new Promise((r) => setTimeout(r, 3000));

/** Requests per second of GET `path` on each daemon: the median of `runs`, daemons alternated. */
async function rates(daemons, path, runs) {
  const samples = daemons.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, d] of daemons.entries()) samples[j].push(await throughput(d.sock, path));
  }
  return daemons.map((d, j) => ({ subject: d.name, berth: d.berth, value: median(samples[j]), runs }));
}

export async function run({ repo, runs, withPeers }) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-density-'));
  let engines;
  try {
    engines = await startEngines({ repo, dir, withPeers });
    const { berthd, dockerd, podman } = engines;
    const daemons = [{ name: 'berth', berth: true, engine: berthd, sock: socketOf(berthd.host) }];
    if (dockerd) daemons.push({ name: 'dockerd', engine: dockerd, sock: socketOf(dockerd.host) });
    const subjects = daemons.map((d) => ({
      ...d,
      marker: d.engine.marker,
      start: () => runDetached(d.sock, IMAGE, ['sleep', '3600']),
      removeAll: (ids) => pool(ids.length, 8, (i) => removeForce(d.sock, ids[i])),
    }));
    if (podman) {
      subjects.push({
        name: 'podman',
        marker: podman.marker,
        start: async () => podman.podman('run', '-d', '--net', 'none', ...podman.runArgs, IMAGE, 'sleep', '3600').trim(),
        removeAll: async (ids) => podman.podman('rm', '-f', '-t', '0', ...ids),
      });
    }
    const n = Math.min(runs, 3);
    await settle();
    for (const s of subjects) s.idle = helperRss(s.marker).mib;
    const ping = await rates(daemons, '/_ping', n);
    for (const s of subjects) s.ids = await pool(COUNT, 8, s.start);
    await settle();
    for (const s of subjects) s.loaded = helperRss(s.marker);
    const json = await rates(daemons, '/containers/json', n);
    for (const s of subjects) await s.removeAll(s.ids);

    const names = { berth: 'berth daemon + monitors', dockerd: 'dockerd + containerd + shims', podman: 'podman (no daemon; a conmon per container)' };
    return {
      skipped: engines.skipped,
      figures: [
        { title: 'Idle daemon memory (RSS, with its helper processes)', unit: 'MiB', note: 'Target: berth no more than dockerd + containerd.', rows: subjects.map((s) => ({ subject: names[s.name], value: s.idle, berth: s.berth })) },
        {
          title: `Memory with ${COUNT} running containers (RSS of the engine's processes)`,
          unit: 'MiB',
          note: "Every process whose command line names the engine's root: daemon, containerd, shims, monitors, conmon; not the containers' own processes.",
          rows: subjects.map((s) => ({ subject: `${names[s.name]} (${s.loaded.count} processes)`, value: s.loaded.mib, berth: s.berth })),
        },
        {
          title: 'Memory overhead per running container',
          unit: 'MiB',
          note: `(RSS with ${COUNT} containers − idle RSS) / ${COUNT}. Target: berth at most a fifth of dockerd's.`,
          rows: subjects.map((s) => ({ subject: names[s.name], value: (s.loaded.mib - s.idle) / COUNT, berth: s.berth })),
        },
        { title: `GET /containers/json with ${COUNT} containers, 16 concurrent keep-alive clients`, unit: 'req/s', note: 'Higher is better. 3 s per run after 1 s of warm-up.', rows: json },
        { title: 'GET /_ping, 16 concurrent keep-alive clients', unit: 'req/s', note: 'Higher is better. 3 s per run after 1 s of warm-up.', rows: ping },
      ],
    };
  } catch (e) {
    return { skipped: [...(engines?.skipped ?? []), `memory and API figures (${e.message.split('\n')[0]})`], figures: [] };
  } finally {
    await engines?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
