import { createReadStream, readlinkSync, type Stats } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { once } from 'node:events';
import { getXattr, listXattrs } from '@berth/libcontainer';
import tar from 'tar-stream';

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

/** A header as written: unset fields take tar-stream's defaults. */
export type Head = Partial<tar.Header> & { name: string };

function typeOf(stat: Stats): tar.Header['type'] {
  if (stat.isDirectory()) return 'directory';
  if (stat.isSymbolicLink()) return 'symlink';
  if (stat.isCharacterDevice()) return 'character-device';
  if (stat.isBlockDevice()) return 'block-device';
  if (stat.isFIFO()) return 'fifo';
  return 'file';
}

/** xattrs as PAX records, leaving out overlayfs' own bookkeeping. */
function xattrRecords(path: string): Record<string, string> | undefined {
  let names: string[];
  try {
    names = listXattrs(path);
  } catch {
    return undefined;
  }
  const pax: Record<string, string> = {};
  for (const name of names) {
    if (name.startsWith('trusted.overlay.')) continue;
    const value = getXattr(path, name);
    if (value !== null) pax[`SCHILY.xattr.${name}`] = value.toString('utf8');
  }
  return Object.keys(pax).length > 0 ? pax : undefined;
}

/**
 * Writes items into a tar stream in the order given. Files sharing an inode after the first
 * become hard-link entries to the first one's name.
 */
export function packItems(items: Iterable<PackItem> | AsyncIterable<PackItem>): Readable {
  const pack = tar.pack();
  const out = new PassThrough();
  pack.pipe(out);
  const seen = new Map<string, string>();
  const run = async () => {
    for await (const item of items) {
      if (item.kind === 'whiteout') {
        const mtime = item.mtime ?? new Date(0);
        await entry(pack, { name: item.rel, type: 'file', size: 0, mode: 0o644, uid: 0, gid: 0, mtime });
        continue;
      }
      const { stat, rel, abs } = item;
      const type = typeOf(stat);
      const header: Head = {
        name: type === 'directory' ? `${rel}/` : rel,
        mode: stat.mode & 0o7777,
        uid: stat.uid,
        gid: stat.gid,
        mtime: stat.mtime,
        type,
        size: 0,
      };
      const pax = xattrRecords(abs);
      if (pax) header.pax = pax;
      if (type === 'symlink') header.linkname = readlinkSync(abs);
      if (type === 'character-device' || type === 'block-device') {
        header.devmajor = devMajor(stat.rdev);
        header.devminor = devMinor(stat.rdev);
      }
      if (type === 'file') {
        const key = `${stat.dev}:${stat.ino}`;
        const first = stat.nlink > 1 ? seen.get(key) : undefined;
        if (first !== undefined) {
          header.type = 'link';
          header.linkname = first;
          await entry(pack, header);
          continue;
        }
        if (stat.nlink > 1) seen.set(key, rel);
        header.size = stat.size;
        await fileEntry(pack, header, abs);
        continue;
      }
      await entry(pack, header);
    }
    pack.finalize();
  };
  run().catch((err: unknown) => out.destroy(err as Error));
  return out;
}

export function entry(pack: tar.Pack, header: Head): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry(header as tar.Header, Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
  });
}

async function fileEntry(pack: tar.Pack, header: Head, abs: string): Promise<void> {
  await streamEntry(pack, header, createReadStream(abs));
}

/** Writes one entry whose `size` bytes come from `source`. */
export async function streamEntry(pack: tar.Pack, header: Head, source: AsyncIterable<Buffer>): Promise<void> {
  let done!: (err?: Error | null) => void;
  const finished = new Promise<void>((resolve, reject) => {
    done = (err) => (err ? reject(err) : resolve());
  });
  const sink = pack.entry(header as tar.Header, done);
  for await (const chunk of source) {
    if (!sink.write(chunk)) await once(sink, 'drain');
  }
  (sink as unknown as { end(): void }).end();
  await finished;
}

