import { chmodSync, constants, copyFileSync, lchownSync, linkSync, lutimesSync, mkdirSync, readlinkSync, symlinkSync } from 'node:fs';
import { posix } from 'node:path';
import { getXattr, listXattrs, mknod, setXattr } from '@berth/libcontainer';
import { devMajor, devMinor } from './pack.js';
import { walk } from './walk.js';

/** Copies a tree keeping owners, modes, times, xattrs, devices and hard links (vfs layers). */
export function copyTree(src: string, dst: string): void {
  const links = new Map<string, string>();
  const dirs: Array<[string, Date]> = [];
  for (const { rel, stat } of walk(src)) {
    const from = posix.join(src, rel);
    const to = posix.join(dst, rel);
    if (stat.isFile() && stat.nlink > 1) {
      const key = `${stat.dev}:${stat.ino}`;
      const first = links.get(key);
      if (first !== undefined) {
        linkSync(first, to);
        continue;
      }
      links.set(key, to);
    }
    if (stat.isDirectory()) mkdirSync(to, { mode: 0o700 });
    else if (stat.isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else if (stat.isFile()) copyFileSync(from, to);
    else mknod(to, stat.mode & (constants.S_IFMT | 0o7777), devMajor(stat.rdev), devMinor(stat.rdev));
    lchownSync(to, stat.uid, stat.gid);
    for (const name of listXattrs(from)) {
      const value = getXattr(from, name);
      if (value !== null) setXattr(to, name, value);
    }
    if (!stat.isSymbolicLink()) chmodSync(to, stat.mode & 0o7777);
    if (stat.isDirectory()) dirs.push([to, stat.mtime]);
    else lutimesSync(to, stat.atime, stat.mtime);
  }
  for (const [dir, mtime] of dirs.reverse()) lutimesSync(dir, mtime, mtime);
}
