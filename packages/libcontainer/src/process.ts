import { addon } from './native.js';
import type { NamespaceType } from './spec.js';

const CLONE_NEW: Record<NamespaceType, number> = {
  mount: 0x00020000, uts: 0x04000000, ipc: 0x08000000, pid: 0x20000000, net: 0x40000000, user: 0x10000000, cgroup: 0x02000000,
};

/**
 * setns(2) for the calling thread into the namespace at `path` (e.g. /proc/PID/ns/net). Node is
 * multi-threaded: the kernel refuses mount and user namespaces here, and only this thread moves.
 */
export function setns(path: string, type: NamespaceType): void {
  addon().setns(path, CLONE_NEW[type]);
}

export interface Pty {
  /** fd of the master side (kept by the caller) */
  master: number;
  /** fd of the slave side (given to the child as its stdio, then closed) */
  slave: number;
  /** /dev/pts/N */
  path: string;
}

/** A new pseudo-terminal pair, both fds close-on-exec. */
export function openpty(): Pty {
  return addon().openpty();
}
