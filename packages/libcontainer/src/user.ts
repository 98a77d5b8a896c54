import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { User } from './spec.js';

/** A line of /etc/passwd (id: uid, gid: its group) or /etc/group (id and gid: the gid). */
export interface IdEntry {
  name: string;
  id: number;
  gid: number;
  members: string[];
}

/** The entries of a passwd or group file; none when it cannot be read. */
export function readIdEntries(file: string, kind: 'passwd' | 'group'): IdEntry[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const entries: IdEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 4 || !f[0] || line.startsWith('#')) continue;
    const id = Number(f[2]);
    if (kind === 'passwd') entries.push({ name: f[0], id, gid: Number(f[3]), members: [] });
    else entries.push({ name: f[0], id, gid: id, members: (f[3] ?? '').split(',').filter(Boolean) });
  }
  return entries;
}

const isNumeric = (s: string): boolean => /^\d+$/.test(s);

/**
 * Resolves Docker's `-u` forms (`name`, `uid`, `name:group`, `uid:gid`) against the rootfs's
 * /etc/passwd and /etc/group, with the user's supplementary groups, as Docker does.
 */
export function resolveUser(rootfs: string, spec: string | User | undefined): User {
  if (spec !== undefined && typeof spec !== 'string') return spec;
  const [userPart = '', groupPart] = (spec ?? '').split(':', 2);
  const users = readIdEntries(join(rootfs, 'etc/passwd'), 'passwd');
  const groups = readIdEntries(join(rootfs, 'etc/group'), 'group');
  let uid = 0;
  let gid = 0;
  let name: string | undefined = 'root';
  if (userPart !== '') {
    const found = users.find((u) => (isNumeric(userPart) ? u.id === Number(userPart) : u.name === userPart));
    if (found) {
      uid = found.id;
      gid = found.gid;
      name = found.name;
    } else if (isNumeric(userPart)) {
      uid = Number(userPart);
      name = undefined;
    } else {
      throw new Error(`unable to find user ${userPart}: no matching entries in passwd file`);
    }
  } else {
    const root = users.find((u) => u.id === 0);
    if (root) gid = root.gid;
  }
  if (groupPart !== undefined && groupPart !== '') {
    const found = groups.find((g) => (isNumeric(groupPart) ? g.id === Number(groupPart) : g.name === groupPart));
    if (found) gid = found.id;
    else if (isNumeric(groupPart)) gid = Number(groupPart);
    else throw new Error(`unable to find group ${groupPart}: no matching entries in group file`);
  }
  const additionalGids = name === undefined ? [] : groups.filter((g) => g.members.includes(name)).map((g) => g.id);
  return { uid, gid, additionalGids };
}
