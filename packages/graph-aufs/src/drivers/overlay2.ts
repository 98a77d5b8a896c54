import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { posix } from 'node:path';
import { mkdirForRemappedRoot, type IdMapping } from '../idmap.js';
import type { Driver } from './driver.js';
import { LayeredDriver } from './layered.js';
import { backingFs, MountCounter, mountOverlay, unmountQuiet } from './mounts.js';
import { Trash } from './trash.js';

const LINK_DIR = 'l';
const TRASH_DIR = 'trash';
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** 26 base32 characters, like Docker's overlay2 link names: short enough for 128 lowers a page. */
function shortName(): string {
  const bytes = randomBytes(26);
  return [...bytes].map((b) => BASE32[b & 31]).join('');
}

/**
 * overlay2: `<home>/<id>/{diff,link,lower,work,merged}`, and `<home>/l/<short>` → `../<id>/diff`
 * so that many lower layers fit the mount options. A layer without parent is used unmounted.
 */
export class Overlay2Driver extends LayeredDriver implements Driver {
  readonly name = 'overlay2';
  readonly whiteouts = 'overlay' as const;
  private readonly mounts = new MountCounter();
  private readonly trash: Trash;

  constructor(
    readonly home: string,
    idMap?: IdMapping,
  ) {
    super(idMap);
    mkdirForRemappedRoot(home, 0o700, idMap);
    mkdirSync(posix.join(home, LINK_DIR), { recursive: true, mode: 0o700 });
    this.trash = new Trash(posix.join(home, TRASH_DIR));
  }

  private dir(id: string): string {
    return posix.join(this.home, id);
  }

  diffDir(id: string): string {
    return posix.join(this.dir(id), 'diff');
  }

  /** The `l/<short>` entries of the layer's ancestors, nearest first. */
  private lowerLinks(id: string): string[] {
    const file = posix.join(this.dir(id), 'lower');
    if (!existsSync(file)) return [];
    const text = readFileSync(file, 'utf8').trim();
    return text === '' ? [] : text.split(':');
  }

  lowerDirs(id: string): string[] {
    return this.lowerLinks(id).map((l) => posix.join(this.home, l));
  }

  create(id: string, parent: string | null): void {
    const dir = this.dir(id);
    mkdirForRemappedRoot(dir, 0o700, this.idMap);
    mkdirSync(posix.join(dir, 'diff'), { mode: 0o755 });
    this.ownDiffDir(id);
    const link = shortName();
    symlinkSync(`../${id}/diff`, posix.join(this.home, LINK_DIR, link));
    writeFileSync(posix.join(dir, 'link'), link);
    if (parent === null) return;
    const parentLink = readFileSync(posix.join(this.dir(parent), 'link'), 'utf8');
    const lowers = [`${LINK_DIR}/${parentLink}`, ...this.lowerLinks(parent)];
    writeFileSync(posix.join(dir, 'lower'), lowers.join(':'));
    mkdirSync(posix.join(dir, 'work'), { mode: 0o700 });
    mkdirSync(posix.join(dir, 'merged'), { mode: 0o700 });
  }

  remove(id: string): void {
    const dir = this.dir(id);
    unmountQuiet(posix.join(dir, 'merged'));
    this.mounts.forget(id);
    const linkFile = posix.join(dir, 'link');
    if (existsSync(linkFile)) rmSync(posix.join(this.home, LINK_DIR, readFileSync(linkFile, 'utf8')), { force: true });
    this.trash.discard(dir);
  }

  exists(id: string): boolean {
    return existsSync(this.dir(id));
  }

  ids(): string[] {
    return readdirSync(this.home).filter((n) => n !== LINK_DIR && n !== TRASH_DIR);
  }

  get(id: string): string {
    const lowers = this.lowerLinks(id);
    if (lowers.length === 0) return this.diffDir(id);
    const merged = posix.join(this.dir(id), 'merged');
    this.mounts.acquire(id, () => mountOverlay(merged, this.home, lowers, this.diffDir(id), posix.join(this.dir(id), 'work')));
    return merged;
  }

  put(id: string): void {
    this.mounts.release(id, () => unmountQuiet(posix.join(this.dir(id), 'merged')));
  }

  status(): Array<[string, string]> {
    return [
      ['Backing Filesystem', backingFs(this.home)],
      ['Supports d_type', 'true'],
      ['Native Overlay Diff', 'true'],
    ];
  }

  cleanup(): void {
    for (const id of this.mounts.active()) unmountQuiet(posix.join(this.dir(id), 'merged'));
    for (const id of this.mounts.active()) this.mounts.forget(id);
  }
}
