import { createReadStream, readFileSync, readlinkSync, type Stats } from 'node:fs';
import type { Readable } from 'node:stream';
import { getXattr, listXattrs } from '@berth/libcontainer';
import { pairToContainer, type IdMapping } from '../idmap.js';
import { SMALL_FILE, type EntryType } from './tar-format.js';
import { TarWriter, type EntryHeader } from './tar-writer.js';

/** One thing to write into a layer tar. */
export type PackItem =
  | { kind: 'entry'; rel: string; stat: Stats; abs: string }
  | { kind: 'whiteout'; rel: string; mtime?: Date };

/** Linux dev_t split (glibc's gnu_dev_major/minor). */
export function devMajor(rdev: number): number {
  return ((rdev >>> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
}
export function devMinor(rdev: number): number {
  return (rdev & 0xff) | ((rdev >>> 12) & ~0xff);
}

function typeOf(stat: Stats): EntryType {
  if (stat.isDirectory()) return 'directory';
  if (stat.isSymbolicLink()) return 'symlink';
  if (stat.isCharacterDevice()) return 'character-device';
  if (stat.isBlockDevice()) return 'block-device';
  if (stat.isFIFO()) return 'fifo';
  return 'file';
}

/** A file's xattrs with their raw values, leaving out overlayfs' own bookkeeping. */
function xattrsOf(path: string): Array<[string, Buffer]> {
  let names: string[];
  try {
    names = listXattrs(path);
  } catch {
    return [];
  }
  const xattrs: Array<[string, Buffer]> = [];
  for (const name of names) {
    if (name.startsWith('trusted.overlay.')) continue;
    const value = getXattr(path, name);
    if (value !== null) xattrs.push([name, value]);
  }
  return xattrs;
}

/** A file's bytes, the file opened on the first read. */
async function* readLazily(path: string, size: number): AsyncGenerator<Buffer> {
  if (size <= SMALL_FILE) yield readFileSync(path);
  else yield* createReadStream(path) as AsyncIterable<Buffer>;
}

/**
 * Writes items into a tar stream in the order given. Files sharing an inode after the first
 * become hard-link entries to the first one's name. With `idMap` (`--userns-remap`), owners are
 * shifted back to container IDs.
 */
export function packItems(items: Iterable<PackItem> | AsyncIterable<PackItem>, idMap?: IdMapping): Readable {
  const tar = new TarWriter();
  const seen = new Map<string, string>();
  const run = async () => {
    for await (const item of items) {
      if (item.kind === 'whiteout') {
        await tar.add({ name: item.rel, type: 'file', mode: 0o644, mtime: item.mtime ?? new Date(0) });
        continue;
      }
      const { stat, rel, abs } = item;
      const type = typeOf(stat);
      const owner = pairToContainer({ uid: stat.uid, gid: stat.gid }, idMap);
      const header: EntryHeader = {
        name: type === 'directory' ? `${rel}/` : rel,
        mode: stat.mode & 0o7777,
        uid: owner.uid,
        gid: owner.gid,
        mtime: stat.mtime,
        type,
        xattrs: xattrsOf(abs),
      };
      if (type === 'symlink') header.linkname = readlinkSync(abs);
      if (type === 'character-device' || type === 'block-device') {
        header.devmajor = devMajor(stat.rdev);
        header.devminor = devMinor(stat.rdev);
      }
      if (type === 'file') {
        const key = `${stat.dev}:${stat.ino}`;
        const first = stat.nlink > 1 ? seen.get(key) : undefined;
        if (first !== undefined) {
          await tar.add({ ...header, type: 'link', linkname: first });
          continue;
        }
        if (stat.nlink > 1) seen.set(key, rel);
        // Opened only when the writer reads it: a stream left unread (an empty file, a reader gone)
        // would keep its fd, and an open failing after an unmount would have no listener.
        await tar.add({ ...header, size: stat.size }, readLazily(abs, stat.size));
        continue;
      }
      await tar.add(header);
    }
    await tar.finish();
  };
  run().catch((err: unknown) => tar.fail(err as Error));
  return tar.stream;
}
