import { readFileSync, statfsSync } from 'node:fs';
import { mount, unmount, MNT } from '@berth/libcontainer';

/** Per-layer mount reference counts: the first get mounts, the last put unmounts. */
export class MountCounter {
  private readonly counts = new Map<string, number>();
  acquire(id: string, doMount: () => void): void {
    const n = this.counts.get(id) ?? 0;
    if (n === 0) doMount();
    this.counts.set(id, n + 1);
  }
  release(id: string, doUnmount: () => void): void {
    const n = this.counts.get(id) ?? 0;
    if (n === 0) return;
    if (n === 1) {
      this.counts.delete(id);
      doUnmount();
    } else this.counts.set(id, n - 1);
  }
  active(): string[] {
    return [...this.counts.keys()];
  }
  forget(id: string): void {
    this.counts.delete(id);
  }
}

export function kernelFilesystems(): string[] {
  return readFileSync('/proc/filesystems', 'utf8')
    .split('\n')
    .map((l) => l.split('\t').pop() ?? '')
    .filter((s) => s !== '');
}

/** Mount points under `prefix` from /proc/self/mountinfo (octal escapes decoded). */
export function mountsUnder(prefix: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .map((p) => p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === prefix || p.startsWith(`${prefix}/`));
}

export function isMounted(path: string): boolean {
  return mountsUnder(path).includes(path);
}

export function unmountQuiet(path: string): void {
  try {
    unmount(path, MNT.DETACH);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL' && (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

const PAGE = 4096;

/**
 * Mounts overlayfs. When absolute paths would not fit the one page mount(2) takes, lower paths
 * are given relative to `base` with the process's cwd moved there for the call (synchronous, so
 * nothing else runs meanwhile).
 */
export function mountOverlay(target: string, base: string, lowersRel: string[], upper: string, work: string): void {
  const abs = `lowerdir=${lowersRel.map((l) => `${base}/${l}`).join(':')},upperdir=${upper},workdir=${work}`;
  if (abs.length < PAGE) {
    mount(target, { source: 'overlay', fstype: 'overlay', data: abs });
    return;
  }
  const rel = `lowerdir=${lowersRel.join(':')},upperdir=${upper},workdir=${work}`;
  if (rel.length >= PAGE) throw new Error(`overlay mount options for ${target} exceed a page (${rel.length} bytes)`);
  const cwd = process.cwd();
  process.chdir(base);
  try {
    mount(target, { source: 'overlay', fstype: 'overlay', data: rel });
  } finally {
    process.chdir(cwd);
  }
}

const FS_NAMES: Record<number, string> = {
  0xef53: 'extfs',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x01021994: 'tmpfs',
  0x794c7630: 'overlayfs',
  0x61756673: 'aufs',
  0x6969: 'nfs',
  0x2fc12fc1: 'zfs',
};

/** Docker's name for the filesystem holding `path` ("extfs", "tmpfs", ...). */
export function backingFs(path: string): string {
  const type = statfsSync(path).type;
  return FS_NAMES[type] ?? `<unknown 0x${type.toString(16)}>`;
}
