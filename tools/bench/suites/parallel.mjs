// 50 containers started at once, then removed at once (issue #13 (2)): the total time, through
// the Engine API of berth and of dockerd (the same requests, no CLI start-up in the figure).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pool, removeForce, runDetached, socketOf } from '../api.mjs';
import { IMAGE, startEngines } from '../engines.mjs';
import { alternate, medianRows } from '../stats.mjs';

const COUNT = 50;

async function startAndRemove(sock) {
  const ids = await pool(COUNT, COUNT, () => runDetached(sock, IMAGE, ['sleep', '3600']));
  await pool(ids.length, COUNT, (i) => removeForce(sock, ids[i]));
}

export async function run({ repo, runs, withPeers }) {
  const dir = mkdtempSync(join(tmpdir(), 'berth-bench-parallel-'));
  let engines;
  try {
    engines = await startEngines({ repo, dir, withPeers, podman: false });
    const subjects = [{ name: 'berth', berth: true, run: () => startAndRemove(socketOf(engines.berthd.host)) }];
    if (engines.dockerd) subjects.push({ name: 'dockerd', run: () => startAndRemove(socketOf(engines.dockerd.host)) });
    const times = await alternate(subjects, { runs: Math.min(runs, 5), warmup: 1 });
    const rows = medianRows(subjects, times);
    return {
      skipped: engines.skipped,
      figures: [
        {
          title: `${COUNT} containers started in parallel, then removed`,
          unit: 'ms',
          note: `Create + start of ${COUNT} \`sleep\` containers (--net none) with all requests in flight at once, then force-removal of all of them at once, through the Engine API. Rate = ${COUNT} / time; target: berth at least 2× dockerd's rate, i.e. at most 0.5× its time.`,
          rows,
        },
      ],
    };
  } catch (e) {
    return { skipped: [...(engines?.skipped ?? []), `parallel starts (${e.message.split('\n')[0]})`], figures: [] };
  } finally {
    await engines?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
