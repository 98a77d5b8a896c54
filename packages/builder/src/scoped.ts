// Paths inside a root (a build context, a container's rootfs): symlinks are followed as if the
// root were `/`, so no link can lead out of it (what Docker's symlink.FollowSymlinkInScope does).
import { lstatSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';

const MAX_LINKS = 255;

/** `root` + `path` with every symlink on the way resolved inside root (the last one too unless `keepLast`). */
export function scopedPath(root: string, path: string, keepLast = false): string {
  const pending = posix.normalize(`/${path}`).split('/').filter((p) => p !== '');
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const full = join(root, ...resolved, part);
    const st = lstatSync(full, { throwIfNoEntry: false });
    if (st?.isSymbolicLink() && !(keepLast && pending.length === 0)) {
      if (++links > MAX_LINKS) throw new Error(`too many links in ${path}`);
      const target = readlinkSync(full);
      if (target.startsWith('/')) resolved.length = 0;
      pending.unshift(...target.split('/').filter((p) => p !== ''));
      continue;
    }
    resolved.push(part);
  }
  return join(root, ...resolved);
}

/** Whether a pattern has shell wildcards (`*`, `?`, `[`). */
export const hasWildcards = (s: string): boolean => /[*?[]/.test(s);

/** Go's path.Match as a regular expression: `*` and `?` never match `/`. */
export function globRegExp(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new Error('syntax error in pattern');
      let cls = pattern.slice(i + 1, end);
      if (cls.startsWith('^')) cls = `!${cls.slice(1)}`;
      re += `[${cls.startsWith('!') ? `^${cls.slice(1)}` : cls}]`;
      i = end;
    } else if (ch === '\\' && i + 1 < pattern.length) re += `\\${pattern[++i]}`;
    else re += /[.+()|{}$^\]]/.test(ch) ? `\\${ch}` : ch;
  }
  return new RegExp(`${re}$`, 's');
}
