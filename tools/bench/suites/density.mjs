// Memory and API throughput (issue #13 (3), (4)): each engine's RSS idle and with 100 running
// containers, counting every helper process (dockerd + containerd + shims; berth's daemon +
// monitors; podman's conmons), and GET /containers/json (with those 100) and GET /_ping with 16
// concurrent keep-alive clients.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pool, removeForce, runDetached, socketOf, throughput } from '../api.mjs';
import { helperRss } from '../daemons.mjs';
import { IMAGE, startEngines } from '../engines.mjs';
import { median } from '../stats.mjs';

const COUNT = 100;
const settle = () => new Promise((r) => setTimeout(r, 3000));

/** Idle and loaded memory of one engine; `start()` runs one container and resolves to its ID. */
async function memory(marker, start) {
  await settle();
  const idle = helperRss(marker).mib;
  const ids = await pool(COUNT, 8, start);
  await settle();
  const loaded = helperRss(marker);
  return { idle, loaded: loaded.mib, processes: loaded.count, ids };
}

export async function run({ repo, runs, withPeers }) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-density-'));
  let engines;
  try {
    engines = await startEngines({ repo, dir, withPeers });
    const { berthd, dockerd, podman } = engines;
    const daemons = [{ name: 'berth', berth: true, engine: berthd }];
    if (dockerd) daemons.push({ name: 'dockerd', engine: dockerd });
    const mem = [];
    const json = [];
    const ping = [];
    const rate = async (sock, path) => {
      const r = [];
      for (let i = 0; i < Math.min(runs, 3); i++) r.push(await throughput(sock, path));
      return median(r);
    };
    for (const d of daemons) {
      const sock = socketOf(d.engine.host);
      ping.push({ subject: d.name, berth: d.berth, value: await rate(sock, '/_ping') });
      const m = await memory(d.engine.marker, () => runDetached(sock, IMAGE, ['sleep', '3600']));
      json.push({ subject: d.name, berth: d.berth, value: await rate(sock, '/containers/json') });
      await pool(m.ids.length, 8, (i) => removeForce(sock, m.ids[i]));
      mem.push({ subject: d.name, berth: d.berth, ...m });
    }
    if (podman) {
      const m = await memory(podman.marker, async () => podman.podman('run', '-d', '--net', 'none', ...podman.runArgs, IMAGE, 'sleep', '3600').trim());
      podman.podman('rm', '-f', '-t', '0', ...m.ids);
      mem.push({ subject: 'podman (no daemon; conmon per container)', ...m });
    }
    const names = { berth: 'berth daemon + monitors', dockerd: 'dockerd + containerd + shims' };
    const label = (m) => names[m.subject] ?? m.subject;
    return {
      skipped: engines.skipped,
      figures: [
        { title: 'Idle daemon memory (RSS, with its helper processes)', unit: 'MiB', note: 'Target: berth no more than dockerd + containerd.', rows: mem.map((m) => ({ subject: label(m), value: m.idle, berth: m.berth })) },
        {
          title: `Memory with ${COUNT} running containers (RSS of the engine's processes)`,
          unit: 'MiB',
          note: 'Every process whose command line names the engine\'s root: daemon, containerd, shims, monitors, conmon; not the containers\' own processes.',
          rows: mem.map((m) => ({ subject: `${label(m)} (${m.processes} processes)`, value: m.loaded, berth: m.berth })),
        },
        {
          title: 'Memory overhead per running container',
          unit: 'MiB',
          note: `(RSS with ${COUNT} containers − idle RSS) / ${COUNT}. Target: berth at most a fifth of dockerd's.`,
          rows: mem.map((m) => ({ subject: label(m), value: (m.loaded - m.idle) / COUNT, berth: m.berth })),
        },
        { title: `GET /containers/json with ${COUNT} containers, 16 concurrent keep-alive clients`, unit: 'req/s', note: 'Higher is better.', rows: json },
        { title: 'GET /_ping, 16 concurrent keep-alive clients', unit: 'req/s', note: 'Higher is better.', rows: ping },
      ],
    };
  } catch (e) {
    return { skipped: [...(engines?.skipped ?? []), `memory and API figures (${e.message.split('\n')[0]})`], figures: [] };
  } finally {
    await engines?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
