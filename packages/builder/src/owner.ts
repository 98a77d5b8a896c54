// `--chown=user:group` by name or number, names looked up in the rootfs's /etc/passwd and /etc/group.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError, type Owner } from './copy.js';

function lookup(rootfs: string, file: string, name: string, field: number): number | undefined {
  try {
    for (const line of readFileSync(join(rootfs, file), 'utf8').split('\n')) {
      const f = line.split(':');
      if (f[0] === name && f[field] !== undefined) return Number(f[field]);
    }
  } catch {
    // no such file: names cannot be resolved
  }
  return undefined;
}

/** The uid and gid of a `--chown` value (a user alone also gives the group: its primary one, else the same number). */
export function resolveOwner(rootfs: string, spec: string): Owner {
  const [user = '', group] = spec.split(':');
  const uid = /^\d+$/.test(user) ? Number(user) : lookup(rootfs, 'etc/passwd', user, 2);
  if (uid === undefined) throw new BuildError(`unable to convert uid/gid chown string to host mapping: can't find uid for user ${user}: no such user: ${user}`);
  let gid: number | undefined;
  if (group === undefined) gid = /^\d+$/.test(user) ? uid : lookup(rootfs, 'etc/passwd', user, 3);
  else gid = /^\d+$/.test(group) ? Number(group) : lookup(rootfs, 'etc/group', group, 2);
  if (gid === undefined) throw new BuildError(`unable to convert uid/gid chown string to host mapping: can't find gid for group ${group}: no such group: ${group}`);
  return { uid, gid };
}
