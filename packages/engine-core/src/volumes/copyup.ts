import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';
import { SystemError } from '@berth/api-types';

/**
 * `path` resolved inside `root` as if root were `/`: symlinks (absolute or `..`) never lead out
 * of it. Undefined when a component is missing.
 */
export function resolveInRoot(root: string, path: string): string | undefined {
  const todo = posix.normalize(path).split('/').filter((c) => c !== '');
  const done: string[] = [];
  let links = 0;
  while (todo.length > 0) {
    const c = todo.shift() as string;
    if (c === '.') continue;
    if (c === '..') {
      done.pop();
      continue;
    }
    const host = join(root, ...done, c);
    let st;
    try {
      st = lstatSync(host);
    } catch {
      return undefined;
    }
    if (!st.isSymbolicLink()) {
      done.push(c);
      continue;
    }
    if (++links > 40) return undefined;
    const target = readlinkSync(host);
    if (target.startsWith('/')) done.length = 0;
    todo.unshift(...target.split('/').filter((t) => t !== ''));
  }
  return join(root, ...done);
}

/**
 * Docker's copy-up: what the image has at `destination` fills an empty volume (contents, and
 * the directory's owner and mode), on the volume's first use.
 */
export function copyImageContent(rootfs: string, destination: string, volumeData: string): boolean {
  const src = resolveInRoot(rootfs, destination);
  if (!src || !lstatSync(src).isDirectory()) return false;
  if (readdirSync(volumeData).length > 0) return false;
  try {
    execFileSync('cp', ['-a', '--', `${src}/.`, `${volumeData}/`], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new SystemError(`copying image content to volume: ${(e as { stderr?: Buffer }).stderr?.toString().trim() || (e as Error).message}`);
  }
  return true;
}
