import type { Device, DeviceRule, Mount } from './spec.js';

/** Docker's default mounts, in order (moby's oci/defaults.go). */
export const DEFAULT_MOUNTS: readonly Mount[] = [
  { type: 'proc', source: 'proc', destination: '/proc', options: ['nosuid', 'noexec', 'nodev'] },
  { type: 'tmpfs', source: 'tmpfs', destination: '/dev', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
  { type: 'devpts', source: 'devpts', destination: '/dev/pts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
  { type: 'sysfs', source: 'sysfs', destination: '/sys', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
  { type: 'cgroup', source: 'cgroup', destination: '/sys/fs/cgroup', options: ['ro', 'nosuid', 'noexec', 'nodev'] },
  { type: 'mqueue', source: 'mqueue', destination: '/dev/mqueue', options: ['nosuid', 'noexec', 'nodev'] },
  { type: 'tmpfs', source: 'shm', destination: '/dev/shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
];

/** The device nodes every container gets. */
export const DEFAULT_DEVICES: readonly Device[] = [
  { path: '/dev/null', type: 'c', major: 1, minor: 3 },
  { path: '/dev/zero', type: 'c', major: 1, minor: 5 },
  { path: '/dev/full', type: 'c', major: 1, minor: 7 },
  { path: '/dev/random', type: 'c', major: 1, minor: 8 },
  { path: '/dev/urandom', type: 'c', major: 1, minor: 9 },
  { path: '/dev/tty', type: 'c', major: 5, minor: 0 },
];

/** The /dev symlinks runc makes. */
export const DEFAULT_SYMLINKS: readonly (readonly [target: string, path: string])[] = [
  ['/proc/self/fd', '/dev/fd'],
  ['/proc/self/fd/0', '/dev/stdin'],
  ['/proc/self/fd/1', '/dev/stdout'],
  ['/proc/self/fd/2', '/dev/stderr'],
  ['pts/ptmx', '/dev/ptmx'],
  ['/proc/kcore', '/dev/core'],
];

/** Docker's device cgroup: deny all, then allow these (mknod of anything, the default nodes, ptys, tun, fuse). */
export const DEFAULT_DEVICE_RULES: readonly DeviceRule[] = [
  { allow: false, type: 'a', major: '*', minor: '*', access: 'rwm' },
  { allow: true, type: 'c', major: '*', minor: '*', access: 'm' },
  { allow: true, type: 'b', major: '*', minor: '*', access: 'm' },
  { allow: true, type: 'c', major: 1, minor: 3, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 5, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 7, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 8, access: 'rwm' },
  { allow: true, type: 'c', major: 1, minor: 9, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 0, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 1, access: 'rwm' },
  { allow: true, type: 'c', major: 5, minor: 2, access: 'rwm' },
  { allow: true, type: 'c', major: 136, minor: '*', access: 'rwm' },
  { allow: true, type: 'c', major: 10, minor: 200, access: 'rwm' },
  { allow: true, type: 'c', major: 10, minor: 229, access: 'rwm' },
];

export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound', '/proc/acpi', '/proc/interrupts', '/proc/kcore', '/proc/keys', '/proc/latency_stats',
  '/proc/timer_list', '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware',
  '/sys/devices/virtual/powercap',
];

export const DEFAULT_READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

export const DEFAULT_PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
