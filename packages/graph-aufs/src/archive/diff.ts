import { lstatSync } from 'node:fs';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type { IdMapping } from '../idmap.js';
import { isOverlayOpaque, isOverlayWhiteout, type Change } from './changes.js';
import { packItems, type PackItem } from './pack.js';
import { walk } from './walk.js';
import { WH_META_PREFIX, WH_OPAQUE, WH_PREFIX } from './whiteout.js';

function whiteoutName(rel: string): string {
  const dir = posix.dirname(rel);
  const name = `${WH_PREFIX}${posix.basename(rel)}`;
  return dir === '.' ? name : `${dir}/${name}`;
}

/** A layer directory as a tar with AUFS whiteouts: overlay's 0/0 devices and opaque xattrs converted. */
function* upperItems(upper: string): Generator<PackItem> {
  for (const { rel, stat } of walk(upper)) {
    const base = posix.basename(rel);
    // aufs' own bookkeeping (.wh..wh.plnk, .wh..wh.aufs, .wh..wh.orph) never leaves the host.
    if (base.startsWith(WH_META_PREFIX) && base !== WH_OPAQUE) continue;
    if (isOverlayWhiteout(stat)) {
      yield { kind: 'whiteout', rel: whiteoutName(rel), mtime: stat.mtime };
      continue;
    }
    const abs = posix.join(upper, rel);
    yield { kind: 'entry', rel, stat, abs };
    if (stat.isDirectory() && isOverlayOpaque(abs)) yield { kind: 'whiteout', rel: `${rel}/${WH_OPAQUE}`, mtime: stat.mtime };
  }
}

export function upperDiff(upper: string, idMap?: IdMapping): Readable {
  return packItems(upperItems(upper), idMap);
}

function* changeItems(dir: string, changes: Change[]): Generator<PackItem> {
  for (const c of changes) {
    const rel = c.path.slice(1);
    if (c.kind === 'D') {
      yield { kind: 'whiteout', rel: whiteoutName(rel) };
      continue;
    }
    const abs = posix.join(dir, rel);
    yield { kind: 'entry', rel, stat: lstatSync(abs), abs };
  }
}

/** The tar of the listed changes taken from a full tree (vfs, and `docker export`-style diffs). */
export function changesDiff(dir: string, changes: Change[], idMap?: IdMapping): Readable {
  return packItems(changeItems(dir, changes), idMap);
}

/**
 * One path as a tar whose entries are named from `name` (`docker cp`'s rebased archive): the
 * path itself (a symlink is not followed), then, for a directory, everything below it.
 */
export function pathTar(abs: string, name: string, idMap?: IdMapping): Readable {
  return packItems(
    (function* () {
      const stat = lstatSync(abs);
      yield { kind: 'entry', rel: name, stat, abs } as PackItem;
      if (!stat.isDirectory()) return;
      for (const e of walk(abs)) yield { kind: 'entry', rel: `${name}/${e.rel}`, stat: e.stat, abs: posix.join(abs, e.rel) } as PackItem;
    })(),
    idMap,
  );
}

/** A whole tree as a tar (export of a flattened filesystem). */
export function treeTar(dir: string, idMap?: IdMapping): Readable {
  return packItems(
    (function* () {
      for (const { rel, stat } of walk(dir)) yield { kind: 'entry', rel, stat, abs: posix.join(dir, rel) } as PackItem;
    })(),
    idMap,
  );
}
