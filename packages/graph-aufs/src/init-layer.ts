import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { secureJoin } from './archive/securejoin.js';
import { lstatOrNull } from './archive/walk.js';

// Docker's setupInitLayer: empty mount targets for what the engine bind-mounts or mounts later.
const DIRS = ['/dev/pts', '/dev/shm', '/proc', '/sys'];
const FILES = ['/.dockerenv', '/etc/resolv.conf', '/etc/hosts', '/etc/hostname', '/dev/console'];
const LINKS: Array<[string, string]> = [['/etc/mtab', '/proc/mounts']];

/** Fills a container's init layer (mounted at `rootfs`), leaving alone what the image has. */
export function setupInitLayer(rootfs: string): void {
  for (const d of DIRS) {
    const p = secureJoin(rootfs, d, true);
    if (!existsSync(p)) mkdirSync(p, { recursive: true, mode: 0o755 });
  }
  for (const f of FILES) {
    const p = secureJoin(rootfs, f, true);
    if (existsSync(p)) continue;
    mkdirSync(posix.dirname(p), { recursive: true, mode: 0o755 });
    writeFileSync(p, '', { mode: 0o755 });
  }
  for (const [link, target] of LINKS) {
    const p = secureJoin(rootfs, link, false);
    if (lstatOrNull(p) !== null) continue;
    mkdirSync(posix.dirname(p), { recursive: true, mode: 0o755 });
    symlinkSync(target, p);
  }
}
