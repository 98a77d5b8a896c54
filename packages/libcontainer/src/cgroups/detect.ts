import { readFileSync } from 'node:fs';

export interface CgroupHost {
  /** 1 when the controllers are on v1 hierarchies (hybrid hosts included), 2 on a unified host. */
  version: 1 | 2;
  /** v1: controller → mount point (cpu and cpuacct may share one). */
  controllers: Map<string, string>;
  /** The cgroup2 mount point. */
  unified: string | undefined;
}

/** The v1 controllers berth places containers in. */
export const V1_CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'cpuset', 'blkio', 'pids', 'freezer', 'devices'] as const;

let cached: CgroupHost | undefined;

/** Reads /proc/self/mountinfo once: which cgroup hierarchies this host has. */
export function cgroupHost(): CgroupHost {
  if (cached) return cached;
  const controllers = new Map<string, string>();
  let unified: string | undefined;
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const mountPoint = left.split(' ')[4];
    const [fstype, , superOpts = ''] = right.split(' ');
    if (!mountPoint) continue;
    if (fstype === 'cgroup2') unified ??= mountPoint;
    if (fstype !== 'cgroup') continue;
    for (const opt of superOpts.split(',')) {
      if ((V1_CONTROLLERS as readonly string[]).includes(opt) && !controllers.has(opt)) controllers.set(opt, mountPoint);
    }
  }
  cached = { version: controllers.size > 0 ? 1 : 2, controllers, unified };
  return cached;
}
