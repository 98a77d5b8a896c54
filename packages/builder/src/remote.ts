// A context given as `remote=`: a git repository (`URL#ref:subdir`), a tarball URL, or a URL of a
// plain Dockerfile, fetched into the build's directory.
import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { extractContext, looksLikeArchive } from './context.js';
import { BuildError } from './copy.js';
import { scopedPath } from './scoped.js';

const run = promisify(execFile);

/** Docker's IsGitURL (plus `file://….git` for local repositories). */
export function isGitUrl(url: string): boolean {
  if (/^(git:\/\/|git@|github\.com\/)/.test(url)) return true;
  return /^(https?|file):\/\/[^#]*\.git(#.*)?$/.test(url);
}

/** Clones `url#ref:subdir` into dir and returns the context directory (dir or its subdir). */
export async function gitContext(url: string, dir: string): Promise<string> {
  const hash = url.indexOf('#');
  const repo = hash < 0 ? url : url.slice(0, hash);
  const [ref = '', subdir = ''] = (hash < 0 ? '' : url.slice(hash + 1)).split(':');
  try {
    await run('git', ['clone', '--quiet', '--recurse-submodules', repo, dir]);
    if (ref) await run('git', ['-C', dir, 'checkout', '--quiet', ref]);
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? (e as Error).message;
    throw new BuildError(`unable to prepare context: unable to 'git clone' to temporary context directory: error fetching: ${stderr.trim()}`);
  }
  if (!subdir) return dir;
  const full = scopedPath(dir, subdir);
  if (!lstatSync(full, { throwIfNoEntry: false })?.isDirectory()) {
    throw new BuildError(`unable to prepare context: error checking context: '${subdir}' is not a directory`);
  }
  return full;
}

/** Fetches a remote context into dir; returns the context directory. */
export async function remoteContext(url: string, dir: string, dockerfileName: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  if (isGitUrl(url)) return gitContext(url, join(dir, 'git'));
  let body: Buffer;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    body = Buffer.from(await res.arrayBuffer());
  } catch (e) {
    throw new BuildError(`unable to prepare context: unable to download remote context ${url}: ${(e as Error).message}`);
  }
  if (looksLikeArchive(body)) await extractContext(Readable.from([body]), dir);
  else writeFileSync(join(dir, dockerfileName), body);
  return dir;
}
