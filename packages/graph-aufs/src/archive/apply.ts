import { constants, createWriteStream, existsSync, lchownSync, linkSync, lutimesSync, mkdirSync, readdirSync, rmSync, symlinkSync, chmodSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mknod, setXattr } from '@berth/libcontainer';
import { mkdirAllOwned, pairToHost, rootPair, type IdMapping } from '../idmap.js';
import { secureJoin } from './securejoin.js';
import { SMALL_FILE } from './tar-format.js';
import { readTar } from './tar-reader.js';
import { lstatOrNull } from './walk.js';
import { OVERLAY_OPAQUE_XATTR, WH_META_PREFIX, WH_OPAQUE, WH_PREFIX, type WhiteoutFormat } from './whiteout.js';

/** Thrown for an entry that would write outside the target directory (Docker's breakout error). */
export class BreakoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BreakoutError';
  }
}

/** Thrown when `noOverwriteDirNonDir` forbids an entry to replace a directory by a file or the reverse. */
export class OverwriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OverwriteError';
  }
}

export interface ApplyOptions {
  /** `docker cp`'s rule: an entry may not replace a directory with a non-directory, nor the reverse. */
  noOverwriteDirNonDir?: boolean;
  /** `--userns-remap`: entries' owners shifted into the ranges, new parents owned by the remapped root. */
  idMap?: IdMapping;
}

/** Cleans a tar entry name to a path relative to the target; throws if `..` leaves it. */
function relativeName(name: string, dest: string): string {
  const rel = posix.normalize(name.replace(/^\/+/, ''));
  if (rel === '..' || rel.startsWith('../')) throw new BreakoutError(`${JSON.stringify(name)} is outside of ${JSON.stringify(dest)}`);
  return rel === '.' ? '' : rel.replace(/\/+$/, '');
}

async function collect(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c);
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}

interface Pending {
  path: string;
  mtime: Date;
}

/**
 * Unpacks a layer tar into `dest`, never writing outside it: `..` entries are refused, absolute
 * names are taken relative to dest, parent directories resolve symlinks inside dest, and links
 * leaving dest are refused. Owners, modes, mtimes, xattrs, devices and hard links are kept.
 * Whiteouts are applied according to `whiteouts`. Returns the bytes of file content written.
 */
export async function applyTar(source: Readable, dest: string, whiteouts: WhiteoutFormat, options: ApplyOptions = {}): Promise<number> {
  const unpacked = new Set<string>();
  const dirTimes: Pending[] = [];
  let size = 0;
  try {
    for await (const { header: h, body } of readTar(source)) {
      // Old tars mark directories only by a trailing slash (Go's reader does the same).
      if ((h.type === 'file' || h.type === 'contiguous-file') && h.name.endsWith('/')) h.type = 'directory';
      const rel = relativeName(h.name, dest);
      if (rel === '') continue;
      const base = posix.basename(rel);
      const parentRel = posix.dirname(rel);
      const parent = secureJoin(dest, parentRel === '.' ? '' : parentRel, true);
      if (whiteouts !== 'aufs' && base.startsWith(WH_PREFIX)) {
        applyWhiteout(parent, base, whiteouts, unpacked, parentRel === '.' ? '' : parentRel);
        continue;
      }
      if (options.idMap) mkdirAllOwned(parent, 0o755, rootPair(options.idMap));
      else mkdirSync(parent, { recursive: true, mode: 0o755 });
      const path = posix.join(parent, base);
      const existing = lstatOrNull(path);
      if (options.noOverwriteDirNonDir && existing && existing.isDirectory() !== (h.type === 'directory')) {
        throw new OverwriteError(
          existing.isDirectory()
            ? `cannot overwrite directory ${JSON.stringify(rel)} with non-directory ${JSON.stringify(h.name)}`
            : `cannot overwrite non-directory ${JSON.stringify(rel)} with directory ${JSON.stringify(h.name)}`,
        );
      }
      if (existing && !(existing.isDirectory() && h.type === 'directory')) rmSync(path, { recursive: true, force: true });
      unpacked.add(rel);
      switch (h.type) {
        case 'file':
        case 'contiguous-file':
          if (h.size <= SMALL_FILE) writeFileSync(path, await collect(body), { mode: 0o600 });
          else await pipeline(body, createWriteStream(path, { mode: 0o600 }));
          size += h.size;
          break;
        case 'directory':
          if (!existing) mkdirSync(path, { mode: 0o700 });
          break;
        case 'symlink': {
          const link = h.linkname;
          // Like Docker: the link, read relative to its directory, must stay inside dest.
          const inside = posix.normalize(posix.join(parentRel, link));
          if (inside === '..' || inside.startsWith('../')) {
            throw new BreakoutError(`invalid symlink ${JSON.stringify(posix.join(dest, rel))} -> ${JSON.stringify(link)}`);
          }
          symlinkSync(link, path);
          break;
        }
        case 'link': {
          const link = h.linkname;
          const target = posix.normalize(link.replace(/^\/+/, ''));
          if (target === '..' || target.startsWith('../')) {
            throw new BreakoutError(`invalid hardlink ${JSON.stringify(posix.join(dest, rel))} -> ${JSON.stringify(link)}`);
          }
          linkSync(secureJoin(dest, target, false), path);
          continue; // a hard link shares its target's inode: owner, mode and times are the target's
        }
        case 'character-device':
        case 'block-device':
        case 'fifo': {
          const type = h.type === 'fifo' ? constants.S_IFIFO : h.type === 'block-device' ? constants.S_IFBLK : constants.S_IFCHR;
          mknod(path, type | (h.mode & 0o7777), h.devmajor, h.devminor);
          break;
        }
        default:
          // Unknown types (GNU sparse and volume headers...) carry nothing to write, as in Docker.
          unpacked.delete(rel);
          continue;
      }
      const owner = pairToHost({ uid: h.uid, gid: h.gid }, options.idMap);
      lchownSync(path, owner.uid, owner.gid);
      for (const [name, value] of h.xattrs) setXattr(path, name, value);
      const mtime = h.mtime;
      if (h.type === 'symlink') {
        lutimesSync(path, mtime, mtime);
        continue;
      }
      chmodSync(path, h.mode & 0o7777);
      if (h.type === 'directory') dirTimes.push({ path, mtime });
      else lutimesSync(path, mtime, mtime);
    }
  } catch (err) {
    source.destroy();
    throw err;
  }
  // Directory times last: creating their children changed them.
  for (const d of dirTimes.reverse()) lutimesSync(d.path, d.mtime, d.mtime);
  return size;
}

function applyWhiteout(parent: string, base: string, format: WhiteoutFormat, unpacked: Set<string>, parentRel: string): void {
  if (base === WH_OPAQUE) {
    if (format === 'overlay') {
      mkdirSync(parent, { recursive: true, mode: 0o755 });
      setXattr(parent, OVERLAY_OPAQUE_XATTR, 'y');
      return;
    }
    // Keep only what this layer unpacked into the directory so far.
    if (!existsSync(parent)) return;
    for (const name of readdirSync(parent)) {
      if (!unpacked.has(posix.join(parentRel, name))) rmSync(posix.join(parent, name), { recursive: true, force: true });
    }
    return;
  }
  if (base.startsWith(WH_META_PREFIX)) return; // aufs bookkeeping (.wh..wh.plnk and the like)
  const victim = posix.join(parent, base.slice(WH_PREFIX.length));
  rmSync(victim, { recursive: true, force: true });
  if (format === 'overlay') {
    mkdirSync(parent, { recursive: true, mode: 0o755 });
    mknod(victim, constants.S_IFCHR, 0, 0);
  }
}
