// The build context: a tar (plain, gzip, bzip2 or xz) unpacked into a private directory on the
// daemon side, and a directory packed into a tar (minus .dockerignore'd paths) on the client side.
import { spawn } from 'node:child_process';
import { createReadStream, lstatSync, mkdirSync, readdirSync, readlinkSync, rmSync, writeFileSync, symlinkSync, linkSync, lchownSync, chmodSync, lutimesSync } from 'node:fs';
import { posix, join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';
import { IgnoreMatcher } from './ignore.js';

type Compression = 'none' | 'gzip' | 'bzip2' | 'xz';

/** The compression of a stream's first bytes (Docker's DetectCompression). */
export function detectCompression(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  return 'none';
}

/** Whether the bytes start a tar archive (`ustar` magic at 257) or a compressed stream. */
export function looksLikeArchive(head: Buffer): boolean {
  return detectCompression(head) !== 'none' || head.subarray(257, 262).toString('latin1') === 'ustar';
}

/** Reads up to n bytes of a stream and gives back a stream with all of it. */
export async function peek(source: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const it = source[Symbol.asyncIterator]();
  while (size < n) {
    const r = (await it.next()) as IteratorResult<Buffer>;
    if (r.done) break;
    const c = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    chunks.push(c);
    size += c.length;
  }
  const head = Buffer.concat(chunks);
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (;;) {
      const r = (await it.next()) as IteratorResult<Buffer>;
      if (r.done) return;
      yield r.value;
    }
  }
  return { head, stream: Readable.from(all()) };
}

/** The stream decompressed according to its first bytes. */
export async function decompressed(source: Readable): Promise<Readable> {
  const { head, stream } = await peek(source, 512);
  const kind = detectCompression(head);
  if (kind === 'none') return stream;
  if (kind === 'gzip') return stream.pipe(createGunzip());
  const child = spawn(kind === 'bzip2' ? 'bzip2' : 'xz', ['-dc'], { stdio: ['pipe', 'pipe', 'ignore'] });
  stream.pipe(child.stdin);
  child.stdin.on('error', () => {});
  return child.stdout;
}

/** `dir/name` for an archive entry name; refuses names that leave dir. */
function entryPath(dir: string, name: string): string | undefined {
  const rel = posix.normalize(name.replace(/^\/+/, ''));
  if (rel === '..' || rel.startsWith('../')) throw new Error(`archive entry ${JSON.stringify(name)} is outside of the build context`);
  const clean = rel.replace(/\/+$/, '');
  return clean === '.' || clean === '' ? undefined : join(dir, clean);
}

/** Whether any directory between dir and path (exclusive) is a symlink. */
function throughSymlink(dir: string, path: string): boolean {
  const parts = path.slice(dir.length + 1).split('/').slice(0, -1);
  let p = dir;
  for (const part of parts) {
    p = join(p, part);
    const st = lstatSync(p, { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) return true;
  }
  return false;
}

/**
 * Unpacks a (possibly compressed) context tar into dir, keeping modes, owners and mtimes;
 * `hostIds` gives the owner as the host stores it (under `--userns-remap`, shifted).
 */
export async function extractContext(source: Readable, dir: string, hostIds: (ids: { uid: number; gid: number }) => { uid: number; gid: number } = (ids) => ids): Promise<void> {
  const extract = tar.extract();
  (await decompressed(source)).pipe(extract);
  const dirTimes: Array<[string, Date]> = [];
  for await (const entry of extract) {
    const h = entry.header;
    const path = entryPath(dir, h.name);
    if (path === undefined || throughSymlink(dir, path)) {
      entry.resume();
      continue;
    }
    mkdirSync(posix.dirname(path), { recursive: true });
    const existing = lstatSync(path, { throwIfNoEntry: false });
    if (existing && !(existing.isDirectory() && h.type === 'directory')) rmSync(path, { recursive: true, force: true });
    const mode = (h.mode ?? 0o644) & 0o7777;
    if (h.type === 'directory') {
      mkdirSync(path, { recursive: true });
      entry.resume();
      dirTimes.push([path, h.mtime ?? new Date(0)]);
    } else if (h.type === 'symlink') {
      symlinkSync(h.linkname ?? '', path);
      entry.resume();
    } else if (h.type === 'link') {
      const target = entryPath(dir, h.linkname ?? '');
      if (target) linkSync(target, path);
      entry.resume();
    } else if (h.type === 'file' || h.type === 'contiguous-file') {
      const chunks: Buffer[] = [];
      for await (const c of entry) chunks.push(c as Buffer);
      writeFileSync(path, Buffer.concat(chunks));
    } else {
      entry.resume();
      continue;
    }
    const owner = hostIds({ uid: h.uid ?? 0, gid: h.gid ?? 0 });
    lchownSync(path, owner.uid, owner.gid);
    if (h.type !== 'symlink') chmodSync(path, mode);
    lutimesSync(path, h.mtime ?? new Date(0), h.mtime ?? new Date(0));
  }
  for (const [path, mtime] of dirTimes.reverse()) lutimesSync(path, mtime, mtime);
}

export interface PackOptions {
  /** .dockerignore patterns. */
  excludes?: readonly string[];
  /** Paths (relative) sent even when excluded: the Dockerfile and .dockerignore, as the docker CLI does. */
  keep?: readonly string[];
}

/** The relative paths under dir a context tar holds, parents before children, sorted. */
export function contextPaths(dir: string, opts: PackOptions = {}): string[] {
  const matcher = new IgnoreMatcher(opts.excludes ?? []);
  const keep = new Set(opts.keep ?? []);
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(rel === '' ? dir : join(dir, rel)).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const excluded = matcher.excludes(path) && !keep.has(path);
      const st = lstatSync(join(dir, path));
      if (!excluded) out.push(path);
      // An excluded directory is still walked when an exception may bring back something inside.
      if (st.isDirectory() && (!excluded || matcher.hasExceptions)) walk(path);
    }
  };
  walk('');
  return out;
}

/** Packs dir into a tar stream (what `docker build DIR` sends). */
export function packContext(dir: string, opts: PackOptions = {}): Readable {
  const pack = tar.pack();
  const out = new PassThrough();
  pack.pipe(out);
  (async () => {
    for (const rel of contextPaths(dir, opts)) {
      const full = join(dir, rel);
      const st = lstatSync(full);
      const base = { name: rel, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: st.mtime };
      if (st.isDirectory()) pack.entry({ ...base, type: 'directory' });
      else if (st.isSymbolicLink()) pack.entry({ ...base, type: 'symlink', linkname: readlinkSync(full) });
      else if (st.isFile()) {
        await new Promise<void>((resolve, reject) => {
          const e = pack.entry({ ...base, type: 'file', size: st.size }, (err) => (err ? reject(err) : resolve()));
          createReadStream(full).on('error', reject).pipe(e);
        });
      }
    }
    pack.finalize();
  })().catch((e: unknown) => out.destroy(e as Error));
  return out;
}

/** A context tar holding only a Dockerfile (`docker build - < Dockerfile`). */
export function dockerfileOnlyContext(content: Buffer, name = 'Dockerfile'): Readable {
  const pack = tar.pack();
  pack.entry({ name, mode: 0o600, size: content.length, mtime: new Date() }, content);
  pack.finalize();
  return pack as unknown as Readable;
}
