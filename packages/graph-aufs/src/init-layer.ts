import { existsSync, lchownSync, symlinkSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { secureJoin } from './archive/securejoin.js';
import { lstatOrNull } from './archive/walk.js';
import { mkdirAllOwned, type IdPair } from './idmap.js';

// Docker's setupInitLayer: empty mount targets for what the engine bind-mounts or mounts later.
const DIRS = ['/dev/pts', '/dev/shm', '/proc', '/sys'];
const FILES = ['/.dockerenv', '/etc/resolv.conf', '/etc/hosts', '/etc/hostname', '/dev/console'];
const LINKS: Array<[string, string]> = [['/etc/mtab', '/proc/mounts']];

/**
 * Fills a container's init layer (mounted at `rootfs`), leaving alone what the image has; what
 * it makes belongs to `owner`, the container's root (the remapped one under `--userns-remap`).
 */
export function setupInitLayer(rootfs: string, owner: IdPair = { uid: 0, gid: 0 }): void {
  for (const d of DIRS) mkdirAllOwned(secureJoin(rootfs, d, true), 0o755, owner);
  for (const f of FILES) {
    const p = secureJoin(rootfs, f, true);
    if (existsSync(p)) continue;
    mkdirAllOwned(posix.dirname(p), 0o755, owner);
    writeFileSync(p, '', { mode: 0o755 });
    lchownSync(p, owner.uid, owner.gid);
  }
  for (const [link, target] of LINKS) {
    const p = secureJoin(rootfs, link, false);
    if (lstatOrNull(p) !== null) continue;
    mkdirAllOwned(posix.dirname(p), 0o755, owner);
    symlinkSync(target, p);
    lchownSync(p, owner.uid, owner.gid);
  }
}
