import { readlinkSync, type Stats } from 'node:fs';
import { posix } from 'node:path';
import { getXattr, listXattrs } from '@berth/libcontainer';
import { lstatOrNull, walk } from './walk.js';
import { OVERLAY_OPAQUE_XATTR, WH_META_PREFIX, WH_OPAQUE, WH_PREFIX } from './whiteout.js';

/** One line of `docker diff`: C (changed), A (added), D (deleted), path absolute. */
export interface Change {
  kind: 'C' | 'A' | 'D';
  path: string;
}

/** The Engine API's numeric kinds (GET /containers/{id}/changes). */
export const CHANGE_KIND_CODE = { C: 0, A: 1, D: 2 } as const;

/** `docker diff` lines: "A /path". */
export function formatChanges(changes: Change[]): string {
  return changes.map((c) => `${c.kind} ${c.path}\n`).join('');
}

/**
 * Collects changes, adding the parent directory of every added or deleted path as changed (the
 * parent's own metadata may look unchanged), and sorts them by path.
 */
class ChangeSet {
  private readonly byPath = new Map<string, Change['kind']>();
  add(kind: Change['kind'], rel: string): void {
    const path = `/${rel}`;
    this.byPath.set(path, kind);
    if (kind === 'C') return;
    const parent = posix.dirname(path);
    if (parent !== '/' && !this.byPath.has(parent)) this.byPath.set(parent, 'C');
  }
  list(): Change[] {
    return [...this.byPath.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, kind]) => ({ kind, path }));
  }
}

export function isOverlayWhiteout(stat: Stats): boolean {
  return stat.isCharacterDevice() && stat.rdev === 0;
}

export function isOverlayOpaque(path: string): boolean {
  try {
    return getXattr(path, OVERLAY_OPAQUE_XATTR)?.toString() === 'y';
  } catch {
    return false;
  }
}

function xattrsOf(path: string): string {
  try {
    return listXattrs(path)
      .filter((n) => !n.startsWith('trusted.overlay.'))
      .sort()
      .map((n) => `${n}=${getXattr(path, n)?.toString('hex') ?? ''}`)
      .join(',');
  } catch {
    return '';
  }
}

/** Docker's comparison of two inodes: metadata and, for files, size and mtime. */
function differs(a: Stats, b: Stats, pathA: string, pathB: string): boolean {
  if (a.mode !== b.mode || a.uid !== b.uid || a.gid !== b.gid || a.rdev !== b.rdev) return true;
  if (a.mtimeMs !== b.mtimeMs) return true;
  if (!a.isDirectory() && a.size !== b.size) return true;
  if (a.isSymbolicLink() && readlinkSync(pathA) !== readlinkSync(pathB)) return true;
  return xattrsOf(pathA) !== xattrsOf(pathB);
}

/** Changes from `oldDir` to `newDir`, both full trees (vfs). */
export function changesBetween(newDir: string, oldDir: string | null): Change[] {
  const set = new ChangeSet();
  for (const { rel, stat } of walk(newDir)) {
    const old = oldDir === null ? null : lstatOrNull(posix.join(oldDir, rel));
    if (!old || old.isDirectory() !== stat.isDirectory()) set.add('A', rel);
    else if (differs(stat, old, posix.join(newDir, rel), posix.join(oldDir as string, rel))) set.add('C', rel);
  }
  if (oldDir !== null) {
    const skip: string[] = [];
    for (const { rel, stat } of walk(oldDir)) {
      if (skip.some((s) => rel.startsWith(s))) continue;
      const now = lstatOrNull(posix.join(newDir, rel));
      if (!now || now.isDirectory() !== stat.isDirectory()) {
        if (!now) set.add('D', rel);
        if (stat.isDirectory()) skip.push(`${rel}/`); // only the top of a deleted tree is listed
      }
    }
  }
  return set.list();
}

function existsBelow(lowers: string[], rel: string): boolean {
  return lowers.some((l) => lstatOrNull(posix.join(l, rel)) !== null);
}

/**
 * Changes recorded in a layer's own directory over its lower layers (overlay2, aufs): whiteout
 * devices or `.wh.` files are deletions; an opaque directory that hid a lower one counts as
 * deleted and recreated, as Docker lists it.
 */
export function changesInUpper(upper: string, lowers: string[]): Change[] {
  const set = new ChangeSet();
  for (const { rel, stat } of walk(upper)) {
    const base = posix.basename(rel);
    const parent = posix.dirname(rel) === '.' ? '' : posix.dirname(rel);
    if (base.startsWith(WH_META_PREFIX)) {
      if (base === WH_OPAQUE && existsBelow(lowers, parent)) set.add('D', parent);
      continue;
    }
    if (base.startsWith(WH_PREFIX)) {
      set.add('D', posix.join(parent, base.slice(WH_PREFIX.length)));
      continue;
    }
    if (isOverlayWhiteout(stat)) {
      set.add('D', rel);
      continue;
    }
    const below = existsBelow(lowers, rel);
    if (stat.isDirectory() && below && isOverlayOpaque(posix.join(upper, rel))) set.add('D', rel);
    else set.add(below ? 'C' : 'A', rel);
  }
  return set.list();
}
