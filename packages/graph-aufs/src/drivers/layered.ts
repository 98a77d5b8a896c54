import { lchownSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { applyTar } from '../archive/apply.js';
import { changesInUpper, type Change } from '../archive/changes.js';
import { upperDiff } from '../archive/diff.js';
import { walk } from '../archive/walk.js';
import type { WhiteoutFormat } from '../archive/whiteout.js';
import { rootPair, type IdMapping } from '../idmap.js';

/** Diff operations shared by drivers whose layers hold only their own changes (overlay2, aufs). */
export abstract class LayeredDriver {
  abstract readonly whiteouts: WhiteoutFormat;

  /** `idMap`: `--userns-remap`'s ranges, which files in the layers are shifted into. */
  constructor(readonly idMap?: IdMapping) {}

  /** A new layer's top directory belongs to the (remapped) root: it is the container's `/`. */
  protected ownDiffDir(id: string): void {
    const root = rootPair(this.idMap);
    lchownSync(this.diffDir(id), root.uid, root.gid);
  }

  /** The directory holding the layer's own files. */
  abstract diffDir(id: string): string;
  /** The diff directories of the layer's ancestors, nearest first. */
  abstract lowerDirs(id: string): string[];

  applyDiff(id: string, _parent: string | null, tar: Readable): Promise<number> {
    return applyTar(tar, this.diffDir(id), this.whiteouts, this.idMap ? { idMap: this.idMap } : {});
  }

  diff(id: string, _parent: string | null): Readable {
    return upperDiff(this.diffDir(id), this.idMap);
  }

  changes(id: string, _parent: string | null): Change[] {
    return changesInUpper(this.diffDir(id), this.lowerDirs(id));
  }

  diffSize(id: string, _parent: string | null): number {
    let size = 0;
    for (const { stat } of walk(this.diffDir(id))) if (stat.isFile()) size += stat.size;
    return size;
  }
}
