import { lstatSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';

const MAX_SYMLINKS = 255;

/**
 * Joins `unsafe` onto `root` the way the path would resolve if `root` were `/`: symlinks met on
 * the way are followed inside root (absolute targets restart at root, `..` stops at root), so the
 * result never leaves root. The last component is not followed when `followLast` is false.
 */
export function secureJoin(root: string, unsafe: string, followLast = false): string {
  const pending = splitPath(unsafe);
  const resolved: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = posix.join(root, ...resolved, part);
    if (pending.length === 0 && !followLast) {
      resolved.push(part);
      break;
    }
    let target: string | null = null;
    try {
      if (lstatSync(candidate).isSymbolicLink()) target = readlinkSync(candidate);
    } catch {
      // A missing component resolves to itself; later components cannot be links either.
    }
    if (target === null) {
      resolved.push(part);
      continue;
    }
    if (++hops > MAX_SYMLINKS) throw Object.assign(new Error(`too many symlinks resolving ${unsafe}`), { code: 'ELOOP' });
    if (target.startsWith('/')) resolved.length = 0;
    pending.unshift(...splitPath(target));
  }
  return posix.join(root, ...resolved);
}

function splitPath(p: string): string[] {
  return p.split('/').filter((s) => s !== '' && s !== '.');
}
