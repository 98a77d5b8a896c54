import { execFileSync } from 'node:child_process';
import type { IdMapping } from '@berth/graph-aufs';
import { readIdEntries, type IdEntry } from '@berth/libcontainer';
import { ensureSubIdRange, idMapOf, readSubIds } from './subids.js';

/** The files `--userns-remap` reads: the host's, unless a test points elsewhere. */
export interface UsernsFiles {
  passwd: string;
  group: string;
  subuid: string;
  subgid: string;
}

export const HOST_USERNS_FILES: UsernsFiles = { passwd: '/etc/passwd', group: '/etc/group', subuid: '/etc/subuid', subgid: '/etc/subgid' };

/**
 * The files from the environment: `BERTH_SUBUID_FILE` and `BERTH_SUBGID_FILE` replace
 * /etc/subuid and /etc/subgid (so tests never touch the host's).
 */
export function usernsFilesFromEnv(env: NodeJS.ProcessEnv): UsernsFiles {
  return { ...HOST_USERNS_FILES, subuid: env['BERTH_SUBUID_FILE'] || HOST_USERNS_FILES.subuid, subgid: env['BERTH_SUBGID_FILE'] || HOST_USERNS_FILES.subgid };
}

/** `--userns-remap=default` makes and uses this user and group. */
export const DEFAULT_REMAP_USER = 'dockremap';

export interface RemapOptions {
  files: UsernsFiles;
  /** Creates the `dockremap` user and group on the host; default `useradd -r` (and `groupadd -r`). */
  addUser?: (name: string) => void;
  log?: (line: string) => void;
}

/** The daemon's remapping: whose ranges, and the ID map they give. */
export interface RemappedRoot {
  /** `user:group`, as Docker rewrites the setting. */
  setting: string;
  mapping: IdMapping;
}

const NO_PASSWD = 'no matching entries in passwd file';
const NO_GROUP = 'no matching entries in group file';
const isId = (s: string): boolean => /^\d+$/.test(s) && Number(s) <= 0x7fffffff;

function addHostUser(name: string): void {
  const run = (cmd: string, args: string[]) => {
    try {
      execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const out = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? '';
      throw new Error(`Error adding user "${name}": ${out || (e as Error).message}`);
    }
  };
  run('useradd', ['-r', '-s', '/bin/false', name]);
  if (!readIdEntries(HOST_USERNS_FILES.group, 'group').some((g) => g.name === name)) run('groupadd', ['-r', name]);
}

/** Docker's parseRemappedRoot: `default`, `user`, `user:group`, `uid`, `uid:gid` → user and group names. */
function parseRemappedRoot(spec: string, opts: RemapOptions): { user: string; group: string } {
  const { files } = opts;
  const parts = spec.split(':');
  if (parts.length > 2) throw new Error(`Invalid user/group specification in --userns-remap: "${spec}"`);
  const [userPart = '', groupPart] = parts;
  const users = readIdEntries(files.passwd, 'passwd');
  const groups = readIdEntries(files.group, 'group');
  const groupByName = (name: string): IdEntry | undefined => groups.find((g) => g.name === name);
  let user: string;
  let group = '';
  if (isId(userPart)) {
    const u = users.find((e) => e.id === Number(userPart));
    if (!u) throw new Error(`Uid ${userPart} has no entry in /etc/passwd: ${NO_PASSWD}`);
    user = u.name;
    if (groupPart === undefined) {
      const g = groups.find((e) => e.id === Number(userPart));
      if (!g) throw new Error(`Gid ${userPart} has no entry in /etc/group: ${NO_GROUP}`);
      group = g.name;
    }
  } else {
    const name = userPart === 'default' ? DEFAULT_REMAP_USER : userPart;
    const u = users.find((e) => e.name === name);
    if (!u && userPart !== 'default') throw new Error(`Error during uid lookup for "${name}": ${NO_PASSWD}`);
    if (!u) {
      // idtools.AddNamespaceRangesUser: the system user, then fresh subordinate ranges for it
      try {
        (opts.addUser ?? addHostUser)(DEFAULT_REMAP_USER);
        ensureSubIdRange(files.subuid, DEFAULT_REMAP_USER);
        ensureSubIdRange(files.subgid, DEFAULT_REMAP_USER);
      } catch (e) {
        throw new Error(`Error during "${DEFAULT_REMAP_USER}" user creation: ${(e as Error).message}`);
      }
      return { user: DEFAULT_REMAP_USER, group: DEFAULT_REMAP_USER };
    }
    user = u.name;
    if (groupPart === undefined) {
      if (!groupByName(name)) throw new Error(`Error during gid lookup for "${name}": ${NO_GROUP}`);
      group = name;
    }
  }
  if (groupPart !== undefined) {
    if (isId(groupPart)) {
      const g = groups.find((e) => e.id === Number(groupPart));
      if (!g) throw new Error(`Gid ${groupPart} has no entry in /etc/passwd: ${NO_GROUP}`);
      group = g.name;
    } else {
      if (!groupByName(groupPart)) throw new Error(`Error during groupname lookup for "${groupPart}": ${NO_GROUP}`);
      group = groupPart;
    }
  }
  return { user, group };
}

/** The ranges of `user` (by name or uid) in one subordinate ID file; Docker's error when there are none. */
function rangesOf(path: string, user: IdEntry): IdMapping['uids'] {
  const maps = idMapOf(readSubIds(path), [user.name, String(user.id)]);
  if (maps.length === 0) throw new Error(`no subuid ranges found for user "${user.name}"`);
  return maps;
}

/**
 * Docker's setupRemappedRoot: the user and group of `--userns-remap`, and the ID map from the
 * user's ranges in the subuid and subgid files. Undefined when remapping is off (`""`, or root,
 * which cannot be remapped onto itself). Errors carry dockerd's text.
 */
export function setupRemappedRoot(spec: string, opts: RemapOptions): RemappedRoot | undefined {
  if (spec === '') return undefined;
  const { user, group } = parseRemappedRoot(spec, opts);
  if (user === 'root') {
    opts.log?.('User namespaces: root cannot be remapped with itself; user namespaces are OFF');
    return undefined;
  }
  opts.log?.(`User namespaces: ID ranges will be mapped to subuid/subgid ranges of: ${user}`);
  const entry = readIdEntries(opts.files.passwd, 'passwd').find((e) => e.name === user);
  try {
    if (!entry) throw new Error(`could not get user for username ${user}: ${NO_PASSWD}`);
    return { setting: `${user}:${group}`, mapping: { uids: rangesOf(opts.files.subuid, entry), gids: rangesOf(opts.files.subgid, entry) } };
  } catch (e) {
    throw new Error(`Can't create ID mappings: ${(e as Error).message}`);
  }
}
