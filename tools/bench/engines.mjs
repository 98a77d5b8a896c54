// The engines a suite compares: berth's daemon, and dockerd and podman when installed (or
// installed with --with-peers), each on a root of its own, each given the busybox fixture as IMAGE.
import { spawnSync } from 'node:child_process';
import { buildRootfsTar } from '../fixtures/busybox.mjs';
import { startBerthd } from './daemons.mjs';
import { installPeers, startDockerd, startPodman } from './peers.mjs';

export const IMAGE = 'berth-bench/busybox';
export const DOCKER = '/usr/local/bin/docker';

/** Returns { berthd, dockerd?, podman?, skipped: string[], stop() }; `podman: false` leaves it out. */
export async function startEngines({ repo, dir, withPeers, podman: wantPodman = true }) {
  if (withPeers) installPeers();
  const rootfsTar = await buildRootfsTar();
  const skipped = [];
  const berthd = await startBerthd({ repo, dir, netns: `berth-bench-berthd-${process.pid}` });
  const engines = { berthd, skipped };
  const started = [berthd];
  const stop = async () => {
    for (const e of started.reverse()) await e.stop().catch(() => {});
  };
  try {
    const r = spawnSync(DOCKER, ['-H', berthd.host, 'import', rootfsTar, IMAGE], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`import into berth: ${r.stderr}`);
    engines.dockerd = await startDockerd({ dir, rootfsTar, image: IMAGE }).catch((e) => {
      skipped.push(`dockerd (${e.message.split('\n')[0]})`);
      return null;
    });
    if (engines.dockerd) started.push(engines.dockerd);
    else if (!skipped.length) skipped.push('dockerd (not installed; use --with-peers)');
    if (wantPodman) {
      engines.podman = startPodman({ dir, rootfsTar, image: IMAGE });
      if (engines.podman) started.push(engines.podman);
      else skipped.push('podman (not installed; use --with-peers)');
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { ...engines, stop };
}
