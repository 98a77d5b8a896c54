import { join } from 'node:path';
import type { Cgroup } from './cgroup.js';
import { cgroupHost } from './detect.js';
import { removeDir } from './files.js';
import { CgroupV1 } from './v1.js';
import { CgroupV2 } from './v2.js';

export type { BlkioEntry, Cgroup, CgroupStats, CpuStats, MemoryStats } from './cgroup.js';
export { cgroupHost, type CgroupHost } from './detect.js';

/** The cgroup at `path` (relative to each hierarchy's root, e.g. `berth/<id>`), v1 or v2 as the host has. */
export function openCgroup(path: string): Cgroup {
  const host = cgroupHost();
  if (host.version === 1) return new CgroupV1(path);
  if (!host.unified) throw new Error('no cgroup filesystem mounted');
  return new CgroupV2(host.unified, path);
}

/** Removes a cgroup parent (e.g. `berth`) in every hierarchy, with anything left below it. */
export async function removeCgroupTree(path: string): Promise<void> {
  const host = cgroupHost();
  const mounts = host.version === 1 ? new Set(host.controllers.values()) : new Set(host.unified ? [host.unified] : []);
  for (const mount of mounts) await removeDir(join(mount, path));
}
