import { chmodSync, existsSync, lchownSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mkdirForRemappedRoot, rootPair, type IdMapping, type IdPair } from '@berth/graph-aufs';

/** idtools.CanAccess: whether `who` may search `path` (owner, group, then other x bit). */
function canSearch(path: string, who: IdPair): boolean {
  try {
    const st = statSync(path);
    return (st.uid === who.uid && (st.mode & 0o100) !== 0) || (st.gid === who.gid && (st.mode & 0o010) !== 0) || (st.mode & 0o001) !== 0;
  } catch {
    return false;
  }
}

/**
 * Docker's setupDaemonRoot under `--userns-remap`: the root stays searchable by all (0711) and
 * the engine lives in `<root>/<uid>.<gid>` (0710, group the remapped root's), apart from what
 * an unmapped daemon keeps in `<root>`. Every directory above must let the remapped root through.
 */
export function remappedDaemonRoot(root: string, mapping: IdMapping): string {
  mkdirSync(root, { recursive: true, mode: 0o711 });
  chmodSync(root, 0o711);
  const pair = rootPair(mapping);
  const dir = join(root, `${pair.uid}.${pair.gid}`);
  try {
    mkdirForRemappedRoot(dir, 0o710, mapping);
  } catch (e) {
    throw new Error(`Cannot create daemon root: ${dir}: ${(e as Error).message}`);
  }
  for (let p = dirname(dir); p !== '/' && p !== '.'; p = dirname(p)) {
    if (!canSearch(p, pair)) {
      throw new Error(
        `a subdirectory in your graphroot path (${dir}) restricts access to the remapped root uid/gid; please fix by allowing 'o+x' permissions on existing directories`,
      );
    }
  }
  return dir;
}

/**
 * The engine's own directories a remapped container reaches through (its files dir, volumes):
 * 0710, group the remapped root's. Nothing to do without remapping.
 */
export function prepareRemappedDirs(dirs: readonly string[], mapping: IdMapping | undefined): void {
  if (!mapping) return;
  for (const d of dirs) mkdirForRemappedRoot(d, 0o700, mapping);
}

/** Files and directories the container's root must own (hosts, resolv.conf, a volume's data). */
export function chownToRemappedRoot(paths: readonly string[], mapping: IdMapping | undefined): void {
  if (!mapping) return;
  const { uid, gid } = rootPair(mapping);
  for (const p of paths) if (existsSync(p)) lchownSync(p, uid, gid);
}

