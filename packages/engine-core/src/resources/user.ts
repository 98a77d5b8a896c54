import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidParameterError } from '@berth/api-types';
import { resolveUser, type User } from '@berth/libcontainer';

/** The gids of `--group-add` names or numbers, looked up in the rootfs's /etc/group. */
function additionalGroups(rootfs: string, groups: readonly string[]): number[] {
  let lines: string[] = [];
  try {
    lines = readFileSync(join(rootfs, 'etc/group'), 'utf8').split('\n');
  } catch {
    // no group file: only numbers resolve
  }
  return groups.map((g) => {
    const entry = lines.map((l) => l.split(':')).find((f) => f.length >= 3 && (f[0] === g || f[2] === g));
    if (entry) return Number(entry[2]);
    if (/^\d+$/.test(g)) return Number(g);
    throw new InvalidParameterError(`Unable to find group ${g}: no matching entries in group file`);
  });
}

/**
 * The process user: `-u user[:group]` as libcontainer resolves it from the image's /etc/passwd
 * and /etc/group, plus the `--group-add` groups.
 */
export function containerUser(rootfs: string, user: string, groupAdd: readonly string[]): string | User | undefined {
  if (groupAdd.length === 0) return user || undefined;
  let base: User;
  try {
    base = resolveUser(rootfs, user);
  } catch (e) {
    throw new InvalidParameterError((e as Error).message);
  }
  const extra = additionalGroups(rootfs, groupAdd);
  return { ...base, additionalGids: [...new Set([...(base.additionalGids ?? []), ...extra])] };
}
