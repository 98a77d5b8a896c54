import { addon } from './native.js';

/** mount(2) flags (linux/mount.h). */
export const MS = {
  RDONLY: 0x1,
  NOSUID: 0x2,
  NODEV: 0x4,
  NOEXEC: 0x8,
  REMOUNT: 0x20,
  NOATIME: 0x400,
  BIND: 0x1000,
  MOVE: 0x2000,
  REC: 0x4000,
  SILENT: 0x8000,
  UNBINDABLE: 0x20000,
  PRIVATE: 0x40000,
  SLAVE: 0x80000,
  SHARED: 0x100000,
  RELATIME: 0x200000,
  STRICTATIME: 0x1000000,
} as const;

/** umount2(2) flags. */
export const MNT = { FORCE: 0x1, DETACH: 0x2, EXPIRE: 0x4 } as const;

export interface MountOptions {
  source?: string | null;
  fstype?: string | null;
  flags?: number;
  data?: string | null;
}

/** mount(2). Errors carry `code` (e.g. 'EBUSY'), `errno` and `syscall` like Node's fs errors. */
export function mount(target: string, options: MountOptions = {}): void {
  addon().mount(options.source ?? null, target, options.fstype ?? null, options.flags ?? 0, options.data ?? null);
}

/** umount2(2). */
export function unmount(target: string, flags = 0): void {
  addon().umount(target, flags);
}

/** mknod(2); `mode` includes the file type bits (e.g. fs.constants.S_IFCHR | 0o666). */
export function mknod(path: string, mode: number, major: number, minor: number): void {
  addon().mknod(path, mode, major, minor);
}

/** lgetxattr(2); null when the attribute is absent. */
export function getXattr(path: string, name: string): Buffer | null {
  return addon().lgetxattr(path, name);
}

/** lsetxattr(2). */
export function setXattr(path: string, name: string, value: Buffer | string, flags = 0): void {
  addon().lsetxattr(path, name, typeof value === 'string' ? Buffer.from(value) : value, flags);
}

/** llistxattr(2). */
export function listXattrs(path: string): string[] {
  return addon().llistxattr(path);
}
