import { existsSync, lchownSync, mkdirSync, readdirSync } from 'node:fs';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { applyTar } from '../archive/apply.js';
import { changesBetween, type Change } from '../archive/changes.js';
import { copyTree } from '../archive/copy.js';
import { changesDiff } from '../archive/diff.js';
import { lstatOrNull } from '../archive/walk.js';
import { mkdirForRemappedRoot, rootPair, type IdMapping } from '../idmap.js';
import type { Driver } from './driver.js';
import { Trash } from './trash.js';

/** vfs: every layer is a full copy of its parent under `<home>/dir/<id>`; works on any filesystem. */
export class VfsDriver implements Driver {
  readonly name = 'vfs';
  readonly whiteouts = 'apply' as const;

  private readonly trash: Trash;

  /** `idMap`: `--userns-remap`'s ranges, which files in the layers are shifted into. */
  constructor(
    readonly home: string,
    readonly idMap?: IdMapping,
  ) {
    mkdirForRemappedRoot(home, 0o700, idMap);
    mkdirForRemappedRoot(posix.join(home, 'dir'), 0o700, idMap);
    this.trash = new Trash(posix.join(home, 'trash'));
  }

  private dir(id: string): string {
    return posix.join(this.home, 'dir', id);
  }

  create(id: string, parent: string | null): void {
    mkdirSync(this.dir(id), { mode: 0o755 });
    const root = rootPair(this.idMap);
    lchownSync(this.dir(id), root.uid, root.gid);
    if (parent !== null) copyTree(this.dir(parent), this.dir(id));
  }

  remove(id: string): void {
    this.trash.discard(this.dir(id));
  }

  exists(id: string): boolean {
    return existsSync(this.dir(id));
  }

  ids(): string[] {
    return readdirSync(posix.join(this.home, 'dir'));
  }

  get(id: string): string {
    return this.dir(id);
  }

  put(_id: string): void {
    // Nothing is mounted.
  }

  applyDiff(id: string, _parent: string | null, tar: Readable): Promise<number> {
    return applyTar(tar, this.dir(id), 'apply', this.idMap ? { idMap: this.idMap } : {});
  }

  changes(id: string, parent: string | null): Change[] {
    return changesBetween(this.dir(id), parent === null ? null : this.dir(parent));
  }

  diff(id: string, parent: string | null): Readable {
    return changesDiff(this.dir(id), this.changes(id, parent), this.idMap);
  }

  diffSize(id: string, parent: string | null): number {
    let size = 0;
    for (const c of this.changes(id, parent)) {
      if (c.kind === 'D') continue;
      const st = lstatOrNull(posix.join(this.dir(id), c.path));
      if (st?.isFile()) size += st.size;
    }
    return size;
  }

  status(): Array<[string, string]> {
    return [];
  }

  cleanup(): void {
    // Nothing is mounted.
  }
}
