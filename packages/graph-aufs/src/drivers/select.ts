import { existsSync, readdirSync, statfsSync } from 'node:fs';
import { posix } from 'node:path';
import { AufsDriver } from './aufs.js';
import type { IdMapping } from '../idmap.js';
import type { Driver } from './driver.js';
import { kernelFilesystems } from './mounts.js';
import { Overlay2Driver } from './overlay2.js';
import { VfsDriver } from './vfs.js';

export type DriverName = 'overlay2' | 'aufs' | 'vfs';
const PRIORITY: DriverName[] = ['overlay2', 'aufs', 'vfs'];
const OVERLAYFS_MAGIC = 0x794c7630;

function construct(name: string, root: string, idMap: IdMapping | undefined): Driver {
  const home = posix.join(root, name);
  switch (name) {
    case 'overlay2':
      return new Overlay2Driver(home, idMap);
    case 'aufs':
      return new AufsDriver(home, idMap);
    case 'vfs':
      return new VfsDriver(home, idMap);
    default:
      throw new Error(`graphdriver: driver not supported: ${name}`);
  }
}

function usedBefore(root: string): DriverName[] {
  return PRIORITY.filter((n) => {
    const home = posix.join(root, n);
    return existsSync(home) && readdirSync(home).length > 0;
  });
}

function available(name: DriverName, root: string): boolean {
  const fss = kernelFilesystems();
  // overlayfs cannot take its upper layers from another overlay mount.
  if (name === 'overlay2') return fss.includes('overlay') && statfsSync(root).type !== OVERLAYFS_MAGIC;
  if (name === 'aufs') return fss.includes('aufs');
  return true;
}

/**
 * Docker's choice: the explicit name; else the driver this root used before (an error if it used
 * several); else the best the kernel and filesystem support.
 */
export function selectDriver(root: string, explicit?: string, idMap?: IdMapping): Driver {
  if (explicit) return construct(explicit, root, idMap);
  const prior = usedBefore(root);
  if (prior.length > 1) {
    throw new Error(`${root} contains several valid graphdrivers: ${prior.join(', ')}; Please cleanup or explicitly choose storage driver (-s <DRIVER>)`);
  }
  if (prior.length === 1) return construct(prior[0] as DriverName, root, idMap);
  const best = PRIORITY.find((n) => available(n, root)) ?? 'vfs';
  return construct(best, root, idMap);
}
