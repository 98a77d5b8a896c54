import { readFileSync } from 'node:fs';

export interface CgroupHost {
  /**
   * The hierarchy containers are placed in: 1 when the controllers are on v1 hierarchies (hybrid
   * hosts included), 2 on a unified host; `useCgroupVersion` may choose 2 on a hybrid host.
   */
  version: 1 | 2;
  /** v1: controller → mount point (cpu and cpuacct may share one). */
  controllers: Map<string, string>;
  /** The cgroup2 mount point. */
  unified: string | undefined;
}

/** The v1 controllers berth places containers in. */
export const V1_CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'cpuset', 'blkio', 'pids', 'freezer', 'devices', 'hugetlb'] as const;

let detected: CgroupHost | undefined;
let chosen: 1 | 2 | undefined;

/** Reads /proc/self/mountinfo once: which cgroup hierarchies this host has. */
function detect(): CgroupHost {
  if (detected) return detected;
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
  detected = { version: controllers.size > 0 ? 1 : 2, controllers, unified };
  return detected;
}

/** The host's cgroup hierarchies, with the version containers go in by default. */
export function cgroupHost(): CgroupHost {
  const host = detect();
  return chosen ? { ...host, version: chosen } : host;
}

/** Checks that this host has the hierarchy of `version`, throwing a message that says which is missing. */
export function checkCgroupVersion(version: 1 | 2): void {
  const host = detect();
  if (version === 2 && !host.unified) throw new Error('cgroup v2 is not mounted on this host (no cgroup2 filesystem in /proc/self/mountinfo)');
  if (version === 1 && host.controllers.size === 0) throw new Error('cgroup v1 is not mounted on this host (no cgroup controller hierarchies in /proc/self/mountinfo)');
}

/**
 * Places this process's new containers in the v1 hierarchies or the v2 one (`berth daemon
 * --cgroup-version`). A hybrid host has both: v2 there is the unified hierarchy, with only the
 * controllers v1 does not hold.
 */
export function useCgroupVersion(version: 1 | 2): void {
  checkCgroupVersion(version);
  chosen = version;
}

/** Every hierarchy's mount point (v1 controllers and cgroup2), for cleanups that must miss none. */
export function cgroupMounts(): string[] {
  const host = detect();
  return [...new Set([...host.controllers.values(), ...(host.unified ? [host.unified] : [])])];
}
