// What ADD and COPY do to a rootfs: sources (context paths with wildcards, another image's files,
// URLs for ADD) copied to a destination by Docker's rules, owned by root or --chown, local
// archives unpacked by ADD.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  lchownSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, posix } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { combinedChecksum, pathChecksum } from './checksum.js';
import { detectCompression, extractContext } from './context.js';
import { globRegExp, hasWildcards, scopedPath } from './scoped.js';

export class BuildError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'BuildError';
  }
}

export interface Owner {
  uid: number;
  gid: number;
}

/** One resolved source: a file or directory on this host and the name it is copied under. */
export interface Source {
  full: string;
  name: string;
  /** ADD of a URL: never unpacked. */
  url?: boolean;
}

/** Every path under root, relative, for wildcard matching. */
function allPaths(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const n of readdirSync(rel === '' ? root : join(root, rel)).sort()) {
      const r = rel === '' ? n : `${rel}/${n}`;
      out.push(r);
      if (lstatSync(join(root, r)).isDirectory()) walk(r);
    }
  };
  walk('');
  return out;
}

/** The local sources of ADD/COPY under root (the context or a stage's rootfs), wildcards expanded. */
export function localSources(cmd: string, root: string, srcs: readonly string[]): Source[] {
  const out: Source[] = [];
  for (const src of srcs) {
    const clean = posix.normalize(src);
    if (clean === '..' || clean.startsWith('../')) throw new BuildError(`${cmd} failed: forbidden path outside the build context: ${src} ()`);
    const rel = posix.normalize(`/${src}`).slice(1);
    if (hasWildcards(rel)) {
      const re = globRegExp(rel);
      const matches = allPaths(root).filter((p) => re.test(p));
      if (matches.length === 0) throw new BuildError(`${cmd} failed: no source files were specified`);
      for (const m of matches) out.push({ full: scopedPath(root, m), name: m });
      continue;
    }
    const full = scopedPath(root, rel);
    if (!lstatSync(full, { throwIfNoEntry: false })) {
      throw new BuildError(`${cmd} failed: file not found in build context or excluded by .dockerignore: stat ${rel || '.'}: file does not exist`);
    }
    out.push({ full, name: rel });
  }
  return out;
}

/** ADD of a URL: the download in dir (mode 0600, mtime from Last-Modified), named after the URL's last segment. */
export async function downloadSource(url: string, dir: string): Promise<Source> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new BuildError(`ADD failed: ${(e as Error).message}`);
  }
  if (!res.ok) throw new BuildError(`ADD failed: failed to GET ${url} with status ${res.status} ${res.statusText}: ${await res.text()}`);
  const name = basename(new URL(url).pathname);
  const full = join(dir, `${Date.now()}-${Math.random().toString(16).slice(2)}`);
  mkdirSync(full, { recursive: true });
  const file = join(full, name || 'download');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()), { mode: 0o600 });
  const modified = res.headers.get('last-modified');
  const mtime = modified ? new Date(modified) : new Date(0);
  utimesSync(file, mtime, mtime);
  return { full: file, name, url: true };
}

export const sourcesChecksum = (sources: readonly Source[]): string =>
  combinedChecksum(sources.map((s) => pathChecksum(s.full, s.url ? '' : basename(s.name))));

/** Copies one file, link or tree to dst (contents of a directory into dst), owned by owner. */
function copyTree(src: string, dst: string, owner: Owner): void {
  const st = lstatSync(src);
  if (st.isDirectory()) {
    const existing = lstatSync(dst, { throwIfNoEntry: false });
    if (existing && !existing.isDirectory()) rmSync(dst, { force: true });
    if (!existing?.isDirectory()) mkdirSync(dst, { mode: st.mode & 0o7777 });
    for (const n of readdirSync(src)) copyTree(join(src, n), join(dst, n), owner);
    lchownSync(dst, owner.uid, owner.gid);
    chmodSync(dst, st.mode & 0o7777);
    utimesSync(dst, st.atime, st.mtime);
    return;
  }
  const existing = lstatSync(dst, { throwIfNoEntry: false });
  if (existing) rmSync(dst, { recursive: true, force: true });
  if (st.isSymbolicLink()) symlinkSync(readlinkSync(src), dst);
  else copyFileSync(src, dst);
  lchownSync(dst, owner.uid, owner.gid);
  if (!st.isSymbolicLink()) chmodSync(dst, st.mode & 0o7777);
  lutimesSync(dst, st.atime, st.mtime);
}

/** mkdir -p inside rootfs, new directories 0755 owned by owner. */
function mkdirScoped(rootfs: string, path: string, owner: Owner): string {
  let rel = '';
  for (const part of path.split('/').filter((p) => p !== '')) {
    rel = `${rel}/${part}`;
    const full = scopedPath(rootfs, rel);
    if (!lstatSync(full, { throwIfNoEntry: false })) {
      mkdirSync(full, { mode: 0o755 });
      lchownSync(full, owner.uid, owner.gid);
    }
  }
  return scopedPath(rootfs, path);
}

/** A tar archive's bytes if the file is one (plain or compressed), as ADD unpacks it. */
function archiveBytes(file: string): Buffer | undefined {
  const data = readFileSync(file);
  let plain: Buffer = data;
  const kind = detectCompression(data);
  try {
    if (kind === 'gzip') plain = gunzipSync(data);
    else if (kind !== 'none') {
      const r = spawnSync(kind === 'bzip2' ? 'bzip2' : 'xz', ['-dc'], { input: data, maxBuffer: 1 << 30 });
      if (r.status !== 0) return undefined;
      plain = r.stdout;
    }
  } catch {
    return undefined;
  }
  return plain.subarray(257, 262).toString('latin1') === 'ustar' ? plain : undefined;
}

export interface CopyOptions {
  cmd: 'ADD' | 'COPY';
  /** The destination, absolute (WORKDIR already applied), trailing `/` kept. */
  dest: string;
  owner: Owner;
  /** The owner of an ADD archive's entry as the host stores it (shifted under `--userns-remap`). */
  hostIds?: (ids: Owner) => Owner;
}

/** Docker's copy rules: a directory's contents into dest, a file to dest or dest/name, archives (ADD) unpacked. */
export async function copyInto(rootfs: string, sources: readonly Source[], o: CopyOptions): Promise<void> {
  const destIsDir = o.dest.endsWith('/');
  if (sources.length > 1 && !destIsDir) {
    throw new BuildError(`When using ${o.cmd} with more than one source file, the destination must be a directory and end with a /`);
  }
  for (const s of sources) {
    const st = lstatSync(s.full);
    if (st.isDirectory()) {
      copyTree(s.full, mkdirScoped(rootfs, o.dest, o.owner), o.owner);
      continue;
    }
    if (o.cmd === 'ADD' && !s.url) {
      const archive = archiveBytes(s.full);
      if (archive) {
        await extractContext(Readable.from([archive]), mkdirScoped(rootfs, o.dest, o.owner), o.hostIds);
        continue;
      }
    }
    const existing = lstatSync(scopedPath(rootfs, o.dest), { throwIfNoEntry: false });
    const target = destIsDir || existing?.isDirectory() ? posix.join(o.dest, basename(s.full)) : o.dest;
    mkdirScoped(rootfs, posix.dirname(target), o.owner);
    copyTree(s.full, scopedPath(rootfs, target, true), o.owner);
  }
}
