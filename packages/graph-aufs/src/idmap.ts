import { chmodSync, chownSync, existsSync, lchownSync, mkdirSync } from 'node:fs';
import { posix } from 'node:path';
import type { IdMap } from '@berth/libcontainer';

/**
 * The daemon's `--userns-remap` ranges (Docker's idtools.IdentityMapping): container IDs from 0
 * up map onto the host's subordinate IDs. Layers hold files with host IDs shifted into the
 * ranges; tars in and out of the graph carry container IDs.
 */
export interface IdMapping {
  uids: IdMap[];
  gids: IdMap[];
}

export interface IdPair {
  uid: number;
  gid: number;
}

/** The host ID of a container ID; without ranges the same ID. */
export function toHost(id: number, ranges: readonly IdMap[]): number {
  if (ranges.length === 0) return id;
  for (const r of ranges) {
    if (id >= r.containerId && id < r.containerId + r.size) return r.hostId + (id - r.containerId);
  }
  throw new Error(`Container ID ${id} cannot be mapped to a host ID`);
}

/** The container ID of a host ID; without ranges the same ID. */
export function toContainer(id: number, ranges: readonly IdMap[]): number {
  if (ranges.length === 0) return id;
  for (const r of ranges) {
    if (id >= r.hostId && id < r.hostId + r.size) return r.containerId + (id - r.hostId);
  }
  throw new Error(`Host ID ${id} cannot be mapped to a container ID`);
}

/** A tar entry's owner as the host stores it. */
export function pairToHost(pair: IdPair, m: IdMapping | undefined): IdPair {
  return m ? { uid: toHost(pair.uid, m.uids), gid: toHost(pair.gid, m.gids) } : pair;
}

/** A file's host owner as a tar entry carries it. */
export function pairToContainer(pair: IdPair, m: IdMapping | undefined): IdPair {
  return m ? { uid: toContainer(pair.uid, m.uids), gid: toContainer(pair.gid, m.gids) } : pair;
}

/** The host IDs of the container's root: 0:0 without remapping. */
export function rootPair(m: IdMapping | undefined): IdPair {
  return pairToHost({ uid: 0, gid: 0 }, m);
}

/**
 * Creates `path` and its missing parents with `mode`, each new directory owned by `owner`
 * (idtools.MkdirAllAndChownNew: directories that exist are left alone).
 */
export function mkdirAllOwned(path: string, mode: number, owner: IdPair): void {
  if (existsSync(path)) return;
  mkdirAllOwned(posix.dirname(path), mode, owner);
  mkdirSync(path, { mode });
  lchownSync(path, owner.uid, owner.gid);
}

/**
 * A directory on the way to a remapped container's files: searchable by the remapped root's
 * group and nobody else (Docker's 0710 root:<remapped gid>). Without remapping, `mode` as given.
 */
export function mkdirForRemappedRoot(path: string, mode: number, m: IdMapping | undefined): void {
  mkdirSync(path, { recursive: true, mode: m ? 0o710 : mode });
  if (!m) return;
  chownSync(path, process.getuid?.() ?? 0, rootPair(m).gid);
  chmodSync(path, 0o710);
}
