/** The container spec: what Docker 1.7's native driver and today's runc configure. */

export type NamespaceType = 'mount' | 'uts' | 'ipc' | 'pid' | 'net' | 'user' | 'cgroup';

/** Create a new namespace, stay in the host's, or join an existing one (a /proc/PID/ns/TYPE path). */
export type NamespaceSetting = { mode: 'new' } | { mode: 'host' } | { mode: 'join'; path: string };

export interface IdMap {
  containerId: number;
  hostId: number;
  size: number;
}

export type MountType = 'bind' | 'tmpfs' | 'proc' | 'sysfs' | 'devpts' | 'mqueue' | 'cgroup';

export interface Mount {
  type: MountType;
  /** Host path for a bind; ignored by the kernel for the others. */
  source?: string;
  /** Absolute path inside the container. */
  destination: string;
  /** mount(8)-style options: ro, rw, nosuid, nodev, noexec, rbind, private/rprivate/slave/rslave/shared/rshared, and fs data (size=, mode=). */
  options?: string[];
}

export interface Device {
  path: string;
  type: 'c' | 'b' | 'p';
  major: number;
  minor: number;
  fileMode?: number;
  uid?: number;
  gid?: number;
}

/** A device cgroup rule as Docker writes it: `c 1:3 rwm`, `b *:* m`, `a`. */
export interface DeviceRule {
  allow: boolean;
  type: 'a' | 'c' | 'b';
  major: number | '*';
  minor: number | '*';
  access: string;
}

export interface Capabilities {
  bounding: string[];
  effective: string[];
  permitted: string[];
  inheritable: string[];
  ambient: string[];
}

export interface Rlimit {
  /** RLIMIT_NOFILE, or Docker's short name `nofile`. */
  type: string;
  soft: number;
  hard: number;
}

export interface ThrottleDevice {
  major: number;
  minor: number;
  rate: number;
}

export interface Resources {
  memory?: number;
  /** memory + swap, -1 for unlimited swap */
  memorySwap?: number;
  memoryReservation?: number;
  memorySwappiness?: number;
  oomKillDisable?: boolean;
  cpuShares?: number;
  cpuPeriod?: number;
  cpuQuota?: number;
  cpusetCpus?: string;
  cpusetMems?: string;
  blkioWeight?: number;
  blkioReadBps?: ThrottleDevice[];
  blkioWriteBps?: ThrottleDevice[];
  blkioReadIops?: ThrottleDevice[];
  blkioWriteIops?: ThrottleDevice[];
  pidsLimit?: number;
  devices?: DeviceRule[];
  /** Huge page limits per page size (`2MB`, `1GB`): hugetlb.<size>.limit_in_bytes (v1), hugetlb.<size>.max (v2). */
  hugepageLimits?: { pageSize: string; limit: number }[];
  /** cgroup v2 files written as given (runc's `unified`), e.g. `{ 'memory.oom.group': '1' }`; refused on v1. */
  unified?: Record<string, string>;
}

/** A seccomp profile in Docker's JSON format (see seccomp/profile.ts). */
export type { SeccompProfile } from './seccomp/profile.js';
import type { SeccompProfile } from './seccomp/profile.js';

export interface User {
  uid: number;
  gid: number;
  additionalGids?: number[];
}

export interface ContainerSpec {
  /** The root filesystem, already mounted (e.g. an overlay) by the caller. */
  rootfs: string;
  readonlyRootfs?: boolean;
  args: string[];
  env?: string[];
  /** Default `/`. */
  cwd?: string;
  /** `name`, `uid`, `name:group`, `uid:gid` resolved against the rootfs's /etc/passwd and /etc/group, or numbers. */
  user?: string | User;
  hostname?: string;
  domainname?: string;
  /** Unlisted types are new, except user and cgroup which stay the host's. */
  namespaces?: Partial<Record<NamespaceType, NamespaceSetting>>;
  uidMappings?: IdMap[];
  gidMappings?: IdMap[];
  /** Default: Docker's /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys, /sys/fs/cgroup; these are added after them. */
  mounts?: Mount[];
  /** Default: Docker's null, zero, full, random, urandom, tty. */
  devices?: Device[];
  /** Docker's --privileged: every capability the host allows, no masks, no seccomp, all devices allowed. */
  privileged?: boolean;
  maskedPaths?: string[];
  readonlyPaths?: string[];
  /** Default: Docker's 14 in every set but ambient. */
  capabilities?: Capabilities;
  noNewPrivileges?: boolean;
  /** Default: Docker's default profile; 'unconfined' for none. */
  seccomp?: SeccompProfile | 'unconfined';
  rlimits?: Rlimit[];
  oomScoreAdj?: number;
  sysctls?: Record<string, string>;
  resources?: Resources;
  tty?: boolean;
  openStdin?: boolean;
  /** Docker's json-file log; none when absent. */
  log?: { path: string; maxSize?: number; maxFile?: number };
  /** Root propagation inside the container: 'rprivate' (default) or 'rslave'/'rshared'. */
  rootfsPropagation?: 'rprivate' | 'rslave' | 'rshared';
}
