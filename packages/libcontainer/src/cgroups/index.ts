import { join } from 'node:path';
import type { Cgroup } from './cgroup.js';
import { cgroupHost, cgroupMounts, checkCgroupVersion } from './detect.js';
import { removeDir } from './files.js';
import { CgroupV1 } from './v1.js';
import { CgroupV2 } from './v2.js';

export type { BlkioEntry, Cgroup, CgroupStats, CpuStats, MemoryStats } from './cgroup.js';
export { cgroupHost, cgroupMounts, useCgroupVersion, type CgroupHost } from './detect.js';

/** The cgroup at `path` (relative to each hierarchy's root, e.g. `berth/<id>`), in `version`'s hierarchy (default the host's). */
export function openCgroup(path: string, version: 1 | 2 = cgroupHost().version): Cgroup {
  checkCgroupVersion(version);
  if (version === 1) return new CgroupV1(path);
  return new CgroupV2(cgroupHost().unified as string, path);
}

/** Removes a cgroup parent (e.g. `berth`) in every hierarchy, v1 and v2, with anything left below it. */
export async function removeCgroupTree(path: string): Promise<void> {
  for (const mount of cgroupMounts()) await removeDir(join(mount, path));
}
